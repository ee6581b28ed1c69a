/// A finished sweep: its steps and the analysis of the measured host — the
/// sustainable maximum (knee), the bottleneck with evidence, per-message costs
/// and the USL fit. `mqbench sweep` writes it into its report's JSON.
public struct SweepResult: Sendable, Codable {
    public var input: PlannerInput
    /// The closed-loop throughput the ramp started from.
    public var estimate: Double?
    /// Held or broken, and why, for each step in the order run.
    public var verdicts: [SweepSearch.Verdict]
    /// The search's settings (ceilings included), when the steps came from `mqbench sweep`.
    public var settings: SweepSearch.Settings?
    /// Why the sweep ended: converged, step limit, interrupted, a failed step.
    public var stopped: String?
    public var knee: Knee?
    public var bottleneck: Bottleneck
    public var costs: ResourceCosts
    public var usl: USLFit?
    public var uslError: String?

    /// The highest achieved rate that held: the sustainable maximum on the measured host.
    public var sustainableRate: Double? { knee?.sustainable.sendRate }
    /// Steps that lost acknowledged messages.
    public var lossySteps: [MeasuredStep] { input.steps.filter { ($0.lostMessages ?? 0) > 0 } }

    /// Analyses measured steps (any order). A step with a verdict is judged by it
    /// (so the knee is the search's), others by the knee's tests.
    public init(input: PlannerInput, estimate: Double? = nil, verdicts: [SweepSearch.Verdict] = [],
                settings: SweepSearch.Settings? = nil, stopped: String? = nil) {
        self.input = input
        self.estimate = estimate
        self.verdicts = verdicts
        self.settings = settings
        self.stopped = stopped
        if verdicts.isEmpty {
            knee = Knee.find(input.steps)
        } else {
            let baseP99 = input.steps.sorted { $0.rate < $1.rate }.compactMap(\.latencyP99Ms).first
            knee = Knee.find(input.steps) { step in
                verdicts.last { $0.rate == step.rate }?.reasons ?? Knee.problems(step, baseP99: baseP99)
            }
        }
        costs = ResourceCosts.regress(input.steps)
        do {
            usl = try USLFitter.fit(input.steps.compactMap { s in s.concurrency.map { USLPoint(concurrency: $0, throughput: s.sendRate) } })
        } catch {
            uslError = "\(error)"
        }
        bottleneck = Bottleneck.identify(knee: knee, steps: input.steps, host: input.host, ceilings: settings?.ceilings ?? Ceilings(),
                                         usl: usl)
    }
}
