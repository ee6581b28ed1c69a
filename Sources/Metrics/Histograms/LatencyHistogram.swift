import Histogram

/// A latency distribution: an HdrHistogram of **microseconds** with three
/// significant digits (every value is kept to within 0.1 %).
///
/// Microseconds, not nanoseconds: network and disk latencies below 1 µs carry
/// no information, and the coarser unit keeps the counts array small (2,048
/// slots cover 0–2 ms at 1 µs resolution; each further doubling of the range adds
/// 1,024). The histogram starts small and grows to the largest value recorded;
/// values above `ceilingMicros` (24 h) are recorded as 24 h so that a broken clock
/// cannot make it allocate gigabytes.
///
/// Merging (`add`) is exact: the result is the histogram that would have
/// recorded every value of both. The `Codable` form is the sparse
/// `CompactHistogram`, which preserves that exactness across files and agents.
public struct LatencyHistogram: Sendable, Equatable {
    /// 24 hours, in microseconds.
    public static let ceilingMicros: UInt64 = 86_400_000_000

    public private(set) var histogram: Histogram<UInt64>

    public init() {
        histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    }

    /// Records a latency measured in nanoseconds (truncated to whole microseconds).
    public mutating func record(nanos: UInt64, count: Int = 1) {
        record(micros: nanos / 1000, count: count)
    }

    /// Records a latency in microseconds, `count` times (a batch of messages that
    /// shared one request records its latency once per message).
    public mutating func record(micros: UInt64, count: Int = 1) {
        guard count > 0 else { return }
        record(micros: micros, times: UInt64(count))
    }

    mutating func record(micros: UInt64, times: UInt64) {
        histogram.record(Swift.min(micros, Self.ceilingMicros), count: times)
    }

    /// Adds every value recorded in `other`.
    public mutating func add(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        histogram.add(other.histogram)
    }

    public mutating func reset() { histogram.reset() }

    /// Number of values recorded.
    public var count: UInt64 { histogram.totalCount }

    /// The value (µs) at `percentile` (0–100): the largest value that that share
    /// of the recorded values are at or below, to within the histogram's precision;
    /// 0 when empty. 100 gives the exact maximum.
    public func micros(atPercentile percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }

    /// Exact largest value recorded (µs); 0 when empty.
    public var maxMicros: UInt64 { histogram.maxRecorded }

    /// Exact smallest value recorded (µs); 0 when empty.
    public var minMicros: UInt64 { histogram.min }

    /// Mean (µs), each value counted at the middle of its bucket.
    public var meanMicros: Double { histogram.mean }

    /// The usual percentiles, in milliseconds.
    public var summary: LatencySummary { LatencySummary(self) }
}
