@testable import Planner

/// Steps measured on a synthetic broker with known costs: broker CPU 0.1 core
/// idle + 50 µs per message, disk 2 × the stored size (1,255 B) per message,
/// NIC 1,300 B per message per stream over 3 streams (produce + 2 groups),
/// saturating at 6,000 msg/s.
enum Fixtures {
    static let stored = 91.0 + 1024 + 20 + 100 + 20

    static func step(_ offered: Double) -> MeasuredStep {
        let achieved = min(offered, 6000)
        let saturated = offered > 6000
        return MeasuredStep(
            label: "\(Int(offered))", seconds: 30, offeredRate: offered, sendRate: achieved, consumeRate: 2 * achieved,
            latencyMeanMs: saturated ? 400 : 2 + achieved / 3000, latencyP50Ms: 2, latencyP99Ms: saturated ? 900 : 8,
            backlogGrowthPerSecond: saturated ? offered - achieved : 0, sloMet: !saturated,
            resources: StepResources(brokerCores: 0.1 + 50e-6 * achieved, generatorCores: 0.05 + 20e-6 * achieved,
                                     diskWriteBytesPerSecond: 2 * stored * achieved, diskUtilisationPercent: achieved / 100,
                                     nicRxBytesPerSecond: 3 * 1300 * achieved, nicTxBytesPerSecond: 3 * 1300 * achieved,
                                     brokerRSSBytes: 512 * 1024 * 1024))
    }

    static func input(_ offered: [Double] = [1000, 2000, 3000, 4000, 5000, 6000, 7000]) -> PlannerInput {
        PlannerInput(steps: offered.map(step), host: HostProfile(hostname: "test", logicalCPUs: 2, memoryBytes: 24e9),
                     workload: MeasuredWorkload(messageBytes: 1024, topicBytes: 20, propertiesBytes: 100, consumerGroups: 2,
                                                flush: .async, replicas: 1))
    }

    static func config() -> SizingConfig {
        var c = SizingConfig(targets: [SizingTarget(name: "normal", rate: 2000), SizingTarget(name: "promotion", rate: 20000)])
        c.replicas = 2
        c.diskBandwidthBytesPerSecond = 250 * 1024 * 1024
        return c
    }
}
