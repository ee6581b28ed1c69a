import Foundation
import Testing
import TestSupport
@testable import Metrics

@Suite struct RenderTests {
    /// One interval of 2 s: 40,000 sends, 1 ms to 12 ms, backlog 1,234 on points.
    static func interval(phase: IntervalPhase = .measured) -> IntervalStats {
        var h = IntervalHistograms()
        h.sendLatency.record(micros: 1_000, count: 39_000)
        h.sendLatency.record(micros: 12_000, count: 1_000)
        h.endToEnd.record(micros: 3_000, count: 40_000)
        var c = CumulativeCounters()
        c.acknowledged = 100_000
        c.sendFailed = 2
        c.responseFailed = 3
        c.received = ["points": 98_766]
        return IntervalStats(index: 7, phase: phase, startWall: 1_700_000_000, endWall: 1_700_000_002.5, seconds: 2,
                             sent: 40_000, sentBytes: 40_960_000, errors: 5, received: ["points": 40_000],
                             histograms: h, cumulative: c, groups: [GroupSpec(name: "points")])
    }

    @Test func progressLine() {
        let s = Self.interval()
        #expect(ProgressLine.render(s, elapsed: 65.4, total: 300)
            == "[ 1m05s/5m00s] send 20,000/s  consume 20,000/s  p99 send 12.0 ms  backlog 1,234  errors 5")
        #expect(ProgressLine.render(Self.interval(phase: .warmup), elapsed: 3, total: 30).hasSuffix("errors 5 (warm-up)"))
    }

    @Test func rocketMQStyleLines() {
        let s = Self.interval()
        #expect(RocketMQLogLine.send(s)
            == "Current Time: 2023-11-14 22:13:22,500 | Send TPS: 20000 | Max RT(ms): 12 | Average RT(ms):   1.275 | Send Failed: 2 | Response Failed: 3")
        #expect(RocketMQLogLine.consume(s)
            == "Current Time: 2023-11-14 22:13:22,500 | Consume TPS: 20000 | AVG(B2C) RT(ms):   3.001 | MAX(B2C) RT(ms): 3")
    }

    @Test func numberText() {
        #expect(NumberText.grouped(1_234_567) == "1,234,567")
        #expect(NumberText.grouped(-1000) == "-1,000")
        #expect(NumberText.grouped(999) == "999")
        #expect(NumberText.timestamp(0) == "1970-01-01 00:00:00,000")
        #expect(NumberText.timestamp(951_782_400.25) == "2000-02-29 00:00:00,250")
        #expect(NumberText.ms(0.4125) == "0.413" && NumberText.ms(12.34) == "12.3" && NumberText.ms(1234.5) == "1,235")
        #expect(NumberText.duration(3725) == "1h02m")
    }

    @Test func summaryTableShowsFiguresVerdictAndThresholds() throws {
        let results = SyntheticRun(profile: try SyntheticRun.profile()).wholeResults()
        let table = SummaryTable.render(results)
        #expect(table.hasPrefix("mqbench fixture (open-loop): measured 3.0 s after 1.0 s warm-up"))
        #expect(table.contains("sent \(NumberText.grouped(results.summary.sent))"))
        #expect(table.contains("latency (ms)"))
        for row in ["  send ", "  send delay ", "  end-to-end ", "    points ", "    audit ", "  consume time "] {
            #expect(table.contains(row), "row \(row)")
        }
        #expect(table.contains("verification  lost \(results.summary.lost)"))
        #expect(table.contains("    lost by points from producer 0: "))
        #expect(table.contains("code 14  broker busy"))
        let sloLines = table.split(separator: "\n").filter { $0.hasPrefix("    PASS") || $0.hasPrefix("    FAIL") }
        #expect(sloLines.count == results.slo.outcomes.count)
        #expect(table.hasSuffix(results.passed ? "RESULT: PASSED" : "RESULT: FAILED (\(results.slo.outcomes.filter { !$0.passed }.count) of 4 thresholds)"))

        // A failing threshold is marked and turns the verdict.
        let strict = try SyntheticRun.profile(SyntheticRun.yaml.replacingOccurrences(of: "sendP99: 50ms", with: "sendP99: 1ms"))
        let failing = SyntheticRun(profile: strict).wholeResults()
        let failingTable = SummaryTable.render(failing)
        #expect(!failing.passed)
        #expect(failingTable.contains("    FAIL  p99 send latency"))
        #expect(failingTable.contains("≤ 1.000 ms"))
        #expect(failingTable.hasSuffix("RESULT: FAILED (1 of 4 thresholds)"))
    }
}
