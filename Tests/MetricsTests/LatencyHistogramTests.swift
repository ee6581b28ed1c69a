import Foundation
import Testing
import TestSupport
@testable import Metrics

@Suite struct LatencyHistogramTests {
    /// Latency-like values: mostly around a millisecond, a tail to seconds, some zeros.
    static func values(count: Int, seed: UInt64) -> [UInt64] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            switch UInt64.random(in: 0..<100, using: &rng) {
            case 0: 0
            case 1...89: UInt64.random(in: 200...3_000, using: &rng)
            case 90...98: UInt64.random(in: 3_000...200_000, using: &rng)
            default: UInt64.random(in: 200_000...90_000_000, using: &rng)
            }
        }
    }

    static let percentiles: [Double] = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100]

    @Test func percentilesKeepThreeDigits() {
        var h = LatencyHistogram()
        for ms in 1...1000 { h.record(micros: UInt64(ms) * 1000) }
        #expect(h.count == 1000)
        #expect(h.maxMicros == 1_000_000)
        #expect(h.minMicros == 1000)
        let p50 = Double(h.micros(atPercentile: 50))
        #expect(abs(p50 - 500_000) <= 500)
        let s = h.summary
        #expect(abs(s.p99 - 990) <= 1)
        #expect(s.max == 1000)
        #expect(abs(s.mean - 500.5) <= 0.5)
    }

    @Test func nanosecondsAreTruncatedToMicroseconds() {
        var h = LatencyHistogram()
        h.record(nanos: 1_999)
        h.record(nanos: 999)
        #expect(h.maxMicros == 1)
        #expect(h.minMicros == 0)
        h.record(nanos: 5_000_000, count: 16)
        #expect(h.count == 18)
        #expect(h.micros(atPercentile: 50) == 5000)
    }

    @Test func valuesBeyondTheCeilingAreClamped() {
        var h = LatencyHistogram()
        h.record(micros: .max)
        #expect(h.maxMicros == LatencyHistogram.ceilingMicros)
        #expect(h.histogram.estimatedFootprintInBytes < 300_000)
    }

    @Test func emptyHistogramReportsZeros() throws {
        let s = LatencyHistogram().summary
        #expect([s.min, s.mean, s.p50, s.p90, s.p99, s.p999, s.p9999, s.max] == Array(repeating: 0, count: 8))
        #expect(s.count == 0)
        let back = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(LatencyHistogram()))
        #expect(back.count == 0)
    }

    @Test func compactFormRoundTripsExactly() throws {
        var h = LatencyHistogram()
        for v in Self.values(count: 20_000, seed: 1) { h.record(micros: v) }
        let data = try JSONEncoder().encode(h)
        let back = try JSONDecoder().decode(LatencyHistogram.self, from: data)
        #expect(back == h)
        #expect(back.maxMicros == h.maxMicros && back.minMicros == h.minMicros)
        for p in Self.percentiles { #expect(back.micros(atPercentile: p) == h.micros(atPercentile: p), "p\(p)") }
        // Smaller than the counts array the library itself would serialise, even
        // for this wide distribution with thousands of non-empty buckets.
        let full = try JSONEncoder().encode(h.histogram)
        #expect(data.count < full.count)
    }

    /// The acceptance test for merging agents: three histograms go through JSON,
    /// are merged, and equal one histogram that recorded every value.
    @Test func mergeOfDecodedHistogramsIsExact() throws {
        var whole = LatencyHistogram()
        var merged = LatencyHistogram()
        for (seed, offset) in [(UInt64(11), UInt64(0)), (22, 5_000), (33, 1)] {
            var part = LatencyHistogram()
            for v in Self.values(count: 7_000, seed: seed) {
                part.record(micros: v + offset)
                whole.record(micros: v + offset)
            }
            let decoded = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(part))
            merged.add(decoded)
        }
        #expect(merged == whole)
        #expect(merged.count == whole.count)
        #expect(merged.maxMicros == whole.maxMicros)
        #expect(merged.minMicros == whole.minMicros)
        #expect(merged.meanMicros == whole.meanMicros)
        for p in stride(from: 0.0, through: 100.0, by: 0.5) { #expect(merged.micros(atPercentile: p) == whole.micros(atPercentile: p), "p\(p)") }
        for p in Self.percentiles { #expect(merged.micros(atPercentile: p) == whole.micros(atPercentile: p), "p\(p)") }
        #expect(merged.summary == whole.summary)
    }

    @Test func sparseHistogramsAreAFewBytes() throws {
        var h = LatencyHistogram()
        h.record(micros: 900, count: 10)
        h.record(micros: 901, count: 3)
        h.record(micros: 4_000_000)
        let form = CompactHistogram(h)
        // 4,000,000 falls in the bucket starting at 3,999,744 (2,048 µs wide there).
        #expect(form.buckets == "900:10 3 3998843:1")
        #expect(try form.histogram() == h)
    }

    @Test func extremesSharingABucketSurvive() throws {
        var h = LatencyHistogram()
        h.record(micros: 1_000_001)
        h.record(micros: 1_000_100)
        h.record(micros: 1_000_050)
        let back = try CompactHistogram(h).histogram()
        #expect(back == h)
        #expect(back.minMicros == 1_000_001 && back.maxMicros == 1_000_100)
    }

    @Test(arguments: [
        ("5:1 x", "not delta:count or count"),
        ("5", "not delta:count or count"),
        ("5:0", "zero count"),
        ("5:1 0:1", "not ascending"),
        ("5:2", "buckets hold 2 values"),
        ("7:1", "max 5 is not in its last bucket"),
    ])
    func inconsistentCompactFormsAreRejected(buckets: String, message: String) {
        let form = CompactHistogram(count: 1, min: 5, max: 5, buckets: buckets)
        #expect {
            _ = try form.histogram()
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func decodingReportsTheReason() {
        let json = #"{"unit":"ms","significantDigits":3,"count":0,"min":0,"max":0,"buckets":""}"#
        #expect {
            _ = try JSONDecoder().decode(LatencyHistogram.self, from: Data(json.utf8))
        } throws: { error in
            "\(error)".contains("unit 'ms'")
        }
    }
}
