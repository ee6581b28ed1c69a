import Testing
@testable import Planner

/// The search against a simulated broker that keeps up to `capacity` msg/s and
/// past it achieves only `capacity` with a growing backlog.
@Suite struct SweepSearchTests {
    func simulate(_ rate: Double, capacity: Double, cpuAtCapacity: Double = 70) -> MeasuredStep {
        let achieved = min(rate, capacity)
        return MeasuredStep(label: "\(Int(rate))", seconds: 20, offeredRate: rate, sendRate: achieved,
                            latencyP99Ms: rate <= capacity ? 5 : 500, backlogGrowthPerSecond: max(0, rate - capacity),
                            resources: StepResources(hostCPUPercent: cpuAtCapacity * achieved / capacity))
    }

    func run(estimate: Double, capacity: Double, cpuAtCapacity: Double = 70) -> SweepSearch {
        var search = SweepSearch(estimate: estimate, logicalCPUs: 2)
        var rate: Double? = search.firstRate
        while let r = rate { rate = search.record(simulate(r, capacity: capacity, cpuAtCapacity: cpuAtCapacity)) }
        return search
    }

    @Test func convergesOnTheKneeWithinTheResolution() throws {
        let search = run(estimate: 12_000, capacity: 10_000)
        let held = try #require(search.sustainable), broken = try #require(search.firstBroken)
        #expect(held <= 10_000 && broken > 10_000)
        #expect((broken - held) / held <= 0.05)
        #expect(search.verdicts.first?.rate == 2400)
        #expect(search.verdicts.count <= 10)
        #expect(search.verdicts.first { !$0.held }?.reasons.contains { $0.hasPrefix("achieved 10000 of 12000") } == true)
        #expect(search.verdicts.allSatisfy { $0.held == $0.reasons.isEmpty })
    }

    @Test func aCeilingStopsTheRampBeforeThroughputFlattens() throws {
        // CPU reaches 85 % at 8,500 msg/s although the broker would keep up to 10,000.
        let search = run(estimate: 12_000, capacity: 10_000, cpuAtCapacity: 100)
        #expect(try #require(search.firstBroken) <= 9_000)
        #expect(search.verdicts.contains { $0.reasons.contains { $0.hasPrefix("host CPU") } })
    }

    @Test func anEstimateFarTooHighHalvesDown() throws {
        let search = run(estimate: 200_000, capacity: 10_000)
        #expect(try #require(search.sustainable) <= 10_000)
        #expect(search.verdicts.count <= SweepSearch.Settings().maxSteps)
    }
}
