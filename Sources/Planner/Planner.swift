/// Turns measured steps and a sizing request into a `CapacityPlan`.
public enum Planner {
    public static func plan(_ input: PlannerInput, _ config: SizingConfig) throws -> CapacityPlan {
        try validate(config)
        let measured = SweepResult(input: input)
        let (costs, knee, usl) = (measured.costs, measured.knee, measured.usl)
        let p = try SizingParameters.resolve(config, input, costs: costs)
        let targets = config.targets
        let top = targets.max { $0.rate < $1.rate }!
        let sizing = ClusterSizing(p: p, baseRate: targets.map(\.rate).min()!)
        let cluster = try sizing.cluster(for: top)
        func latency(near rate: Double) -> Double? {
            input.steps.filter { $0.latencyMeanMs != nil }.min { abs($0.sendRate - rate) < abs($1.sendRate - rate) }?.latencyMeanMs
        }
        let loads = targets.map { sizing.load($0, on: cluster, latencyMs: latency(near: $0.rate / Double(cluster.masters))) }
        let tenTarget = SizingTarget(name: "10 × \(top.name)", rate: top.rate * 10)
        let tenCluster = try sizing.cluster(for: tenTarget)
        let tenLoad = sizing.load(tenTarget, on: tenCluster, latencyMs: latency(near: tenTarget.rate / Double(tenCluster.masters)))
        let tenfold = ScaleUp(target: tenTarget, cluster: tenCluster, load: tenLoad,
                              changes: ScaleUpChanges.describe(from: cluster, to: tenCluster, load: loads.first { $0.target == top }!, tenLoad))
        let warnings = Extrapolation.warnings(input: input, config: config, parameters: p, costs: costs, knee: knee, usl: usl,
                                              loads: loads + [tenLoad])
        return CapacityPlan(cluster: cluster, loads: loads, tenfold: tenfold, parameters: p, costs: costs, usl: usl,
                            uslError: measured.uslError, knee: knee, bottleneck: measured.bottleneck, warnings: warnings, input: input)
    }

    static func validate(_ c: SizingConfig) throws {
        guard !c.targets.isEmpty else { throw PlannerError.noTargets }
        if let h = c.headroom, !(h > 0 && h <= 1) { throw PlannerError.invalid("--headroom must be in (0, 1], e.g. 0.6") }
        if let f = c.failoverCeiling, !(f > 0 && f <= 1) { throw PlannerError.invalid("the failover ceiling must be in (0, 1]") }
        if let r = c.replicas, r < 1 { throw PlannerError.invalid("--replicas counts copies and must be at least 1") }
        if let g = c.consumerGroups, g < 0 { throw PlannerError.invalid("--consumer-groups must be 0 or more") }
        if let m = c.messageBytes, m < 0 || m > 4 * 1024 * 1024 { throw PlannerError.invalid("--message-size must be 0 … 4 MiB (maxMessageSize)") }
        if let r = c.retentionSeconds, r <= 0 { throw PlannerError.invalid("--retention must be positive") }
        if let m = c.minMasters, m < 1 { throw PlannerError.invalid("at least one master") }
        let names = c.targets.map(\.name)
        if Set(names).count != names.count { throw PlannerError.invalid("target names must differ: \(names.joined(separator: ", "))") }
    }
}

/// Sentences for "what changes at 10×".
enum ScaleUpChanges {
    static func describe(from a: ClusterPlan, to b: ClusterPlan, load: LoadAtTarget, _ ten: LoadAtTarget) -> [String] {
        var out: [String] = []
        if b.masters != a.masters {
            out.append("broker groups grow from \(a.masters) to \(b.masters) masters (\(b.slaves) slaves): \(b.reason)")
        } else {
            out.append("the same \(a.masters) masters carry it on bigger nodes")
        }
        if b.node.cores != a.node.cores { out.append("cores per node \(a.node.cores) → \(b.node.cores)") }
        if b.node.memoryBytes != a.node.memoryBytes {
            out.append("memory per node \(Int(a.node.memoryBytes / SizingParameters.gib)) → \(Int(b.node.memoryBytes / SizingParameters.gib)) GiB")
        }
        out.append("disk per node \(Int(a.node.diskBytes / SizingParameters.gib)) → \(Int(b.node.diskBytes / SizingParameters.gib)) GiB")
        if b.binding != a.binding { out.append("the binding resource moves from \(a.binding.rawValue) to \(b.binding.rawValue)") }
        for use in ten.resources where use.resource == .nic || use.resource == .diskBandwidth {
            if use.utilisation > 0.3 {
                out.append("\(use.resource.rawValue) reaches \(Int((use.utilisation * 100).rounded())) % of a node")
            }
        }
        return out
    }
}
