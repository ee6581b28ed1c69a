import Sampler

/// Where the plan goes beyond what the measurements support.
enum Extrapolation {
    static func warnings(input: PlannerInput, config: SizingConfig, parameters p: SizingParameters, costs: ResourceCosts,
                         knee: Knee?, usl: USLFit?, loads: [LoadAtTarget]) -> [String] {
        var out: [String] = []
        let steady = ResourceCosts.steadySteps(input.steps)
        let measuredMax = steady.map(\.sendRate).max() ?? 0
        for load in loads where load.ratePerMaster > measuredMax * 1.05 {
            out.append("\(load.target.name): \(Int(load.ratePerMaster)) msg/s per master is beyond the highest steady measured rate "
                       + "(\(Int(measuredMax)) msg/s); per-message costs are extrapolated ×\(TextFormat.fixed(load.ratePerMaster / max(measuredMax, 1), 1)) "
                       + "and assume a bigger node scales linearly with its cores")
        }
        if let knee, knee.firstBroken == nil, let top = loads.map(\.ratePerMaster).max(), top > knee.sustainable.sendRate {
            out.append("no measured step broke: the measured host's own limit is unknown (the sweep stopped at \(Int(knee.sustainable.sendRate)) msg/s)")
        }
        if let peak = usl?.peakThroughput, let top = loads.map(\.ratePerMaster).max(), top > peak {
            out.append("the USL fit predicts the measured host peaks at \(Int(peak)) msg/s, below \(Int(top)) msg/s per master: "
                       + "a node of the measured size could not carry it")
        }
        if let cpu = costs.brokerCPUForSizing {
            if cpu.points < 3 { out.append("broker CPU cost from only \(cpu.points) steps") }
            if cpu.throughOrigin == true {
                out.append("broker CPU did not rise with the rate (the host's CPUs were saturated, shared with the generator): "
                           + "its cost is the average per message, idle included; measure with the generator on another machine (--namesrv)")
            } else if cpu.rSquared < 0.9 { out.append("broker CPU does not follow the rate closely (R² \(TextFormat.fixed(cpu.rSquared, 2))): noisy or saturated steps") }
        }
        if costs.diskWrite == nil { out.append("no disk measurement: disk bandwidth uses the stored size without write amplification") }
        let measuredBody = input.workload.messageBytes
        if measuredBody > 0, p.bodyBytes > 2 * measuredBody || p.bodyBytes < measuredBody / 2 {
            out.append("planned body \(Int(p.bodyBytes)) B differs from the measured \(Int(measuredBody)) B: CPU per message is taken as measured")
        }
        if let f = input.workload.flush, f != p.flush {
            out.append("planned \(p.flush.rawValue) flush but measured \(f.rawValue): CPU and disk costs may differ (SYNC waits for msync per group commit)")
        }
        if p.replicas > input.workload.replicas {
            out.append("replication (\(p.replicas) copies) was not measured (\(input.workload.replicas)); slaves are modelled as read streams")
        }
        if p.consumerGroups != input.workload.consumerGroups {
            out.append("\(p.consumerGroups) consumer groups planned, \(input.workload.consumerGroups) measured: read cost per group is assumed")
        }
        return out
    }
}
