/// A finished sweep: its steps and the analysis of the measured host — the
/// sustainable maximum (knee), the bottleneck with evidence, per-message costs
/// and the USL fit. `mqbench sweep` writes it into its report's JSON.
public struct SweepResult: Sendable, Codable {
    public var input: PlannerInput
    /// The closed-loop throughput the ramp started from.
    public var estimate: Double?
    /// Held or broken, and why, for each step in the order run.
    public var verdicts: [SweepSearch.Verdict]
    public var knee: Knee?
    public var bottleneck: Bottleneck
    public var costs: ResourceCosts
    public var usl: USLFit?
    public var uslError: String?

    /// Analyses measured steps (any order).
    public init(input: PlannerInput, estimate: Double? = nil, verdicts: [SweepSearch.Verdict] = []) {
        self.input = input
        self.estimate = estimate
        self.verdicts = verdicts
        knee = Knee.find(input.steps)
        costs = ResourceCosts.regress(input.steps)
        do {
            usl = try USLFitter.fit(input.steps.compactMap { s in s.concurrency.map { USLPoint(concurrency: $0, throughput: s.sendRate) } })
        } catch {
            uslError = "\(error)"
        }
        bottleneck = Bottleneck.identify(knee: knee, steps: input.steps, host: input.host, usl: usl)
    }
}
