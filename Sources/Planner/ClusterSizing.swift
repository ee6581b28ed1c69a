import Foundation

/// The sizing model (benchmarking.md §5.2), per broker group of one master and
/// (copies − 1) slaves, with the load spread evenly over the masters' queues.
struct ClusterSizing {
    let p: SizingParameters
    /// The lowest target: the rate outside the peak window (storage).
    let baseRate: Double

    static let coreSizes = [2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256]
    static let memorySizes = [4, 8, 16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024].map { Double($0) * SizingParameters.gib }

    /// Needs of one master at `rate` over `masters` groups (before rounding to a node).
    struct Needs {
        var cores: Double
        var slaveCores: Double
        var memory: Double
        var diskSpace: Double
        var diskWrite: Double
        var nicIn: Double
        var nicOut: Double
        var nicBits: Double { max(nicIn, nicOut) * 8 }
    }

    func needs(rate: Double, masters: Int) -> Needs {
        let t = rate / Double(masters)
        let stored = p.storedBytesPerMessage
        // Retention at the base rate, with one peak window at this rate (the time-weighted average).
        let peak = min(p.peakSeconds, p.retentionSeconds)
        let retained = (baseRate * (p.retentionSeconds - peak) + max(rate, baseRate) * peak) / Double(masters) * stored
        let lagBytes = t * stored * p.consumerLagSeconds
        let memory = max(p.brokerRSSBytes + p.osReserveBytes + t * stored * (p.hotWindowSeconds + p.consumerLagSeconds),
                         lagBytes / p.lagMemoryRatio)
        return Needs(cores: p.idleCores + t * p.masterCPUSecondsPerMessage,
                     slaveCores: p.idleCores + t * p.writeCPUSecondsPerMessage,
                     memory: memory, diskSpace: retained / p.diskMaxFill, diskWrite: t * p.diskBytesPerMessage,
                     nicIn: t * p.wireBytesPerMessage,
                     nicOut: t * p.wireBytesPerMessage * Double(p.consumerGroups + p.replicas - 1))
    }

    /// The fewest masters (at least `minMasters`) whose needs fit the largest node
    /// under the headroom, and after losing one master under the failover ceiling.
    func cluster(for target: SizingTarget) throws -> ClusterPlan {
        for masters in p.minMasters...10_000 {
            let n = needs(rate: target.rate, masters: masters)
            let over = exceeded(target, masters: masters)
            if over.isEmpty {
                let node = nodeSpec(n, masters: masters)
                let uses = resources(n, node: node, masters: masters)
                let forcedBy = masters > p.minMasters ? exceeded(target, masters: masters - 1) : []
                // Memory and disk space are bought to fit; the fixed-capacity resources bind.
                let binding = forcedBy.first ?? uses.filter { [.cpu, .diskBandwidth, .nic].contains($0.resource) }
                    .max { $0.utilisation / $0.ceiling < $1.utilisation / $1.ceiling }!.resource
                let reason = forcedBy.isEmpty
                    ? "the minimum of \(p.minMasters) masters carries the load"
                    : "\(masters - 1) masters would exceed the largest node's \(forcedBy.map(\.rawValue).joined(separator: ", ")) limit"
                return ClusterPlan(sizedFor: target.name, masters: masters, slaves: masters * (p.replicas - 1),
                                   nameServers: p.nameServers, node: node, binding: binding, reason: reason)
            }
        }
        throw PlannerError.invalid("\(target.name): no cluster of up to 10,000 masters carries \(Int(target.rate)) msg/s")
    }

    /// The resources over their limit (headroom, failover ceiling, largest node) with `masters` masters.
    private func exceeded(_ target: SizingTarget, masters: Int) -> [PlanResource] {
        let n = needs(rate: target.rate, masters: masters)
        let lost = masters > 1 ? Double(masters) / Double(masters - 1) : 1
        func over(_ need: Double, _ cap: Double) -> Bool { need > cap * p.headroom || need * lost > cap * p.failoverCeiling }
        var out: [PlanResource] = []
        if over(n.cores, Double(p.maxNodeCores)) { out.append(.cpu) }
        if n.memory > p.maxNodeMemoryBytes { out.append(.memory) }
        if n.diskSpace > p.maxNodeDiskBytes { out.append(.diskSpace) }
        if over(n.diskWrite, p.diskBandwidthBytesPerSecond) { out.append(.diskBandwidth) }
        if over(n.nicBits, p.nicBitsPerSecond) { out.append(.nic) }
        return out
    }

    /// The smallest standard node that holds the needs under the headroom and, with one master lost, the failover ceiling.
    func nodeSpec(_ n: Needs, masters: Int) -> NodeSpec {
        let lost = masters > 1 ? Double(masters) / Double(masters - 1) : 1
        let coresNeeded = max(n.cores / p.headroom, n.cores * lost / p.failoverCeiling)
        let cores = Self.coreSizes.first { Double($0) >= coresNeeded } ?? Int(coresNeeded.rounded(.up))
        let memory = Self.memorySizes.first { $0 >= n.memory } ?? n.memory
        // Disks are bought in 100 GiB steps.
        let step = 100 * SizingParameters.gib
        let disk = (n.diskSpace / step).rounded(.up) * step
        return NodeSpec(cores: cores, memoryBytes: memory, diskBytes: max(step, disk),
                        diskBandwidthBytesPerSecond: p.diskBandwidthBytesPerSecond, nicBitsPerSecond: p.nicBitsPerSecond)
    }

    /// Needs against a node, for one load.
    func resources(_ n: Needs, node: NodeSpec, masters: Int) -> [ResourceUse] {
        let lost: Double? = masters > 1 ? Double(masters) / Double(masters - 1) : nil
        func use(_ r: PlanResource, _ need: Double, _ cap: Double, _ unit: String, ceiling: Double, failover: Bool = true,
                 _ formula: String) -> ResourceUse {
            ResourceUse(resource: r, need: need, capacity: cap, unit: unit, utilisation: need / cap,
                        failoverUtilisation: failover ? lost.map { need * $0 / cap } : nil, ceiling: ceiling, formula: formula)
        }
        let streams = p.consumerGroups + p.replicas - 1
        return [
            use(.cpu, n.cores, Double(node.cores), "cores", ceiling: p.headroom,
                "idle + rate × CPU/msg × (1 + \(SizingParameters.fixed2(p.readStreamWeight)) × \(streams) read streams)"),
            use(.memory, n.memory, node.memoryBytes, "bytes", ceiling: 1, failover: false,
                "RSS + OS + rate × stored × (hot window + lag), ≥ lag ÷ \(SizingParameters.percent(p.lagMemoryRatio))"),
            use(.diskSpace, n.diskSpace * p.diskMaxFill, node.diskBytes, "bytes", ceiling: p.diskMaxFill, failover: false,
                "stored × (base rate × (retention − peak) + rate × peak) ÷ masters"),
            use(.diskBandwidth, n.diskWrite, node.diskBandwidthBytesPerSecond, "bytes/s", ceiling: p.headroom,
                "rate × disk bytes/msg"),
            use(.nic, n.nicBits, node.nicBitsPerSecond, "bits/s", ceiling: p.headroom,
                "max(in, out) × 8; out = rate × wire × (\(p.consumerGroups) groups + \(p.replicas - 1) slaves)"),
        ]
    }

    func load(_ target: SizingTarget, on cluster: ClusterPlan, latencyMs: Double?) -> LoadAtTarget {
        let n = needs(rate: target.rate, masters: cluster.masters)
        return LoadAtTarget(target: target, ratePerMaster: target.rate / Double(cluster.masters),
                            ingressBytesPerSecond: target.rate * p.storedBytesPerMessage,
                            resources: resources(n, node: cluster.node, masters: cluster.masters), slaveCores: n.slaveCores,
                            inFlightSends: latencyMs.map { target.rate * $0 / 1000 })
    }
}
