import BenchFixtures
import Foundation
import Metrics
import Profiles
import Testing
@testable import Planner
@testable import Sampler

@Suite struct ResultsAdapterTests {
    @Test func eachRunBecomesAStep() throws {
        let input = try PlannerInput(results: [SyntheticResults.make(rate: 2000), SyntheticResults.make(rate: 1000)],
                                     sources: ["b/results.json", "a/results.json"])
        #expect(input.steps.map(\.offeredRate) == [1000, 2000])
        let step = input.steps[1]
        #expect(abs(step.sendRate - 2000) < 1)
        #expect(abs(try #require(step.latencyP50Ms) - 2) < 0.01)
        #expect(abs(try #require(step.resources.brokerCores) - 0.3) < 1e-9)
        #expect(step.resources.generatorCores == 0.3)
        #expect(step.sloMet == true)
        #expect(abs(try #require(step.backlogGrowthPerSecond)) < 1)
        #expect(input.workload.messageBytes == 1024 && input.workload.consumerGroups == 1 && input.workload.topicBytes > 0)
        #expect(input.host.hostname == "bench-a" && input.host.logicalCPUs == 2)
        #expect(input.host.nicSpeedMbps == 1000)
        // Broker CPU per message from the two runs: 100 µs.
        let cpu = try #require(ResourceCosts.regress(input.steps).brokerCPU)
        #expect(abs(cpu.slope - 1e-4) < 1e-9)
    }

    @Test func differentWorkloadsAreRefused() throws {
        #expect(throws: PlannerError.self) {
            try PlannerInput(results: [SyntheticResults.make(rate: 1000), SyntheticResults.make(rate: 2000, body: 4096)],
                             sources: ["a", "b"])
        }
        #expect(throws: PlannerError.notEnoughMeasurements("no results given")) { try PlannerInput(results: [], sources: []) }
    }
}
