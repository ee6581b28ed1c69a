/// The percentiles people read, in **milliseconds** (microsecond precision),
/// taken from a `LatencyHistogram`. Derived data: results keep the histogram too,
/// so merged runs recompute these instead of averaging them.
public struct LatencySummary: Codable, Sendable, Equatable {
    /// Values recorded.
    public var count: UInt64
    public var min: Double
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    /// 99.9th and 99.99th percentiles.
    public var p999: Double
    public var p9999: Double
    /// The exact largest value.
    public var max: Double

    public static let empty = LatencySummary(LatencyHistogram())

    public init(_ h: LatencyHistogram) {
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        count = h.count
        min = ms(h.minMicros)
        mean = h.count == 0 ? 0 : h.meanMicros / 1000
        p50 = ms(h.micros(atPercentile: 50))
        p90 = ms(h.micros(atPercentile: 90))
        p99 = ms(h.micros(atPercentile: 99))
        p999 = ms(h.micros(atPercentile: 99.9))
        p9999 = ms(h.micros(atPercentile: 99.99))
        max = ms(h.maxMicros)
    }

    /// The four figures of the results' top-level summary.
    public var brief: LatencyBrief { LatencyBrief(p50: p50, p99: p99, p999: p999, max: max) }
}

/// p50 / p99 / p99.9 / max in milliseconds: the `sendLatencyMs` and
/// `endToEndLatencyMs` objects of the results' summary.
public struct LatencyBrief: Codable, Sendable, Equatable {
    public var p50: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    public init(p50: Double, p99: Double, p999: Double, max: Double) {
        self.p50 = p50; self.p99 = p99; self.p999 = p999; self.max = max
    }

    /// The four figures straight from a histogram, without the mean (which walks
    /// every recorded value): cheap enough for a progress line every second.
    public init(_ h: LatencyHistogram) {
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        self.init(p50: ms(h.micros(atPercentile: 50)), p99: ms(h.micros(atPercentile: 99)),
                  p999: ms(h.micros(atPercentile: 99.9)), max: ms(h.maxMicros))
    }
}
