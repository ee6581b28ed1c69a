/// The measured window: from `beginMeasurement` (the end of warm-up) to
/// `endMeasurement` (producers stopped).
public struct MeasurementWindow: Codable, Sendable, Equatable {
    /// Unix seconds.
    public var startWall: Double
    public var endWall: Double
    /// Length from the monotonic clock.
    public var seconds: Double
    /// Seconds of load before the window (warm-up).
    public var warmupSeconds: Double

    public init(startWall: Double, endWall: Double, seconds: Double, warmupSeconds: Double) {
        self.startWall = startWall; self.endWall = endWall; self.seconds = seconds; self.warmupSeconds = warmupSeconds
    }
}

/// Whole-run counters over the measured window.
public struct RunTotals: Codable, Sendable, Equatable {
    /// Messages sent successfully (acknowledged + one-way) and their body bytes.
    public var sent = 0
    public var sentBytes = 0
    public var acknowledged = 0
    public var unacknowledged = 0
    /// Send requests (a batch is one).
    public var sendRequests = 0
    /// Messages whose send failed, and by (code, reason).
    public var errors = 0
    public var errorsByCode: [ErrorCount] = []
    /// Deliveries over all groups (duplicates included), their bytes, and per group.
    public var received = 0
    public var receivedBytes = 0
    public var receivedByGroup: [String: Int] = [:]
    /// Deliveries stamped later than they were received (clocks of two hosts
    /// apart); their end-to-end latency is recorded as 0.
    public var clockSkewed = 0

    public init() {}

    /// errors / (sent + errors); 0 with no sends.
    public var errorRate: Double { sent + errors == 0 ? 0 : Double(errors) / Double(sent + errors) }

    mutating func add(_ o: RunTotals) {
        sent += o.sent; sentBytes += o.sentBytes
        acknowledged += o.acknowledged; unacknowledged += o.unacknowledged
        sendRequests += o.sendRequests
        errors += o.errors
        errorsByCode = ErrorTable.merge([errorsByCode, o.errorsByCode])
        received += o.received; receivedBytes += o.receivedBytes
        receivedByGroup.merge(o.receivedByGroup, uniquingKeysWith: +)
        clockSkewed += o.clockSkewed
    }
}

/// Whole-run histograms (measured window; see `RunRecorder` for which events count).
public struct RunHistograms: Codable, Sendable, Equatable {
    /// completed − intended: coordinated-omission safe.
    public var sendLatency = LatencyHistogram()
    /// started − intended: how far the generator fell behind its schedule.
    public var sendDelay = LatencyHistogram()
    /// receivedWall − stamp.sentWall, over all groups and per group.
    public var endToEnd = LatencyHistogram()
    public var endToEndByGroup: [String: LatencyHistogram] = [:]
    /// Simulated processing time per message.
    public var consumeTime = LatencyHistogram()

    public init() {}

    mutating func add(_ o: RunHistograms) {
        sendLatency.add(o.sendLatency)
        sendDelay.add(o.sendDelay)
        endToEnd.add(o.endToEnd)
        for (g, h) in o.endToEndByGroup { endToEndByGroup[g, default: LatencyHistogram()].add(h) }
        consumeTime.add(o.consumeTime)
    }

    /// The percentiles of each.
    public var summaries: LatencySummaries {
        LatencySummaries(sendLatency: sendLatency.summary, sendDelay: sendDelay.summary, endToEnd: endToEnd.summary,
                         endToEndByGroup: endToEndByGroup.mapValues(\.summary), consumeTime: consumeTime.summary)
    }
}

/// `RunHistograms` as percentiles (milliseconds), for people and scripts.
public struct LatencySummaries: Codable, Sendable, Equatable {
    public var sendLatency: LatencySummary
    public var sendDelay: LatencySummary
    public var endToEnd: LatencySummary
    public var endToEndByGroup: [String: LatencySummary]
    public var consumeTime: LatencySummary
}

/// What a `RunRecorder` holds at the end of a run; `RunResults` is built from it.
public struct RecordedRun: Sendable {
    public var window: MeasurementWindow
    public var totals: RunTotals
    public var histograms: RunHistograms
    public var intervals: [IntervalStats]
    public var faults: [FaultEvent]
    /// Nil when the profile turned verification off.
    public var verification: VerificationReport?
    public var groups: [GroupSpec]
}
