@testable import Profiles
import Testing
@testable import Metrics

@Suite struct SLOTests {
    static func latency(_ micros: [UInt64]) -> LatencySummary {
        var h = LatencyHistogram()
        for m in micros { h.record(micros: m) }
        return h.summary
    }

    static let slo = Profile.SLO(sendP99: 10, sendP999: 50, endToEndP99: 100, maxErrorRate: 0.001, maxBacklog: 5000, maxLost: 2)

    @Test func eachThresholdIsJudged() {
        // p99 of 1..100 ms is 99 ms: the send thresholds fail, end-to-end passes.
        let send = Self.latency((1...100).map { UInt64($0) * 1000 })
        let e2e = Self.latency([20_000, 30_000])
        let r = SLOEvaluator.evaluate(Self.slo, .init(sendLatency: send, endToEnd: e2e, errorRate: 0.0005, maxBacklog: 6000, lost: 2))
        #expect(r.outcomes.map(\.name) == ["sendP99", "sendP999", "endToEndP99", "maxErrorRate", "maxBacklog", "maxLost"])
        #expect(r.outcomes.map(\.passed) == [false, false, true, true, false, true])
        #expect(r.outcomes[0].actual == send.p99 && r.outcomes[0].limit == 10 && r.outcomes[0].unit == "ms")
        #expect(r.outcomes[4].actual == 6000)
        #expect(!r.passed)
    }

    @Test func lossBeyondTheToleranceFails() {
        let ok = Self.latency([1000])
        let slo = Profile.SLO(sendP99: nil, sendP999: nil, endToEndP99: nil, maxErrorRate: nil, maxBacklog: nil, maxLost: 0)
        let lost = SLOEvaluator.evaluate(slo, .init(sendLatency: ok, endToEnd: ok, errorRate: 0, maxBacklog: nil, lost: 1))
        #expect(lost.outcomes.map(\.name) == ["maxLost"] && !lost.passed)
        // Without verification there is nothing to judge loss by.
        let unverified = SLOEvaluator.evaluate(slo, .init(sendLatency: ok, endToEnd: ok, errorRate: 0, maxBacklog: nil, lost: nil))
        #expect(unverified.outcomes.isEmpty && unverified.passed)
    }

    @Test func thresholdsWithoutDataFail() {
        let none = LatencySummary.empty
        let r = SLOEvaluator.evaluate(Self.slo, .init(sendLatency: none, endToEnd: none, errorRate: 0, maxBacklog: nil, lost: 0))
        #expect(r.outcomes.filter { !$0.passed }.map(\.name) == ["sendP99", "sendP999", "endToEndP99", "maxBacklog"])
        #expect(r.outcomes.first?.note == "no sends measured")
        #expect(r.outcomes.first { $0.name == "maxBacklog" }?.note == "no measured intervals")
    }
}
