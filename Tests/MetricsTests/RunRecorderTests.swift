import Foundation
import Testing
@testable import Metrics

@Suite struct RunRecorderTests {
    static let groups = [GroupSpec(name: "points"), GroupSpec(name: "audit", model: .broadcasting, consumers: 2)]
    /// Fixed clocks: 1,000 s after the epoch (wall) and 50 s after boot (monotonic).
    static let wall0: UInt64 = 1_000_000_000_000
    static let mono0: UInt64 = 50_000_000_000
    static let ms: UInt64 = 1_000_000
    static let second: UInt64 = 1_000_000_000

    static func recorder(verification: Bool = true, errorTableLimit: Int = 32) -> RunRecorder {
        RunRecorder(options: .init(groups: groups, verification: verification, errorTableLimit: errorTableLimit),
                    startWallNanos: wall0, startMonotonicNanos: mono0)
    }

    /// A send intended at `at` (ns after start), started `delay` later, completed `latency` after intended.
    static func send(_ producer: UInt32, _ seq: UInt64, at: UInt64, delay: UInt64 = 0, latency: UInt64, count: Int = 1,
                     outcome: SendOutcome = .acknowledged) -> SendRecord {
        SendRecord(producer: producer, firstSequence: seq, count: count, bytes: 100 * count,
                   intendedNanos: mono0 + at, startedNanos: mono0 + at + delay, completedNanos: mono0 + at + latency, outcome: outcome)
    }

    static func receive(_ group: String, consumer: Int = 0, _ producer: UInt32, _ seq: UInt64, sentAt: UInt64, e2e: UInt64,
                        key: UInt32 = MessageStamp.noOrderKey) -> ReceiveRecord {
        ReceiveRecord(group: group, consumer: consumer,
                      stamp: MessageStamp(producer: producer, sequence: seq, sentWallNanos: wall0 + sentAt, orderKey: key),
                      receivedWallNanos: wall0 + sentAt + e2e, consumeNanos: 2 * ms, bytes: 100)
    }

    @Test func concurrentEventsAreAllCounted() async {
        let r = Self.recorder()
        r.beginMeasurement(wallNanos: Self.wall0, monotonicNanos: Self.mono0)
        let tasks = 8, perTask = 3_000
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    for i in 0..<perTask {
                        let seq = UInt64(i)
                        r.sendCompleted(Self.send(UInt32(t), seq, at: seq * Self.ms, latency: Self.ms))
                        r.received(Self.receive("points", UInt32(t), seq, sentAt: seq * Self.ms, e2e: 3 * Self.ms))
                        r.received(Self.receive("audit", consumer: 0, UInt32(t), seq, sentAt: seq * Self.ms, e2e: 3 * Self.ms))
                        r.received(Self.receive("audit", consumer: 1, UInt32(t), seq, sentAt: seq * Self.ms, e2e: 3 * Self.ms))
                    }
                }
            }
        }
        let run = r.recorded(wallNanos: Self.wall0 + 10 * Self.second, monotonicNanos: Self.mono0 + 10 * Self.second)
        #expect(run.totals.sent == tasks * perTask)
        #expect(run.totals.acknowledged == tasks * perTask)
        #expect(run.totals.received == 3 * tasks * perTask)
        #expect(run.totals.receivedByGroup == ["points": tasks * perTask, "audit": 2 * tasks * perTask])
        #expect(run.histograms.sendLatency.count == UInt64(tasks * perTask))
        #expect(run.histograms.endToEndByGroup["audit"]?.count == UInt64(2 * tasks * perTask))
        #expect(run.histograms.endToEnd.summary.p99 == 3)
        let v = try! #require(run.verification).counts
        #expect(v.lost == 0 && v.duplicated == 0 && v.received == 3 * tasks * perTask)
        #expect(run.window.seconds == 10)
    }

    @Test func latencyIsMeasuredFromTheIntendedTime() {
        let r = Self.recorder()
        r.beginMeasurement(wallNanos: Self.wall0, monotonicNanos: Self.mono0)
        // The generator fell 40 ms behind; the broker answered 2 ms after the send started.
        r.sendCompleted(Self.send(0, 0, at: 0, delay: 40 * Self.ms, latency: 42 * Self.ms))
        // A batch of 16 counts 16 messages of one latency.
        r.sendCompleted(Self.send(0, 1, at: Self.ms, latency: 5 * Self.ms, count: 16))
        let h = r.recorded().histograms
        #expect(h.sendLatency.count == 17)
        #expect(h.sendLatency.maxMicros == 42_000)
        #expect(h.sendDelay.maxMicros == 40_000)
        #expect(abs(Int(h.sendLatency.micros(atPercentile: 50)) - 5_000) <= 5)
        #expect(r.totals.sendRequests == 2)
        #expect(r.totals.sentBytes == 1700)
    }

    @Test func warmupIsKeptInTheSeriesButNotInTheWholeRun() {
        let r = Self.recorder()
        r.sendCompleted(Self.send(0, 0, at: 0, latency: 900 * Self.ms))        // warm-up, slow
        r.received(Self.receive("points", 0, 0, sentAt: 0, e2e: 950 * Self.ms))
        let warm = r.closeInterval(wallNanos: Self.wall0 + Self.second, monotonicNanos: Self.mono0 + Self.second)
        r.beginMeasurement(wallNanos: Self.wall0 + Self.second, monotonicNanos: Self.mono0 + Self.second)
        // Intended during warm-up, completed after: not part of the measured latency.
        r.sendCompleted(Self.send(0, 1, at: Self.second - Self.ms, latency: 500 * Self.ms))
        r.sendCompleted(Self.send(0, 2, at: Self.second + Self.ms, latency: 2 * Self.ms))
        r.received(Self.receive("points", 0, 2, sentAt: Self.second + Self.ms, e2e: 4 * Self.ms))
        let measured = r.closeInterval(wallNanos: Self.wall0 + 2 * Self.second, monotonicNanos: Self.mono0 + 2 * Self.second)
        r.endMeasurement(wallNanos: Self.wall0 + 2 * Self.second, monotonicNanos: Self.mono0 + 2 * Self.second)
        r.received(Self.receive("points", 0, 1, sentAt: Self.second - Self.ms, e2e: Self.second))    // drained late
        let drain = r.closeInterval(wallNanos: Self.wall0 + 3 * Self.second, monotonicNanos: Self.mono0 + 3 * Self.second)

        #expect([warm.phase, measured.phase, drain.phase] == [.warmup, .measured, .drain])
        #expect([warm.index, measured.index, drain.index] == [Int](1...3))
        #expect(warm.sendLatencyMs.max == 900)
        #expect(measured.sent == 2)
        let run = r.recorded()
        #expect(run.totals.sent == 2)
        #expect(run.totals.received == 1)
        #expect(run.histograms.sendLatency.count == 1)
        #expect(run.histograms.sendLatency.maxMicros == 2_000)
        #expect(run.histograms.endToEnd.count == 1)
        #expect(run.window == MeasurementWindow(startWall: 1001, endWall: 1002, seconds: 1, warmupSeconds: 1))
        #expect(run.intervals.map(\.index) == [Int](1...3))
        // Verification covers the whole run, warm-up included.
        #expect(run.verification?.counts.acknowledged == 3)
    }

    @Test func anIntervalThatMixesWarmupAndMeasurementCountsAsWarmup() {
        let r = Self.recorder()
        r.beginMeasurement(wallNanos: Self.wall0 + Self.second / 2, monotonicNanos: Self.mono0 + Self.second / 2)
        let mixed = r.closeInterval(wallNanos: Self.wall0 + Self.second, monotonicNanos: Self.mono0 + Self.second)
        let next = r.closeInterval(wallNanos: Self.wall0 + 2 * Self.second, monotonicNanos: Self.mono0 + 2 * Self.second)
        #expect(mixed.phase == .warmup)
        #expect(next.phase == .measured)
    }

    @Test func intervalRatesAndBacklog() {
        let r = Self.recorder()
        for i in 0..<100 { r.sendCompleted(Self.send(0, UInt64(i), at: 0, latency: Self.ms)) }
        for i in 0..<10 { r.sendCompleted(Self.send(1, UInt64(i), at: 0, latency: Self.ms, outcome: .unacknowledged)) }
        for i in 0..<60 { r.received(Self.receive("points", 0, UInt64(i), sentAt: 0, e2e: Self.ms)) }
        for i in 0..<100 { r.received(Self.receive("audit", consumer: i % 2, 0, UInt64(i / 2), sentAt: 0, e2e: Self.ms)) }
        let s = r.closeInterval(wallNanos: Self.wall0 + 2 * Self.second, monotonicNanos: Self.mono0 + 2 * Self.second)
        #expect(s.seconds == 2)
        #expect(s.sent == 110)
        #expect(s.sendRate == 55)
        #expect(s.consumeRates == ["points": 30, "audit": 50])
        #expect(s.consumeRate == 80)
        // points: 110 sent − 60 received; audit: 2 consumers × 110 − 100.
        #expect(s.backlog == ["points": 50, "audit": 120])
        #expect(s.backlogTotal == 170)
        // The next interval starts empty but backlog carries on.
        let next = r.closeInterval(wallNanos: Self.wall0 + 3 * Self.second, monotonicNanos: Self.mono0 + 3 * Self.second)
        #expect(next.sent == 0 && next.sendLatencyMs.count == 0)
        #expect(next.backlogTotal == 170)
    }

    @Test func errorsAreCountedByCodeWithABoundedTable() {
        let r = Self.recorder(errorTableLimit: 3)
        r.beginMeasurement(wallNanos: Self.wall0, monotonicNanos: Self.mono0)
        r.sendCompleted(Self.send(0, 0, at: 0, latency: Self.ms, outcome: .failed(code: -1, reason: "timeout")))
        r.sendCompleted(Self.send(0, 1, at: 0, latency: Self.ms, count: 4, outcome: .failed(code: -1, reason: "timeout")))
        for i in 0..<5 {
            r.sendCompleted(Self.send(0, UInt64(10 + i), at: 0, latency: Self.ms,
                                      outcome: .failed(code: 14, reason: "[TIMEOUT_CLEAN_QUEUE] broker busy, id \(i)")))
        }
        r.sendCompleted(Self.send(0, 20, at: 0, latency: Self.ms))
        let t = r.totals
        #expect(t.errors == 10)
        #expect(t.sent == 1)
        #expect(abs(t.errorRate - 10.0 / 11.0) < 1e-12)
        #expect(t.errorsByCode.first == ErrorCount(code: -1, reason: "timeout", count: 5))
        #expect(t.errorsByCode.count == 4)
        #expect(t.errorsByCode.contains(ErrorCount(code: 14, reason: ErrorTable.otherReasons, count: 3)))
        let s = r.closeInterval(wallNanos: Self.wall0 + Self.second, monotonicNanos: Self.mono0 + Self.second)
        #expect(s.errors == 10)
        #expect(s.cumulative.sendFailed == 5 && s.cumulative.responseFailed == 5)
        // Failed sends are not acknowledged, so verification does not expect them.
        #expect(r.recorded().verification?.counts.acknowledged == 1)
    }

    @Test func skewedClocksAndUndeclaredGroups() {
        let r = Self.recorder(verification: false)
        r.beginMeasurement(wallNanos: Self.wall0, monotonicNanos: Self.mono0)
        var early = Self.receive("adhoc", 0, 0, sentAt: Self.second, e2e: 0)
        early.receivedWallNanos -= 5 * Self.ms
        r.received(early)
        let run = r.recorded()
        #expect(run.totals.clockSkewed == 1)
        #expect(run.histograms.endToEnd.maxMicros == 0)
        #expect(run.totals.receivedByGroup["adhoc"] == 1)
        #expect(run.groups.last == GroupSpec(name: "adhoc"))
        #expect(run.verification == nil)
    }

    @Test func faultsAreStampedWithTimeAndInterval() {
        let r = Self.recorder()
        r.closeInterval(wallNanos: Self.wall0 + Self.second, monotonicNanos: Self.mono0 + Self.second)
        r.noteFault(FaultEvent(action: "kill-broker", detail: "pid 4242 SIGKILL", outcome: "exited", wallTime: 1001.5))
        let f = r.faults
        #expect(f.count == 1)
        #expect(f[0].elapsed == 1.5)
        #expect(f[0].interval == 2)
        #expect(f[0].succeeded)
    }

    @Test func loadStartIsTheReferenceWhenSetupCameFirst() {
        let r = Self.recorder()
        // Two seconds of setup (cluster start, consumers joining) before load.
        r.closeInterval(wallNanos: Self.wall0 + 2 * Self.second, monotonicNanos: Self.mono0 + 2 * Self.second)
        r.loadStarted(wallNanos: Self.wall0 + 2 * Self.second, monotonicNanos: Self.mono0 + 2 * Self.second)
        r.noteFault(FaultEvent(action: "pause-consumers", detail: "group points", wallTime: 1003))
        r.beginMeasurement(wallNanos: Self.wall0 + 5 * Self.second, monotonicNanos: Self.mono0 + 5 * Self.second)
        let run = r.recorded(wallNanos: Self.wall0 + 6 * Self.second, monotonicNanos: Self.mono0 + 6 * Self.second)
        #expect(run.faults[0].elapsed == 1)
        #expect(run.window.warmupSeconds == 3)
        #expect(run.window.seconds == 1)
    }
}
