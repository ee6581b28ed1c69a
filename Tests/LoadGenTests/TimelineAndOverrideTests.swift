import LoadGen
import Profiles
import Testing

@Suite struct FaultTimelineTests {
    @Test func faultsAndPausesInTimeOrder() throws {
        let p = try profile("""
            duration: 60s
            producers: {rate: 100}
            consumers:
              - {group: a, pauses: [{at: 10s, for: 5s}]}
              - {group: b}
            faults:
              - {at: 30s, action: kill-broker, restartAfter: 2s}
              - {at: 12s, action: throttle-consumers, group: b, rate: 50}
              - {at: 40s, action: stop-broker}
            """)
        var t = FaultTimeline(profile: p)
        #expect(t.pending.map(\.at) == [10, 12, 15, 30, 40])
        #expect(t.take(upTo: 9.99).isEmpty)
        #expect(t.take(upTo: 12).map(\.action) == [.pauseConsumers(group: "a"), .throttleConsumers(group: "b", rate: 50)])
        #expect(t.take(upTo: 31).map(\.action) == [.resumeConsumers(group: "a"), .killBroker(restartAfter: 2)])
        #expect(t.pending.map(\.action) == [.stopBroker(restartAfter: nil)])
        #expect(FaultTimeline.Action.killBroker(restartAfter: 2).description == "kill-broker (restart after 2s)")
        #expect(FaultTimeline.Action.throttleConsumers(group: "b", rate: 50).description == "throttle-consumers b to 50 msg/s")
    }
}

@Suite struct ProfileOverridesTests {
    let shaped = """
        warmup: 30s
        producers:
          schedule:
            - {constant: 2000, for: 90s}
            - {spike: 50000, for: 10s}
            - {constant: 2000, for: 120s}
        consumers: [{group: g, pauses: [{at: 100s, for: 10s}]}]
        faults: [{at: 200s, action: kill-broker, restartAfter: 5s}, {at: 20s, action: pause-consumers}]
        """

    @Test func durationStretchesTheShapeAndDropsLateFaults() throws {
        let (p, dropped) = try ProfileOverrides(duration: 60).apply(to: try profile(shaped))
        #expect(p.duration == 60 && p.warmup == 30)
        let s = RateSchedule(phases: p.producers.schedule)
        #expect(abs(s.totalSeconds - 90) < 1e-9)
        #expect(abs(p.producers.schedule[1].seconds - 10 * 90 / 220) < 1e-9)
        #expect(s.peakRate == 50_000)
        #expect(p.faults.map(\.at) == [20])
        #expect(p.consumers[0].pauses.isEmpty)
        #expect(dropped == ["kill-broker at 200.0s", "pause of g at 100.0s"])
    }

    @Test func rateScalesToThePeak() throws {
        let (p, _) = try ProfileOverrides(rate: 25_000, warmup: 0).apply(to: try profile(shaped))
        let s = RateSchedule(phases: p.producers.schedule)
        #expect(s.peakRate == 25_000 && s.rate(at: 1) == 1000)
        #expect(p.warmup == 0 && abs(s.totalSeconds - p.duration) < 1e-9)
    }

    @Test func badOverridesAreRefused() throws {
        let closed = try profile("duration: 10s\nproducers: {closedLoop: true}\n")
        #expect(throws: ProfileOverrides.Invalid.self) { try ProfileOverrides(rate: 10).apply(to: closed) }
        #expect(throws: ProfileOverrides.Invalid.self) { try ProfileOverrides(duration: 0).apply(to: closed) }
        let (p, _) = try ProfileOverrides(duration: 5).apply(to: closed)
        #expect(p.duration == 5 && p.producers.closedLoop)
        #expect(AgentSlice(parsing: "2/3")?.indices(of: 8) == [1, 4, 7])
        #expect(AgentSlice(parsing: "0/3") == nil && AgentSlice(parsing: "4/3") == nil && AgentSlice(parsing: "x") == nil)
    }
}
