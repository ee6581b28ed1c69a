/// Everything `RunRecorder` keeps behind its lock. Plain mutation, no locking
/// here; the per-event methods touch only preallocated arrays and histograms.
struct RecorderState: Sendable {
    enum Phase: Sendable { case warmup, measuring, ended }

    /// The open interval's raw counts.
    struct Interval: Sendable {
        var startWall: UInt64
        var startMono: UInt64
        var phase: IntervalPhase
        var sent = 0
        var sentBytes = 0
        var errors = 0
        var received: [Int]
        var histograms = IntervalHistograms()

        init(startWall: UInt64, startMono: UInt64, phase: IntervalPhase, groups: Int) {
            self.startWall = startWall
            self.startMono = startMono
            self.phase = phase
            received = Array(repeating: 0, count: groups)
        }
    }

    var groups: [GroupSpec]
    var groupIndex: [String: Int]
    var verifier: Verifier?
    var phase = Phase.warmup
    /// When load started (the reference of fault times and warm-up length).
    var startWall: UInt64
    var startMono: UInt64
    var measureStartWall: UInt64
    var measureStartMono: UInt64
    var measureEndWall: UInt64?
    var measureEndMono: UInt64?

    // Whole run (measured window).
    var totals = RunTotals()
    var receivedByGroup: [Int]
    var errors: ErrorTable
    var histograms = RunHistograms()
    var endToEndByGroup: [LatencyHistogram]

    // Since the start, for backlog.
    var acknowledged = 0
    var unacknowledged = 0
    var sendFailed = 0
    var responseFailed = 0
    var cumulativeReceived: [Int]

    var interval: Interval
    var intervals: [IntervalStats] = []
    var faults: [FaultEvent] = []

    init(groups: [GroupSpec], verification: Bool, errorTableLimit: Int, startWall: UInt64, startMono: UInt64) {
        self.groups = groups
        groupIndex = Dictionary(groups.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        verifier = verification ? Verifier(groups: groups) : nil
        self.startWall = startWall
        self.startMono = startMono
        measureStartWall = startWall
        measureStartMono = startMono
        receivedByGroup = Array(repeating: 0, count: groups.count)
        errors = ErrorTable(limit: errorTableLimit)
        endToEndByGroup = Array(repeating: LatencyHistogram(), count: groups.count)
        cumulativeReceived = Array(repeating: 0, count: groups.count)
        interval = Interval(startWall: startWall, startMono: startMono, phase: .warmup, groups: groups.count)
    }

    /// Whether an event stamped (intended or sent) at `time` belongs to the whole-run histograms.
    func measures(monotonic time: UInt64) -> Bool { phase != .warmup && time >= measureStartMono }
    func measures(wall time: UInt64) -> Bool { phase != .warmup && time >= measureStartWall }

    mutating func sendCompleted(_ send: SendRecord) {
        let counting = phase == .measuring
        switch send.outcome {
        case .failed(let code, let reason):
            interval.errors += send.count
            if code < 0 { sendFailed += send.count } else { responseFailed += send.count }
            if counting {
                totals.errors += send.count
                totals.sendRequests += 1
                errors.add(code: code, reason: reason, count: send.count)
            }
            return
        case .acknowledged:
            acknowledged += send.count
            if counting { totals.acknowledged += send.count }
            verifier?.acknowledged(producer: send.producer, firstSequence: send.firstSequence, count: send.count)
        case .unacknowledged:
            unacknowledged += send.count
            if counting { totals.unacknowledged += send.count }
        }
        // A clock read can come out before the intended time it was computed
        // from only through a caller's bug; clamp rather than wrap.
        let latency = send.completedNanos &- send.intendedNanos
        let delay = send.startedNanos &- send.intendedNanos
        let latencyNanos = send.completedNanos >= send.intendedNanos ? latency : 0
        let delayNanos = send.startedNanos >= send.intendedNanos ? delay : 0
        interval.sent += send.count
        interval.sentBytes += send.bytes
        interval.histograms.sendLatency.record(nanos: latencyNanos, count: send.count)
        interval.histograms.sendDelay.record(nanos: delayNanos, count: send.count)
        if counting {
            totals.sent += send.count
            totals.sentBytes += send.bytes
            totals.sendRequests += 1
        }
        if measures(monotonic: send.intendedNanos) {
            histograms.sendLatency.record(nanos: latencyNanos, count: send.count)
            histograms.sendDelay.record(nanos: delayNanos, count: send.count)
        }
    }

    mutating func received(_ message: ReceiveRecord) {
        let g = index(ofGroup: message.group)
        let skewed = message.receivedWallNanos < message.stamp.sentWallNanos
        let e2e = skewed ? 0 : message.receivedWallNanos - message.stamp.sentWallNanos
        interval.received[g] += 1
        interval.histograms.endToEnd.record(nanos: e2e)
        cumulativeReceived[g] += 1
        if phase == .measuring {
            totals.received += 1
            totals.receivedBytes += message.bytes
            receivedByGroup[g] += 1
            if skewed { totals.clockSkewed += 1 }
        }
        if measures(wall: message.stamp.sentWallNanos) {
            histograms.endToEnd.record(nanos: e2e)
            endToEndByGroup[g].record(nanos: e2e)
            histograms.consumeTime.record(nanos: message.consumeNanos)
        }
        verifier?.received(group: g, consumer: message.consumer, stamp: message.stamp)
    }

    /// A group the profile did not declare is accounted as a clustering group.
    mutating func index(ofGroup name: String) -> Int {
        if let g = groupIndex[name] { return g }
        let g = groups.count
        groups.append(GroupSpec(name: name))
        groupIndex[name] = g
        _ = verifier?.index(ofGroup: name)
        receivedByGroup.append(0)
        endToEndByGroup.append(LatencyHistogram())
        cumulativeReceived.append(0)
        interval.received.append(0)
        return g
    }

    mutating func loadStarted(wall: UInt64, mono: UInt64) {
        startWall = wall
        startMono = mono
        if phase == .warmup {
            measureStartWall = wall
            measureStartMono = mono
        }
    }

    /// An interval opened this close before a phase change belongs to the new
    /// phase (the runner closes an interval and changes phase back to back).
    static let relabelSlack: UInt64 = 50_000_000

    mutating func beginMeasurement(wall: UInt64, mono: UInt64) {
        phase = .measuring
        if mono &- interval.startMono < Self.relabelSlack { interval.phase = .measured }
        measureStartWall = wall
        measureStartMono = mono
        measureEndWall = nil
        measureEndMono = nil
        totals = RunTotals()
        receivedByGroup = Array(repeating: 0, count: groups.count)
        errors = ErrorTable(limit: errors.limit)
        histograms = RunHistograms()
        endToEndByGroup = Array(repeating: LatencyHistogram(), count: groups.count)
    }

    mutating func endMeasurement(wall: UInt64, mono: UInt64) {
        guard phase != .ended else { return }
        if phase == .warmup { beginMeasurement(wall: wall, mono: mono) }
        phase = .ended
        if mono &- interval.startMono < Self.relabelSlack { interval.phase = .drain }
        measureEndWall = wall
        measureEndMono = mono
    }

    var intervalPhase: IntervalPhase {
        switch phase {
        case .warmup: .warmup
        case .measuring: .measured
        case .ended: .drain
        }
    }

    /// Swaps in a fresh interval and returns the closed one's raw parts with the
    /// cumulative counters as they stand now.
    mutating func takeInterval(wall: UInt64, mono: UInt64) -> (Interval, CumulativeCounters, [GroupSpec], Int) {
        let closed = interval
        interval = Interval(startWall: wall, startMono: mono, phase: intervalPhase, groups: groups.count)
        var c = CumulativeCounters()
        c.acknowledged = acknowledged
        c.unacknowledged = unacknowledged
        c.sendFailed = sendFailed
        c.responseFailed = responseFailed
        for (i, g) in groups.enumerated() { c.received[g.name] = cumulativeReceived[i] }
        nextIntervalIndex += 1
        return (closed, c, groups, nextIntervalIndex)
    }

    /// Index of the last interval taken (closeInterval computes its figures
    /// outside the lock and stores them afterwards).
    var nextIntervalIndex = 0

    /// Stores a closed interval in index order.
    mutating func store(_ stats: IntervalStats) {
        let at = intervals.lastIndex(where: { $0.index < stats.index }).map { $0 + 1 } ?? 0
        intervals.insert(stats, at: at)
    }

    func window(nowWall: UInt64, nowMono: UInt64) -> MeasurementWindow {
        let endMono = measureEndMono ?? nowMono
        let endWall = measureEndWall ?? nowWall
        return MeasurementWindow(startWall: Double(measureStartWall) / 1e9, endWall: Double(endWall) / 1e9,
                                 seconds: Double(endMono &- measureStartMono) / 1e9,
                                 warmupSeconds: Double(measureStartMono &- startMono) / 1e9)
    }

    func recordedTotals() -> RunTotals {
        var t = totals
        t.errorsByCode = errors.entries
        for (i, g) in groups.enumerated() { t.receivedByGroup[g.name] = receivedByGroup[i] }
        return t
    }

    func recordedHistograms() -> RunHistograms {
        var h = histograms
        for (i, g) in groups.enumerated() where endToEndByGroup[i].count > 0 { h.endToEndByGroup[g.name] = endToEndByGroup[i] }
        return h
    }
}
