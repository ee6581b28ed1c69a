/// The knee of a sweep: the highest step that still kept up (achieved ≥ 95 % of
/// offered, backlog not growing, SLO met, p99 within 3 × the lightest step's) —
/// the sustainable maximum on the measured hardware — and the step after it that
/// broke, with why.
public struct Knee: Sendable, Codable, Equatable {
    public var sustainable: MeasuredStep
    /// The first step past the knee, nil when no step broke.
    public var firstBroken: MeasuredStep?
    /// Why `firstBroken` counts as broken.
    public var reasons: [String]

    public static func find(_ steps: [MeasuredStep]) -> Knee? {
        let ordered = steps.sorted { ($0.offeredRate ?? $0.sendRate) < ($1.offeredRate ?? $1.sendRate) }
        let baseP99 = ordered.compactMap(\.latencyP99Ms).first
        var best: MeasuredStep?
        for step in ordered {
            let why = problems(step, baseP99: baseP99)
            if why.isEmpty {
                if best == nil || step.sendRate > best!.sendRate { best = step }
            } else if let sustainable = best {
                return Knee(sustainable: sustainable, firstBroken: step, reasons: why)
            }
        }
        return best.map { Knee(sustainable: $0, firstBroken: nil, reasons: []) }
    }

    static func problems(_ s: MeasuredStep, baseP99: Double?) -> [String] {
        var why: [String] = []
        if let offered = s.offeredRate, s.sendRate < 0.95 * offered {
            why.append("achieved \(Int(s.sendRate)) of \(Int(offered)) msg/s offered")
        }
        if let growth = s.backlogGrowthPerSecond, growth > max(10, 0.02 * s.sendRate) {
            why.append("backlog grew by \(Int(growth)) msg/s")
        }
        if s.sloMet == false { why.append("SLO broken") }
        if let base = baseP99, let p99 = s.latencyP99Ms, p99 > 3 * base, p99 > base + 5 {
            why.append("p99 \(p99) ms against \(base) ms at the lightest step")
        }
        return why
    }
}
