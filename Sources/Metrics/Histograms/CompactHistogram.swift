/// The stored form of a `LatencyHistogram`: only the non-empty buckets, plus the
/// exact extremes, so that decoding gives back a histogram equal to the original
/// (same counts per bucket, same minimum and maximum) and merges of decoded
/// histograms are exactly the merge of the originals.
///
/// JSON:
/// ```
/// {"unit": "us", "significantDigits": 3, "count": 5, "min": 812, "max": 40211,
///  "buckets": "812:1 310:3 38544:1"}
/// ```
/// `buckets` lists the non-empty buckets in ascending order, separated by spaces:
/// `delta:count` says the bucket's lowest value is the previous bucket's lowest
/// value plus `delta` (the first counts from 0) and `count` values fell into it; a
/// bare `count` is the bucket right after the previous one (dense stretches of a
/// latency distribution cost a few bytes per bucket). A string rather than an
/// array keeps pretty-printed results readable (one line per histogram, not one
/// line per number).
public struct CompactHistogram: Codable, Sendable, Equatable {
    public static let unitMicroseconds = "us"

    /// Always "us" (microseconds) in schema version 1.
    public var unit: String
    /// Always 3 in schema version 1.
    public var significantDigits: Int
    /// Values recorded.
    public var count: UInt64
    /// Exact smallest value (0 when a zero was recorded or nothing was).
    public var min: UInt64
    /// Exact largest value (0 when nothing was recorded).
    public var max: UInt64
    public var buckets: String

    public init(unit: String = CompactHistogram.unitMicroseconds, significantDigits: Int = 3,
                count: UInt64, min: UInt64, max: UInt64, buckets: String) {
        self.unit = unit; self.significantDigits = significantDigits
        self.count = count; self.min = min; self.max = max; self.buckets = buckets
    }

    public init(_ h: LatencyHistogram) {
        var text = ""
        var previous: UInt64?
        for v in h.histogram.recordedValues() {
            let low = h.histogram.lowestEquivalentForValue(v.value)
            if let p = previous {
                text += " "
                if h.histogram.nextNonEquivalentForValue(p) != low { text += String(low - p) + ":" }
            } else {
                text += String(low) + ":"
            }
            text += String(v.count)
            previous = low
        }
        self.init(count: h.count, min: h.minMicros, max: h.maxMicros, buckets: text)
    }

    /// Why a compact form cannot be turned back into a histogram.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// The bucket lowest values and counts, in order.
    public func pairs() throws(Invalid) -> [(value: UInt64, count: UInt64)] {
        let layout = LatencyHistogram().histogram
        var result: [(value: UInt64, count: UInt64)] = []
        var value: UInt64 = 0
        for token in buckets.split(separator: " ", omittingEmptySubsequences: true) {
            let parts = token.split(separator: ":", omittingEmptySubsequences: false)
            let delta: UInt64, c: UInt64
            if parts.count == 1, !result.isEmpty, let n = UInt64(parts[0]) {
                delta = layout.sizeOfEquivalentRangeForValue(value)
                c = n
            } else if parts.count == 2, let d = UInt64(parts[0]), let n = UInt64(parts[1]) {
                delta = d
                c = n
            } else {
                throw Invalid(description: "histogram bucket '\(token)' is not delta:count or count")
            }
            guard c > 0 else { throw Invalid(description: "histogram bucket '\(token)' has a zero count") }
            guard result.isEmpty || delta > 0 else { throw Invalid(description: "histogram buckets are not ascending at '\(token)'") }
            let (sum, overflow) = value.addingReportingOverflow(delta)
            guard !overflow, sum <= LatencyHistogram.ceilingMicros else {
                throw Invalid(description: "histogram value beyond \(LatencyHistogram.ceilingMicros) µs at '\(token)'")
            }
            value = sum
            result.append((value, c))
        }
        return result
    }

    /// Rebuilds the histogram, checking that the form is consistent (a hand-edited
    /// or truncated file fails here with the reason instead of skewing a merge).
    public func histogram() throws(Invalid) -> LatencyHistogram {
        guard unit == Self.unitMicroseconds else { throw Invalid(description: "histogram unit '\(unit)' (expected us)") }
        guard significantDigits == 3 else { throw Invalid(description: "histogram with \(significantDigits) significant digits (expected 3)") }
        let pairs = try pairs()
        var h = LatencyHistogram()
        guard !pairs.isEmpty else {
            guard count == 0, min == 0, max == 0 else { throw Invalid(description: "empty histogram with count \(count), min \(min), max \(max)") }
            return h
        }
        let layout = h.histogram
        guard min <= max, max <= LatencyHistogram.ceilingMicros else { throw Invalid(description: "histogram min \(min) / max \(max) out of order or range") }
        guard layout.valuesAreEquivalent(pairs[pairs.count - 1].value, max) else {
            throw Invalid(description: "histogram max \(max) is not in its last bucket")
        }
        guard layout.valuesAreEquivalent(pairs[0].value, min) || min == 0 else {
            throw Invalid(description: "histogram min \(min) is not in its first bucket")
        }
        var total: UInt64 = 0
        for (value, c) in pairs {
            guard layout.lowestEquivalentForValue(value) == value else {
                throw Invalid(description: "histogram bucket value \(value) is not a bucket's lowest value")
            }
            // The extremes are recorded at their exact values (so min and max
            // survive); the rest of a bucket's count anywhere inside it.
            var rest = c
            if layout.valuesAreEquivalent(value, max) {
                h.record(micros: max, times: 1)
                rest -= 1
            }
            if rest > 0 {
                let at = min > 0 && layout.valuesAreEquivalent(value, min) ? min : value
                h.record(micros: at, times: rest)
            }
            let (sum, overflow) = total.addingReportingOverflow(c)
            guard !overflow else { throw Invalid(description: "histogram counts overflow") }
            total = sum
        }
        guard total == count else { throw Invalid(description: "histogram buckets hold \(total) values, count says \(count)") }
        return h
    }
}

extension LatencyHistogram: Codable {
    public init(from decoder: any Decoder) throws {
        let compact = try CompactHistogram(from: decoder)
        do {
            self = try compact.histogram()
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try CompactHistogram(self).encode(to: encoder)
    }
}
