import Foundation
import Metrics
import Profiles
import Testing
@testable import Planner
@testable import Sampler

/// Run results built the way `mqbench run` builds them: a recorder fed a steady
/// open-loop run (1 s warm-up, 2 s measured, every send acknowledged in 2 ms),
/// and a sampler series with the broker (pid 10) and the generator (pid 20).
enum ResultsFixture {
    static let wall0: UInt64 = 1_800_000_000_000_000_000
    static let mono0: UInt64 = 5_000_000_000
    static let ms: UInt64 = 1_000_000

    static func results(rate: Int, body: Int = 1024, groups: Int = 1) throws -> RunResults {
        let consumers = (0..<groups).map { "  - {group: g\($0), count: 1}" }.joined(separator: "\n")
        let profile = try ProfileParser.parse("""
            name: step
            duration: 2s
            warmup: 1s
            sampleInterval: 1s
            message: {size: \(body)}
            producers: {count: 1, rate: \(rate), mode: async}
            consumers:
            \(consumers)
            """, file: "step.yaml")
        let recorder = RunRecorder(profile: profile, startWallNanos: wall0, startMonotonicNanos: mono0)
        let perSlot = rate / 100
        var seq: UInt64 = 0
        for slot in 0..<300 {
            let t = UInt64(slot) * 10 * ms
            if slot > 0, slot % 100 == 0 {
                _ = recorder.closeInterval(wallNanos: wall0 + t, monotonicNanos: mono0 + t)
                if slot == 100 { recorder.beginMeasurement(wallNanos: wall0 + t, monotonicNanos: mono0 + t) }
            }
            for _ in 0..<perSlot {
                recorder.sendCompleted(SendRecord(producer: 0, firstSequence: seq, count: 1, bytes: body, intendedNanos: mono0 + t,
                                                  startedNanos: mono0 + t, completedNanos: mono0 + t + 2 * ms, outcome: .acknowledged))
                for g in 0..<groups {
                    recorder.received(ReceiveRecord(group: "g\(g)", consumer: 0, stamp: MessageStamp(producer: 0, sequence: seq, sentWallNanos: wall0 + t),
                                                    receivedWallNanos: wall0 + t + 3 * ms, consumeNanos: 0, bytes: body))
                }
                seq += 1
            }
        }
        let end = 300 * 10 * ms
        _ = recorder.closeInterval(wallNanos: wall0 + end, monotonicNanos: mono0 + end)
        recorder.endMeasurement(wallNanos: wall0 + end, monotonicNanos: mono0 + end)
        let start = Double(wall0) / 1e9
        // Broker CPU follows the rate: 0.1 core idle + 100 µs per message.
        let samples = (1...3).map { i in
            Fixtures.sample(start + Double(i), brokerCPU: (0.1 + 1e-4 * Double(rate)) * 100, write: 2000 * Double(rate), cached: 1 << 30)
        }
        let series = ResourceSeries(agent: 1, series: SampleSeries(intervalSeconds: 1, storeDisks: ["vda"], samples: samples,
                                                                  samplerCost: Sampler.Cost(reads: 4, cpuSeconds: 0, wallSeconds: 3)),
                                    processes: [ProcessRole(pid: 10, role: .broker), ProcessRole(pid: 20, role: .generator)])
        return RunResults(profile: profile, recorded: recorder.recorded(wallNanos: wall0 + end, monotonicNanos: mono0 + end),
                          agent: AgentInfo(hostname: "bench-a", pid: 20),
                          environment: RunEnvironment(hostname: "bench-a", cpuModel: "Test CPU", cores: 2, memoryBytes: 1 << 34),
                          resources: series, createdAt: 1_800_000_010)
    }
}

@Suite struct ResultsAdapterTests {
    @Test func eachRunBecomesAStep() throws {
        let input = try PlannerInput(results: [ResultsFixture.results(rate: 2000), ResultsFixture.results(rate: 1000)],
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
            try PlannerInput(results: [ResultsFixture.results(rate: 1000), ResultsFixture.results(rate: 2000, body: 4096)],
                             sources: ["a", "b"])
        }
        #expect(throws: PlannerError.notEnoughMeasurements("no results given")) { try PlannerInput(results: [], sources: []) }
    }
}
