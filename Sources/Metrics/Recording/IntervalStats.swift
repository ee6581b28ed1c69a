/// Where an interval lies in the run.
public enum IntervalPhase: String, Codable, Sendable {
    /// Measurement had not begun when the interval started (its figures are not
    /// in the whole-run statistics).
    case warmup
    case measured
    /// After the measured window: producers have stopped, consumers drain.
    case drain
}

/// Counters since the start of the run (warm-up included), as they stood at the
/// end of an interval. Backlog is computed from them, so merged agents' backlog
/// is recomputed from the summed counters rather than added up from per-agent
/// backlogs (an agent that only produces has a backlog nobody on it consumes).
public struct CumulativeCounters: Codable, Sendable, Equatable {
    /// Messages acknowledged by the broker.
    public var acknowledged = 0
    /// Messages sent one-way (no acknowledgement expected).
    public var unacknowledged = 0
    /// Messages whose send failed locally (timeout, connection): RocketMQ's "Send Failed".
    public var sendFailed = 0
    /// Messages the broker refused with a response code: RocketMQ's "Response Failed".
    public var responseFailed = 0
    /// Deliveries per group, duplicates included.
    public var received: [String: Int] = [:]

    public init() {}

    /// Messages that reached the broker as far as the producer knows.
    public var sent: Int { acknowledged + unacknowledged }

    mutating func add(_ other: CumulativeCounters) {
        acknowledged += other.acknowledged
        unacknowledged += other.unacknowledged
        sendFailed += other.sendFailed
        responseFailed += other.responseFailed
        received.merge(other.received, uniquingKeysWith: +)
    }
}

/// The interval histograms, kept so that merged agents' interval percentiles are exact.
public struct IntervalHistograms: Codable, Sendable, Equatable {
    public var sendLatency = LatencyHistogram()
    public var sendDelay = LatencyHistogram()
    public var endToEnd = LatencyHistogram()

    public init() {}

    mutating func add(_ other: IntervalHistograms) {
        sendLatency.add(other.sendLatency)
        sendDelay.add(other.sendDelay)
        endToEnd.add(other.endToEnd)
    }
}

/// One interval of the run's series (every `sampleInterval`): what the live
/// progress line shows and what results keep.
public struct IntervalStats: Codable, Sendable, Equatable {
    /// 1-based position in the series.
    public var index: Int
    public var phase: IntervalPhase
    /// Unix seconds at the start and end of the interval.
    public var startWall: Double
    public var endWall: Double
    /// Length from the monotonic clock (rates divide by this).
    public var seconds: Double
    /// Messages whose send completed successfully in the interval (acknowledged or one-way).
    public var sent: Int
    public var sentBytes: Int
    /// Messages whose send failed in the interval.
    public var errors: Int
    /// sent / seconds.
    public var sendRate: Double
    /// Deliveries per group in the interval, duplicates included.
    public var received: [String: Int]
    /// All groups' deliveries / seconds, and per group.
    public var consumeRate: Double
    public var consumeRates: [String: Double]
    /// Send latency (completed − intended), send delay (started − intended) and
    /// end-to-end latency of the events in this interval.
    public var sendLatencyMs: LatencySummary
    public var sendDelayMs: LatencySummary
    public var endToEndLatencyMs: LatencySummary
    /// Per group at the end of the interval: messages sent so far × deliveries each
    /// needs (consumers, for a broadcasting group) − deliveries so far. Negative on
    /// an agent whose consumers get other agents' messages; merged results recompute it.
    public var backlog: [String: Int]
    public var backlogTotal: Int
    public var cumulative: CumulativeCounters
    public var histograms: IntervalHistograms

    /// Builds an interval's derived figures (rates, percentiles, backlog) from its raw parts.
    public init(index: Int, phase: IntervalPhase, startWall: Double, endWall: Double, seconds: Double,
                sent: Int, sentBytes: Int, errors: Int, received: [String: Int],
                histograms: IntervalHistograms, cumulative: CumulativeCounters, groups: [GroupSpec]) {
        self.index = index
        self.phase = phase
        self.startWall = startWall
        self.endWall = endWall
        self.seconds = seconds
        self.sent = sent
        self.sentBytes = sentBytes
        self.errors = errors
        self.received = received
        self.histograms = histograms
        self.cumulative = cumulative
        let dt = seconds > 0 ? seconds : 1
        sendRate = Double(sent) / dt
        consumeRates = received.mapValues { Double($0) / dt }
        consumeRate = Double(received.values.reduce(0, +)) / dt
        sendLatencyMs = histograms.sendLatency.summary
        sendDelayMs = histograms.sendDelay.summary
        endToEndLatencyMs = histograms.endToEnd.summary
        var backlog: [String: Int] = [:]
        for g in groups {
            backlog[g.name] = cumulative.sent * g.deliveriesPerMessage - (cumulative.received[g.name] ?? 0)
        }
        self.backlog = backlog
        backlogTotal = backlog.values.reduce(0, +)
    }
}
