import Dispatch
import Synchronization

/// Runs a `SnapshotReader` at a fixed interval on a dedicated thread and keeps
/// the resulting series.
///
/// A dedicated thread rather than a Task: the sampler must tick on time even
/// when the broker or load generator saturates the cooperative pool, and its
/// blocking file reads must not occupy a pool thread. Ticks are scheduled
/// against absolute monotonic deadlines so that a slow tick does not shift the
/// ones after it.
///
/// Sendable without `@unchecked`: all mutable state lives in `state`, a
/// `Mutex`, and the reader is copied into the sampling thread, which owns it.
public final class Sampler: Sendable {
    /// What the sampler measured about itself.
    public struct Cost: Sendable, Codable, Equatable {
        /// Ticks completed (including the baseline read).
        public var reads: Int
        /// CPU seconds the sampling thread used for reading and computing.
        public var cpuSeconds: Double
        /// Wall seconds since the first read.
        public var wallSeconds: Double
        /// cpuSeconds / wallSeconds × 100: percent of one core.
        public var percentOfCore: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds * 100 : 0 }
    }

    private struct State {
        var series: [Sample] = []
        var cost = Cost(reads: 0, cpuSeconds: 0, wallSeconds: 0)
        var started = false
        var stopped = false
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// PIDs to follow from the next tick on (set by `follow`).
        var newPIDs: [Int32]?
    }

    public let interval: Double
    private let limit: Int?
    private let keepSeries: Bool
    private let onSample: @Sendable (Sample) -> Void
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    // Copied by the sampling thread when it starts; the copy is thread-confined.
    private let initialReader: SnapshotReader

    /// - Parameters:
    ///   - reader: what to read (root, PIDs, store disks).
    ///   - interval: seconds between reads (default 1).
    ///   - count: stop after this many samples (`nil` = until `stop()`).
    ///   - keepSeries: keep every sample in memory for `series` (a 1-hour run at
    ///     1 s is a few MB of values).
    ///   - onSample: called on the sampling thread after each sample.
    public init(reader: SnapshotReader, interval: Double = 1, count: Int? = nil, keepSeries: Bool = true,
                onSample: @escaping @Sendable (Sample) -> Void = { _ in }) {
        precondition(interval > 0, "interval must be positive")
        self.initialReader = reader
        self.interval = interval
        self.limit = count
        self.keepSeries = keepSeries
        self.onSample = onSample
    }

    /// Starts the sampling thread; the baseline is read immediately.
    public func start() {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        precondition(first, "Sampler.start() called twice")
        SamplingThread.spawn { [self] in
            var reader = initialReader
            run(&reader)
        }
    }

    /// Asks the thread to stop; it finishes the current tick and exits.
    public func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    /// Follows `pids` from the next tick on, e.g. a restarted broker's new PID
    /// (a new PID has no rates in its first interval).
    public func follow(pids: [Int32]) {
        state.withLock { $0.newPIDs = pids }
    }

    /// Waits until the sampler has stopped (by `count` or `stop()`).
    public func finished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.finished { return true }
                s.waiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    /// The samples so far.
    public var series: [Sample] { state.withLock { $0.series } }

    /// The sampler's own CPU cost so far.
    public var cost: Cost { state.withLock { $0.cost } }

    private func run(_ reader: inout SnapshotReader) {
        let startWall = Clock.monotonic()
        var cpuBefore = Clock.threadCPU()
        var previous = reader.read()
        var spent = Clock.threadCPU() - cpuBefore
        record(reads: 1, cpu: spent, wall: 0)
        var next = DispatchTime.now().uptimeNanoseconds
        var index = 0
        while true {
            next += UInt64(interval * 1e9)
            // Sleeping on the semaphore lets stop() cut the wait short.
            _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: next))
            let (stop, newPIDs) = state.withLock { s in
                defer { s.newPIDs = nil }
                return (s.stopped, s.newPIDs)
            }
            if stop { break }
            if let newPIDs { reader.pids = newPIDs }
            cpuBefore = Clock.threadCPU()
            let current = reader.read()
            index += 1
            var sample = Sample.between(previous, current, index: index)
            spent = Clock.threadCPU() - cpuBefore
            sample.samplerCPUSeconds = spent
            previous = current
            let wall = Clock.monotonic() - startWall
            let keep = keepSeries
            let reachedLimit = state.withLock { s -> Bool in
                if keep { s.series.append(sample) }
                s.cost.reads += 1
                s.cost.cpuSeconds += spent
                s.cost.wallSeconds = wall
                return limit.map { index >= $0 } ?? false
            }
            onSample(sample)
            if reachedLimit { break }
            // After a long stall (suspended VM, debugger), resynchronise instead of
            // firing a burst of back-to-back ticks.
            let now = DispatchTime.now().uptimeNanoseconds
            if now > next + UInt64(interval * 1e9) { next = now }
        }
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.finished = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    private func record(reads: Int, cpu: Double, wall: Double) {
        state.withLock {
            $0.cost.reads += reads
            $0.cost.cpuSeconds += cpu
            $0.cost.wallSeconds = wall
        }
    }
}
