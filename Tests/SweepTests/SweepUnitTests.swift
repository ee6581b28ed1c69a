import Foundation
import Planner
import Profiles
import Testing
@testable import Sweep

/// The sweep's pure parts: where the ramp starts, the step profiles, the lines it prints.
@Suite struct SweepStartTests {
    @Test func aGivenEstimateSeedsTheRamp() throws {
        let start = try SweepStart(estimate: 5000)
        #expect(!start.needsClosedLoopRun)
        let search = try start.search(measured: nil, settings: SweepSearch.Settings(), logicalCPUs: 2)
        #expect(search.estimate == 5000 && search.firstRate == 1000)
    }

    @Test func withoutEstimateOrStartRateTheClosedLoopRunMeasuresIt() throws {
        let start = try SweepStart()
        #expect(start.needsClosedLoopRun)
        #expect(throws: SweepError.self) { try start.search(measured: nil, settings: SweepSearch.Settings(), logicalCPUs: 2) }
        #expect(try start.search(measured: 3436, settings: SweepSearch.Settings(), logicalCPUs: 2).firstRate == 687)
        // A closed-loop run that sent nothing is an error, not a ramp from 0.
        #expect(throws: SweepError.self) { try start.search(measured: 0.4, settings: SweepSearch.Settings(), logicalCPUs: 2) }
    }

    @Test func aStartRateAloneIsAlsoTheIncrement() throws {
        let start = try SweepStart(startRate: 800)
        #expect(!start.needsClosedLoopRun)
        var search = try start.search(measured: nil, settings: SweepSearch.Settings(), logicalCPUs: 2)
        #expect(search.estimate == 4000 && search.firstRate == 800)
        let held = MeasuredStep(label: "800", seconds: 10, offeredRate: 800, sendRate: 800, latencyP99Ms: 2)
        #expect(search.record(held) == 1600)
    }

    @Test func aStartRateWithAnEstimateMovesOnlyTheFirstStep() throws {
        var search = try SweepStart(estimate: 10_000, startRate: 500).search(measured: 9999, settings: SweepSearch.Settings(), logicalCPUs: 2)
        #expect(search.estimate == 10_000 && search.firstRate == 500)
        #expect(search.record(MeasuredStep(label: "500", seconds: 10, offeredRate: 500, sendRate: 500, latencyP99Ms: 2)) == 2500)
    }

    @Test func badStartsAreRefusedWithTheOptionNamed() {
        #expect(throws: SweepError("--estimate must be at least 1 msg/s (got 0.0)")) { try SweepStart(estimate: 0) }
        #expect(throws: SweepError("--start-rate must be at least 1 msg/s (got -5.0)")) { try SweepStart(startRate: -5) }
        // 2 msg/s × 20 % rounds to 0: the ramp would never climb.
        #expect(throws: SweepError.self) { try SweepStart(estimate: 2).search(measured: nil, settings: SweepSearch.Settings(), logicalCPUs: 2) }
    }
}

@Suite struct StepProfileTests {
    let profile: Profile = {
        try! ProfileParser.parse("""
            name: shaped
            duration: 5m
            warmup: 30s
            sampleInterval: 5s
            topics: {count: 1, prefix: T, queuesPerTopic: 4}
            producers:
              count: 4
              schedule:
                - {ramp: {from: 100, to: 1000}, for: 1m}
                - {constant: 1000, for: 4m30s}
            consumers:
              - {group: a, count: 1, pauses: [{at: 1m, for: 10s}]}
              - {group: b, count: 1, resumeAtBacklog: 500}
            faults:
              - {at: 2m, action: kill-broker, restartAfter: 5s}
            slo: {sendP99: 10ms}
            """, file: "shaped.yaml")
    }()

    @Test func aStepIsTheProfileAtAConstantOpenLoopRate() {
        let (p, dropped) = StepProfiles.step(profile, rate: 2400, warmup: 10, seconds: 60)
        #expect(!p.producers.closedLoop)
        #expect(p.producers.schedule == [Profile.Phase(shape: .constant(2400), seconds: 70)])
        #expect(p.warmup == 10 && p.duration == 60 && p.sampleInterval == 5)
        #expect((0..<70).allSatisfy { p.intendedRate(at: Double($0)) == 2400 })
        // What a steady step leaves out, said in words.
        #expect(p.faults.isEmpty && p.consumers.allSatisfy { $0.pauses.isEmpty && $0.resumeAtBacklog == 0 })
        #expect(dropped == ["kill-broker at 120s", "pause of a at 60s", "b waiting for a backlog of 500"])
        // The rest of the workload is the profile's.
        #expect(p.topics == profile.topics && p.slo == profile.slo && p.producers.count == 4 && p.consumers.count == 2)
    }

    @Test func theEstimateIsTheProfileInClosedLoop() {
        let (p, _) = StepProfiles.estimate(profile, warmup: 2, seconds: 3)
        #expect(p.producers.closedLoop && p.producers.schedule.isEmpty)
        #expect(p.warmup == 2 && p.duration == 3 && p.sampleInterval == 3)
    }

    @Test func stepDirectoriesSortInRunOrder() throws {
        let o = SweepOptions(profile: profile, profilePath: "p.yaml", outDirectory: "OUT", binDirectory: ".", start: try SweepStart(estimate: 10))
        #expect(o.stepDirectory(number: 3, rate: 4800) == "OUT/steps/03-4800")
        #expect(o.stepDirectory(number: 12, rate: 150.4) == "OUT/steps/12-150")
        #expect(SweepOptions.defaultOutDirectory(profile: "smoke", now: Date(timeIntervalSince1970: 1_800_000_000))
            .hasPrefix("reports/sweep-smoke-20270115-"))
    }
}

@Suite struct SweepTextTests {
    let step = MeasuredStep(label: "tiny 2061", seconds: 2, offeredRate: 2061, sendRate: 2029.4, consumeRate: 2030.2,
                            latencyP99Ms: 28.2, endToEndP99Ms: 12.6, sendDelayP99Ms: 21.1, backlogGrowthPerSecond: -3,
                            resources: StepResources(hostCPUPercent: 90.8))

    @Test func aStepLineHasRatesPercentilesAndTheVerdict() {
        let broke = SweepSearch.Verdict(rate: 2061, held: false, reasons: ["host CPU 90 % ≥ 85 %", "p99 28.2 ms against 4.8 ms at the lightest step"])
        #expect(SweepText.finished(number: 3, step: step, verdict: broke)
            == "step 3  2,061 msg/s  sent 2,029/s  consumed 2,030/s  p99 send 28.2 ms  e2e 12.6 ms  delay 21.1 ms  backlog -3/s  CPU 90.8 %  "
            + "BROKE: host CPU 90 % ≥ 85 %; p99 28.2 ms against 4.8 ms at the lightest step")
        let held = SweepSearch.Verdict(rate: 2061, held: true, reasons: [])
        #expect(SweepText.finished(number: 3, step: step, verdict: held).hasSuffix("CPU 90.8 %  held"))
        var growing = step
        growing.backlogGrowthPerSecond = 412.4
        #expect(SweepText.finished(number: 3, step: growing, verdict: held).contains("  backlog +412/s  "))
        growing.backlogGrowthPerSecond = -0.3
        #expect(SweepText.finished(number: 3, step: growing, verdict: held).contains("  backlog 0/s  "))
        #expect(SweepText.starting(number: 3, rate: 2061, warmup: 10, seconds: 60) == "step 3: offering 2,061 msg/s (10 s warm-up + 1 min) …")
        #expect(SweepText.loss(number: 3, lost: 1200, directory: "OUT/steps/03-2061")
            == "!!! step 3 LOST 1,200 acknowledged messages (verification): see OUT/steps/03-2061/results.json")
    }
}

extension SweepTextTests {
    @Test func theSummaryStatesTheMaximumAndShoutsAboutLoss() {
        let host = HostProfile(hostname: "h", logicalCPUs: 2)
        let workload = MeasuredWorkload(messageBytes: 512, topicBytes: 5, consumerGroups: 1)
        let held = MeasuredStep(label: "s 100", seconds: 5, offeredRate: 100, sendRate: 100, latencyP99Ms: 2, lostMessages: 0)
        let lossy = MeasuredStep(label: "s 200", seconds: 5, offeredRate: 200, sendRate: 200, latencyP99Ms: 2, sloMet: false,
                                 failedSLOs: ["maxLost"], lostMessages: 7)
        let verdicts = [SweepSearch.Verdict(rate: 100, held: true, reasons: []),
                        SweepSearch.Verdict(rate: 200, held: false, reasons: ["7 acknowledged messages lost"])]
        let result = SweepResult(input: PlannerInput(steps: [held, lossy], host: host, workload: workload), estimate: 500,
                                 verdicts: verdicts, stopped: "reached the step limit (2)")
        let text = SweepText.summary(result)
        #expect(text.hasPrefix("Sweep on h (2 CPUs): 2 steps, reached the step limit (2).\n"))
        #expect(text.contains("Sustainable maximum: 100 msg/s (offered 100 msg/s); broke at 200 msg/s: 7 acknowledged messages lost."))
        #expect(text.hasSuffix("!!! MESSAGE LOSS: s 200 lost 7 acknowledged messages"))
        #expect(text.contains("USL: no fit ("))
        let one = SweepResult(input: PlannerInput(steps: [held], host: host, workload: workload), verdicts: [verdicts[0]])
        #expect(SweepText.summary(one).contains("1 step.\nSustainable maximum: 100 msg/s (offered 100 msg/s); no step broke"))
    }
}
