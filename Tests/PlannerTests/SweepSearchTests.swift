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

/// What the search says when it ends, and how a sweep's verdicts decide its knee.
@Suite struct SweepEndingTests {
    @Test func theSearchSaysWhyItEnded() throws {
        var converged = SweepSearch(estimate: 12_000, logicalCPUs: 2)
        var rate: Double? = converged.firstRate
        while let r = rate { rate = converged.record(SweepSearchTests().simulate(r, capacity: 10_000)) }
        #expect(converged.finished == "held and broken rates within 5 % of each other")

        var settings = SweepSearch.Settings()
        settings.maxSteps = 2
        var limited = SweepSearch(estimate: 12_000, logicalCPUs: 2, settings: settings)
        #expect(limited.record(SweepSearchTests().simulate(2400, capacity: 10_000)) == 4800)
        #expect(limited.finished == nil)
        #expect(limited.record(SweepSearchTests().simulate(4800, capacity: 10_000)) == nil)
        #expect(limited.finished == "reached the step limit (2)")
    }

    @Test func aGapOfOneMessagePerSecondEndsTheBisection() {
        var settings = SweepSearch.Settings()
        settings.resolution = 0.0001
        var search = SweepSearch(estimate: 10, logicalCPUs: 2, settings: settings)
        var rate: Double? = search.firstRate
        while let r = rate { rate = search.record(SweepSearchTests().simulate(r, capacity: 5.5)) }
        // 2, 4, 6 (broke), then 5: held 5 and broken 6 cannot be split in whole msg/s.
        #expect(search.verdicts.map(\.rate) == [2, 4, 6, 5])
        #expect(search.finished == "held and broken rates 1 msg/s apart")
    }

    @Test func lossAndFailedSLOsAreNamedReasons() {
        var step = MeasuredStep(label: "x", seconds: 10, offeredRate: 100, sendRate: 100, latencyP99Ms: 2, sloMet: false,
                                failedSLOs: ["maxLost", "sendP99"], lostMessages: 3)
        #expect(Knee.problems(step, baseP99: 2) == ["3 acknowledged messages lost", "SLO broken: sendP99"])
        step.failedSLOs = ["maxLost"]
        #expect(Knee.problems(step, baseP99: 2) == ["3 acknowledged messages lost"])
        step.lostMessages = 0
        step.failedSLOs = ["endToEndP99"]
        #expect(Knee.problems(step, baseP99: 2) == ["SLO broken: endToEndP99"])
    }

    @Test func theSweepsVerdictsDecideItsKnee() throws {
        // 5,000 msg/s kept up by the knee's tests, but the sweep broke it on a CPU ceiling.
        let input = Fixtures.input([1000, 3000, 5000])
        let verdicts = [SweepSearch.Verdict(rate: 1000, held: true, reasons: []), SweepSearch.Verdict(rate: 3000, held: true, reasons: []),
                        SweepSearch.Verdict(rate: 5000, held: false, reasons: ["host CPU 90 % ≥ 85 %"])]
        let result = SweepResult(input: input, estimate: 5000, verdicts: verdicts, stopped: "reached the step limit (3)")
        let knee = try #require(result.knee)
        #expect(knee.sustainable.label == "3000" && knee.firstBroken?.label == "5000")
        #expect(knee.reasons == ["host CPU 90 % ≥ 85 %"])
        #expect(result.sustainableRate == 3000)
        // Without verdicts every step kept up.
        #expect(SweepResult(input: input).knee?.firstBroken == nil)
    }
}

extension SweepEndingTests {
    @Test func p99IsJudgedAgainstTheLightestStepSoFar() {
        var search = SweepSearch(estimate: 500, logicalCPUs: 2)
        func step(_ rate: Double, p99: Double, cpu: Double = 20) -> MeasuredStep {
            MeasuredStep(label: "\(Int(rate))", seconds: 5, offeredRate: rate, sendRate: rate, latencyP99Ms: p99,
                         resources: StepResources(hostCPUPercent: cpu))
        }
        // The first step broke on CPU with a noisy p99 of 20 ms; the halved one ran at 3 ms.
        #expect(search.record(step(100, p99: 20, cpu: 91)) == 50)
        #expect(search.record(step(50, p99: 3)) == 75)
        // 75 msg/s at 18 ms is 6 × the lightest step's 3 ms, though under the first step's 20 ms.
        _ = search.record(step(75, p99: 18))
        #expect(search.verdicts.last?.reasons == ["p99 18.0 ms against 3.0 ms at the lightest step"])
    }
}
