import Profiles
import Synchronization

/// The `LoadObserver` of a run: keeps whole-run and per-interval statistics,
/// error counts, delivery verification and the fault timeline.
///
/// Thread-safe and cheap per event (one lock, no allocation on the common path),
/// for about 100,000 calls a second from many tasks.
///
/// Lifecycle, driven by the runner:
/// 1. create it when load starts (its clocks start the first interval), or earlier
///    and call `loadStarted()` when load starts (fault times and the warm-up length
///    count from there);
/// 2. `closeInterval()` every `sampleInterval` — it returns the interval for the
///    progress line and keeps it for the series;
/// 3. `beginMeasurement()` when warm-up ends, right after a `closeInterval()` so no
///    interval mixes both: whole-run statistics restart from zero; the series keeps
///    the warm-up intervals, marked `.warmup` (an interval open at the change is
///    labelled with the new phase when it began less than 50 ms before, else with
///    the old one);
/// 4. `endMeasurement()` when producers stop, likewise right after a `closeInterval()`;
///    consumers may drain afterwards (intervals marked `.drain`);
/// 5. `recorded()` for the results.
///
/// What the whole-run statistics count: sends completed (and deliveries made)
/// inside the measured window for counters and rates; send latency of every send
/// *intended* at or after the window start, and end-to-end latency of every message
/// *sent* at or after it, including those that complete or arrive after the window
/// ends (a drained backlog's latency is part of the run). Verification and backlog
/// cover the whole run, warm-up included.
public final class RunRecorder: LoadObserver, Sendable {
    public struct Options: Sendable {
        public var groups: [GroupSpec]
        public var verification: Bool
        /// Distinct (code, reason) pairs kept in the error table.
        public var errorTableLimit: Int

        public init(groups: [GroupSpec], verification: Bool = true, errorTableLimit: Int = 32) {
            self.groups = groups
            self.verification = verification
            self.errorTableLimit = errorTableLimit
        }

        /// The profile's consumer groups and verification switch.
        public init(profile: Profile) {
            self.init(groups: GroupSpec.groups(of: profile), verification: profile.verification)
        }
    }

    private let state: Mutex<RecorderState>

    public init(options: Options, startWallNanos: UInt64 = BenchClock.wallNanos(),
                startMonotonicNanos: UInt64 = BenchClock.monotonicNanos()) {
        state = Mutex(RecorderState(groups: options.groups, verification: options.verification,
                                    errorTableLimit: options.errorTableLimit,
                                    startWall: startWallNanos, startMono: startMonotonicNanos))
    }

    public convenience init(profile: Profile, startWallNanos: UInt64 = BenchClock.wallNanos(),
                            startMonotonicNanos: UInt64 = BenchClock.monotonicNanos()) {
        self.init(options: Options(profile: profile), startWallNanos: startWallNanos, startMonotonicNanos: startMonotonicNanos)
    }

    // MARK: LoadObserver

    public func sendCompleted(_ send: SendRecord) {
        state.withLock { $0.sendCompleted(send) }
    }

    public func received(_ message: ReceiveRecord) {
        state.withLock { $0.received(message) }
    }

    public func received(_ messages: [ReceiveRecord]) {
        state.withLock { s in for m in messages { s.received(m) } }
    }

    // MARK: Run control

    /// Marks the start of load when the recorder was created earlier (during setup):
    /// fault `elapsed` times and `MeasurementWindow.warmupSeconds` count from here.
    public func loadStarted(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) {
        state.withLock { $0.loadStarted(wall: wallNanos, mono: monotonicNanos) }
    }

    /// Ends warm-up: whole-run statistics restart from zero at this instant.
    public func beginMeasurement(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) {
        state.withLock { $0.beginMeasurement(wall: wallNanos, mono: monotonicNanos) }
    }

    /// Closes the measured window (producers have stopped). Whole-run counters stop;
    /// latencies of sends and messages from inside the window are still recorded.
    public func endMeasurement(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) {
        state.withLock { $0.endMeasurement(wall: wallNanos, mono: monotonicNanos) }
    }

    /// Closes the current interval, starts the next, stores and returns the closed one.
    @discardableResult
    public func closeInterval(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) -> IntervalStats {
        let (raw, cumulative, groups, index) = state.withLock { $0.takeInterval(wall: wallNanos, mono: monotonicNanos) }
        // Percentiles and the compact form are computed outside the lock so that
        // senders are not held up once a second.
        var received: [String: Int] = [:]
        for (i, g) in groups.enumerated() { received[g.name] = raw.received[i] }
        let stats = IntervalStats(index: index, phase: raw.phase, startWall: Double(raw.startWall) / 1e9,
                                  endWall: Double(wallNanos) / 1e9, seconds: Double(monotonicNanos &- raw.startMono) / 1e9,
                                  sent: raw.sent, sentBytes: raw.sentBytes, errors: raw.errors, received: received,
                                  histograms: raw.histograms, cumulative: cumulative, groups: groups)
        state.withLock { $0.store(stats) }
        return stats
    }

    /// Adds an event to the fault timeline, stamped with the elapsed time and the open interval.
    public func noteFault(_ event: FaultEvent) {
        state.withLock { s in
            var e = event
            e.elapsed = e.elapsed ?? (e.wallTime - Double(s.startWall) / 1e9)
            e.interval = e.interval ?? s.nextIntervalIndex + 1
            s.faults.append(e)
        }
    }

    // MARK: Reading

    /// The intervals closed so far.
    public var intervals: [IntervalStats] { state.withLock { $0.intervals } }

    /// The fault timeline so far.
    public var faults: [FaultEvent] { state.withLock { $0.faults } }

    /// Current whole-run counters (the measured window so far).
    public var totals: RunTotals { state.withLock { $0.recordedTotals() } }

    /// Everything recorded, for `RunResults`. Recording may go on afterwards.
    public func recorded(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) -> RecordedRun {
        let (window, totals, histograms, intervals, faults, verifier, groups) = state.withLock { s in
            (s.window(nowWall: wallNanos, nowMono: monotonicNanos), s.recordedTotals(), s.recordedHistograms(),
             s.intervals, s.faults, s.verifier, s.groups)
        }
        return RecordedRun(window: window, totals: totals, histograms: histograms, intervals: intervals,
                           faults: faults, verification: verifier?.report(), groups: groups)
    }
}
