#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sampler

/// What the load generator itself cost, and whether it, rather than the broker,
/// may have been the bottleneck.
public struct GeneratorCost: Codable, Sendable, Equatable {
    /// CPU seconds (user + system) of the generator process over `wallSeconds`.
    public var cpuSeconds: Double
    public var wallSeconds: Double
    /// Messages the generator handled: sends plus deliveries.
    public var messages: Int
    public var cpuSecondsPer1000Messages: Double
    /// cpuSeconds / wallSeconds.
    public var coresUsed: Double
    /// CPUs of the generator's host.
    public var cores: Int
    /// Mean busy percent of the host's CPUs, when sampled.
    public var hostBusyPercent: Double?
    /// True when the figures may be limited by the generator (see `assess`).
    public var saturated: Bool
    public var warning: String?

    /// Share of the host's CPUs at which the generator counts as saturated on its own.
    public static let saturatedShare = 0.85
    /// Host busy percent from which a generator using `sharedShare` of the CPUs
    /// (as much as a broker on the same host might) counts as a co-bottleneck.
    public static let busyHostPercent = 95.0
    public static let sharedShare = 0.4

    /// Judges the cost. Saturated when the generator used ≥ 85 % of the host's
    /// CPUs, or when the host was ≥ 95 % busy and the generator used ≥ 40 % of it
    /// (an embedded broker then competes with its own load for CPU).
    public static func assess(cpuSeconds: Double, wallSeconds: Double, messages: Int, cores: Int,
                              hostBusyPercent: Double? = nil) -> GeneratorCost {
        let coresUsed = wallSeconds > 0 ? cpuSeconds / wallSeconds : 0
        let share = coresUsed / Double(max(1, cores))
        var warning: String?
        if share >= saturatedShare {
            warning = "the load generator used \(TextFormat.fixed(coresUsed, 1)) of \(cores) CPUs: the figures may show its limit, not the broker's"
        } else if let busy = hostBusyPercent, busy >= busyHostPercent, share >= sharedShare {
            warning = "the host's CPUs were \(TextFormat.fixed(busy, 0)) % busy and the load generator used \(TextFormat.fixed(coresUsed, 1)) of \(cores): generator and broker compete for CPU"
        }
        return GeneratorCost(cpuSeconds: cpuSeconds, wallSeconds: wallSeconds, messages: messages,
                             cpuSecondsPer1000Messages: messages > 0 ? cpuSeconds / Double(messages) * 1000 : 0,
                             coresUsed: coresUsed, cores: cores, hostBusyPercent: hostBusyPercent,
                             saturated: warning != nil, warning: warning)
    }

    /// CPU seconds this process has used so far (all threads).
    public static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Several agents' generators together: CPU and messages summed over the
    /// longest wall time; saturated when any was.
    static func combine(_ costs: [GeneratorCost]) -> GeneratorCost? {
        guard let first = costs.first else { return nil }
        guard costs.count > 1 else { return first }
        let cpu = costs.reduce(0) { $0 + $1.cpuSeconds }
        let messages = costs.reduce(0) { $0 + $1.messages }
        let wall = costs.map(\.wallSeconds).max() ?? 0
        let warnings = costs.compactMap(\.warning)
        return GeneratorCost(cpuSeconds: cpu, wallSeconds: wall, messages: messages,
                             cpuSecondsPer1000Messages: messages > 0 ? cpu / Double(messages) * 1000 : 0,
                             coresUsed: wall > 0 ? cpu / wall : 0, cores: costs.reduce(0) { $0 + $1.cores },
                             hostBusyPercent: nil, saturated: costs.contains(where: \.saturated),
                             warning: warnings.isEmpty ? nil : warnings.joined(separator: "; "))
    }
}
