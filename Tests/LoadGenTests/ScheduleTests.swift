import LoadGen
import Profiles
import Testing

/// Profiles from YAML text, as users write them.
func profile(_ yaml: String) throws -> Profile {
    try ProfileParser.parse(yaml, file: "test.yaml")
}

@Suite struct RateScheduleTests {
    @Test func constantCountsAreTheIntegralRoundedToWholeMessages() throws {
        let s = RateSchedule(constant: 500, seconds: 30)
        #expect(s.totalCount == 15_000)
        #expect(s.due(at: 0) == 0)
        #expect(s.due(at: 1) == 500)
        #expect(s.due(at: 0.0031) == 2)  // 1.55 messages → 2 (k + ½ rule)
        #expect(s.due(at: 60) == 15_000)
        // The first message is due half an interval in, the k-th at (k + ½)/rate.
        #expect(abs(s.time(ofCount: 0.5)! - 0.001) < 1e-12)
        #expect(abs(s.time(ofCount: 1000.5)! - 2.001) < 1e-9)
        #expect(s.time(ofCount: 15_001) == nil)
    }

    @Test func shapedScheduleFollowsEveryPhase() throws {
        let p = try profile("""
            warmup: 10s
            duration: 50s
            producers:
              count: 4
              schedule:
                - {constant: 1000, for: 10s}
                - {ramp: {from: 1000, to: 3000}, for: 20s}
                - {steps: {from: 100, to: 400, count: 4}, for: 20s}
                - {spike: 10k, for: 10s}
            """)
        let s = RateSchedule(phases: p.producers.schedule)
        #expect(s.totalSeconds == 60)
        #expect(s.rate(at: 5) == 1000)
        #expect(abs(s.rate(at: 20) - 2000) < 1e-9)
        #expect(s.rate(at: 31) == 100 && s.rate(at: 36) == 200 && s.rate(at: 49.9) == 400)
        #expect(s.peakRate == 10_000)
        // Integral of each phase: 10k, (1000+3000)/2·20 = 40k, (100+200+300+400)·5 = 5k, 100k.
        #expect(abs(s.count(at: 10) - 10_000) < 1e-6)
        #expect(abs(s.count(at: 30) - 50_000) < 1e-6)
        #expect(abs(s.count(at: 50) - 55_000) < 1e-6)
        #expect(abs(s.totalCount - 155_000) < 1e-6)
        // Inside the ramp: ∫ from 10 to 20 s = 1000·10 + 100·10²/2 = 15,000.
        #expect(abs(s.count(at: 20) - 25_000) < 1e-6)
        // The inverse returns the time a count is reached, in every kind of phase.
        for t in stride(from: 0.25, through: 59.75, by: 0.5) {
            let c = s.count(at: t)
            #expect(abs(s.time(ofCount: c)! - t) < 1e-6, "t=\(t)")
        }
        // Agrees with Profile.intendedRate everywhere.
        for t in stride(from: 0.0, to: 60, by: 0.7) {
            #expect(abs(s.rate(at: t) - p.intendedRate(at: t)) < 1e-6, "t=\(t)")
        }
    }

    @Test func rampFromZeroAndScaling() throws {
        let p = try profile("duration: 10s\nproducers: {schedule: [{ramp: {from: 0, to: 1000}, for: 10s}]}\n")
        let s = RateSchedule(phases: p.producers.schedule)
        #expect(abs(s.totalCount - 5000) < 1e-9)
        #expect(abs(s.time(ofCount: 50)! - 1) < 1e-9)  // ∫0..1 100t dt = 50
        let doubled = s.scaled(by: 2)
        #expect(abs(doubled.totalCount - 10_000) < 1e-9)
        #expect(abs(doubled.time(ofCount: 100)! - 1) < 1e-9)
    }

    @Test func producersShareTheScheduleExactly() throws {
        let s = RateSchedule(constant: 20_000, seconds: 3)
        let plans = (0..<7).map { SendPlan(producer: $0, producers: 7, schedule: s) }
        for t in [0.0, 0.0001, 0.013, 0.5, 1.2345, 2.9999, 3, 10] {
            let sum = plans.reduce(0) { $0 + $1.messagesDue(at: t) }
            #expect(sum == s.due(at: min(t, 3)), "t=\(t)")
        }
        // Each producer's k-th send is due at its global message's time, in order.
        let p3 = plans[3]
        var previous = -1.0
        for unit in 0..<200 {
            let at = p3.intendedSeconds(ofUnit: unit)
            #expect(at > previous)
            #expect(p3.messagesDue(at: at + 1e-9) == unit + 1)
            previous = at
        }
        #expect(plans.reduce(0) { $0 + $1.totalUnits } == 60_000)
    }

    @Test func batchesAreDueWithTheirLastMessage() {
        let s = RateSchedule(constant: 1000, seconds: 1)
        let plan = SendPlan(producer: 1, producers: 2, batchSize: 16, schedule: s)
        #expect(plan.totalUnits == 500 / 16)
        #expect(plan.firstSequence(ofUnit: 3) == 48)
        // Unit 0 holds messages 0…15 of producer 1 (global 1, 3, …, 31): due with global 31 at 31.5 ms.
        #expect(abs(plan.intendedSeconds(ofUnit: 0) - 0.0315) < 1e-9)
        #expect(plan.unitsDue(at: 0.0314) == 0 && plan.unitsDue(at: 0.0316) == 1)
    }

    @Test func closedLoopHasNoSchedule() {
        let plan = SendPlan(producer: 0, producers: 1, schedule: nil)
        #expect(plan.isClosedLoop && plan.unitsDue(at: 0) == Int.max && plan.intendedSeconds(ofUnit: 5) == 0)
    }
}
