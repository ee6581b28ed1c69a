import Sampler

/// Resource ceilings a sweep stops at, and which resource limited the measured host.
public struct Ceilings: Sendable, Codable, Equatable {
    /// Host CPU busy, percent of all CPUs, without the generator's own share
    /// when it runs on the measured host (``StepResources/brokerSideCPUPercent(logicalCPUs:)``).
    public var cpuPercent = 85.0
    /// Store disk %util.
    public var diskUtilisationPercent = 90.0
    /// NIC %ifutil (interfaces with a known speed).
    public var nicPercent = 70.0
    /// The generator's share of the host's CPUs at which it, not the broker, may be the limit.
    public var generatorShare = 0.85

    public init() {}

    /// The ceilings a step passed, as sentences (empty when none).
    public func exceeded(by s: MeasuredStep, logicalCPUs: Int) -> [String] {
        var out: [String] = []
        let r = s.resources
        if let cpu = r.brokerSideCPUPercent(logicalCPUs: logicalCPUs), cpu >= cpuPercent {
            out.append("\(r.generatorCores == nil ? "host CPU" : "host CPU without the generator") \(Int(cpu)) % ≥ \(Int(cpuPercent)) %")
        }
        if let u = r.diskUtilisationPercent, u >= diskUtilisationPercent { out.append("disk %util \(Int(u)) % ≥ \(Int(diskUtilisationPercent)) %") }
        if let n = r.nicUtilisationPercent, n >= nicPercent { out.append("NIC \(Int(n)) % ≥ \(Int(nicPercent)) %") }
        if let g = r.generatorCores, g >= generatorShare * Double(logicalCPUs) {
            out.append("generator used \(Int(g * 100 / Double(max(1, logicalCPUs)))) % of the CPUs")
        }
        return out
    }
}

/// What limited the measured host, with the evidence.
public struct Bottleneck: Sendable, Codable, Equatable {
    public enum Resource: String, Sendable, Codable {
        case brokerCPU = "broker CPU"
        case diskBandwidth = "disk bandwidth"
        case diskLatency = "disk latency / fsync"
        case nic = "NIC"
        case pageCache = "page cache / memory"
        case generator = "the generator itself"
        /// Latency or backlog broke with no resource at a ceiling: contention inside the broker.
        case contention
        /// No step broke.
        case notReached = "not reached"
    }

    public var resource: Resource
    public var evidence: [String]

    /// Judges the first broken step against the sustainable one (or the last step when none broke).
    public static func identify(knee: Knee?, steps: [MeasuredStep], host: HostProfile, ceilings: Ceilings = Ceilings(),
                                usl: USLFit? = nil) -> Bottleneck {
        guard let knee, let broken = knee.firstBroken else {
            let top = steps.map(\.sendRate).max() ?? 0
            return Bottleneck(resource: .notReached, evidence: ["every step kept up, up to \(Int(top)) msg/s"])
        }
        let ok = knee.sustainable.resources, r = broken.resources
        let cpus = Double(max(1, host.logicalCPUs))
        var candidates: [(Resource, [String])] = []
        if let g = r.generatorCores, g >= ceilings.generatorShare * cpus {
            candidates.append((.generator, ["generator used \(fmt(g)) of \(host.logicalCPUs) CPUs at \(broken.label)"]))
        }
        if let cpu = r.brokerSideCPUPercent(logicalCPUs: host.logicalCPUs), cpu >= ceilings.cpuPercent {
            let okCPU = ok.brokerSideCPUPercent(logicalCPUs: host.logicalCPUs) ?? 0
            var e = ["host CPU without the generator \(fmt(cpu)) % at \(broken.label) (\(fmt(okCPU)) % at \(knee.sustainable.label))"]
            if let b = r.brokerCores { e.append("broker \(fmt(b)) cores, generator \(fmt(r.generatorCores ?? 0)) cores") }
            candidates.append((.brokerCPU, e))
        }
        if let u = r.diskUtilisationPercent, u >= ceilings.diskUtilisationPercent {
            candidates.append((.diskBandwidth, ["disk %util \(fmt(u)) % writing \(mib(r.diskWriteBytesPerSecond)) MiB/s at \(broken.label)"]))
        }
        if let n = r.nicUtilisationPercent, n >= ceilings.nicPercent {
            candidates.append((.nic, ["NIC \(fmt(n)) % of its link at \(broken.label)"]))
        }
        if let a0 = ok.diskWriteAwaitMs, let a1 = r.diskWriteAwaitMs, a1 > 3 * a0, a1 > a0 + 2 {
            candidates.append((.diskLatency, ["write await \(fmt(a0)) → \(fmt(a1)) ms from \(knee.sustainable.label) to \(broken.label)"]))
        }
        if let read = r.diskReadBytesPerSecond, let write = r.diskWriteBytesPerSecond, read > 0.1 * write,
           read > 2 * (ok.diskReadBytesPerSecond ?? 0) {
            candidates.append((.pageCache, ["disk reads \(mib(read)) MiB/s against \(mib(write)) MiB/s written: consumers read from disk, not page cache"]))
        }
        // A host saturated by broker and generator together, neither at its own ceiling:
        // on one machine the generator takes CPU the broker would need.
        if let busy = r.hostCPUPercent, busy >= ceilings.cpuPercent, let g = r.generatorCores,
           let side = r.brokerSideCPUPercent(logicalCPUs: host.logicalCPUs), side < ceilings.cpuPercent {
            candidates.append((.generator, [
                "host CPU \(fmt(busy)) % at \(broken.label), \(fmt(g * 100 / cpus)) % of it the generator's (\(fmt(g)) cores): "
                    + "generator and broker share the CPUs; run the generator on another machine (--namesrv) to measure the broker alone",
            ]))
        }
        // The generator first (then nothing else is proven), then the resource at its ceiling.
        if let first = candidates.first {
            return Bottleneck(resource: first.0, evidence: first.1 + knee.reasons + candidates.dropFirst().flatMap(\.1))
        }
        var evidence = knee.reasons + ["no resource at its ceiling (CPU \(fmt(r.hostCPUPercent ?? 0)) %, disk \(fmt(r.diskUtilisationPercent ?? 0)) %)"]
        if let usl { evidence.append("USL σ \(TextFormat.fixed(usl.model.sigma, 3)), κ \(TextFormat.fixed(usl.model.kappa, 5)): serialisation limits throughput") }
        return Bottleneck(resource: .contention, evidence: evidence)
    }

    private static func fmt(_ v: Double) -> String { TextFormat.fixed(v, abs(v) >= 10 ? 0 : 1) }

    private static func mib(_ v: Double?) -> String { fmt((v ?? 0) / 1_048_576) }
}
