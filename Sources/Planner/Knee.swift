import Sampler

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
        let baseP99 = steps.sorted { $0.rate < $1.rate }.compactMap(\.latencyP99Ms).first
        return find(steps) { problems($0, baseP99: baseP99) }
    }

    /// The knee with each step judged by `judge` (the reasons it broke; empty when it held),
    /// as a sweep does with its recorded verdicts.
    public static func find(_ steps: [MeasuredStep], judge: (MeasuredStep) -> [String]) -> Knee? {
        let ordered = steps.sorted { $0.rate < $1.rate }
        var best: MeasuredStep?
        for step in ordered {
            let why = judge(step)
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
        // Loss first: a broker that drops acknowledged messages has no capacity worth stating.
        if let lost = s.lostMessages, lost > 0 { why.append("\(lost) acknowledged messages lost") }
        if let offered = s.offeredRate, s.sendRate < 0.95 * offered {
            why.append("achieved \(Int(s.sendRate)) of \(Int(offered)) msg/s offered")
        }
        if let growth = s.backlogGrowthPerSecond, growth > max(10, 0.02 * s.sendRate) {
            why.append("backlog grew by \(Int(growth)) msg/s")
        }
        if s.sloMet == false {
            // maxLost is already stated as the loss above.
            let lost = (s.lostMessages ?? 0) > 0
            let names = (s.failedSLOs ?? []).filter { !($0 == "maxLost" && lost) }
            if !names.isEmpty { why.append("SLO broken: " + names.joined(separator: ", ")) } else if !lost { why.append("SLO broken") }
        }
        if let base = baseP99, let p99 = s.latencyP99Ms, p99 > 3 * base, p99 > base + 5 {
            why.append("p99 \(TextFormat.fixed(p99, 1)) ms against \(TextFormat.fixed(base, 1)) ms at the lightest step")
        }
        return why
    }
}
