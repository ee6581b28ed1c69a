import Foundation
import Metrics
import Sampler
import Synchronization

/// One interval of a perf run (`--interval`): what its progress line showed,
/// kept in the JSON so a tail can be placed in time (a segment preparation, a
/// burst of steal) instead of only read off the whole run's percentiles.
struct PerfInterval: Codable, Equatable {
    /// Seconds from the start of the measured run to the end of the interval.
    var endSecond: Double
    /// Length of the interval (the last one is usually shorter).
    var seconds: Double
    /// Messages acknowledged, and refused or failed, in the interval.
    var messages: Int
    var failed: Int
    var messagesPerSecond: Double
    /// Send to acknowledgement of the messages answered in the interval.
    var latencyMs: LatencyBrief?
    /// Open loop: from each message's scheduled time.
    var scheduledLatencyMs: LatencyBrief?
    /// CPU time the host ran something else on this guest's vCPUs during the
    /// interval (`steal` of /proc/stat, all CPUs); nil where /proc/stat is unreadable.
    var stealSeconds: Double?

    /// `[  10.0 s]   20001 msg/s  p50 0.105  p99 0.480  p99.9 1.210  max 3.211 ms  steal 0.02 s`
    var line: String {
        var text = "[\(TextFormat.pad(String(format: "%.1f", endSecond), 6)) s] "
            + TextFormat.pad(String(Int(messagesPerSecond.rounded())), 7) + " msg/s"
        if let l = latencyMs {
            text += String(format: "  p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms", l.p50, l.p99, l.p999, l.max)
        }
        if let s = scheduledLatencyMs { text += String(format: "  (from schedule p99 %.3f ms)", s.p99) }
        if failed > 0 { text += "  failed \(failed)" }
        if let stealSeconds { text += String(format: "  steal %.2f s", stealSeconds) }
        return text
    }
}

/// Writes a ``PerfInterval`` line to stderr every `every` while a perf run
/// goes on, and keeps the intervals for the result.
final class PerfProgress: Sendable {
    private struct State {
        var intervals: [PerfInterval] = []
        var periodStart: UInt64
        var stealTicks: UInt64?
        var stat = FileBuffer(capacity: 4096)
    }
    private let recorder: PerfRecorder
    private let start: UInt64
    private let every: Duration
    private let state: Mutex<State>
    private let task = Mutex<Task<Void, Never>?>(nil)
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Intervals are measured from `start` (monotonic ns, ``nowNanos()``).
    init(recorder: PerfRecorder, start: UInt64, every: Duration) {
        self.recorder = recorder
        self.start = start
        self.every = every
        var first = State(periodStart: start)
        first.stealTicks = Self.steal(&first.stat)
        state = Mutex(first)
    }

    /// Starts the periodic lines (none when `every` is zero).
    func begin() {
        guard every > .zero else { return }
        let every = self.every
        task.withLock {
            $0 = Task { [self] in
                while true {
                    do { try await Task.sleep(for: every) } catch { return }
                    close(at: nowNanos())
                }
            }
        }
    }

    /// Stops the lines, closes the last (partial) interval at `end` and returns them all.
    func finish(at end: UInt64) async -> [PerfInterval] {
        let running = task.withLock { t in defer { t = nil }; return t }
        running?.cancel()
        await running?.value
        close(at: end, final: true)
        return state.withLock { $0.intervals }
    }

    private func close(at now: UInt64, final: Bool = false) {
        let period = recorder.takePeriod()
        let interval = state.withLock { s -> PerfInterval? in
            let steal = Self.steal(&s.stat)
            defer { s.periodStart = max(s.periodStart, now); s.stealTicks = steal }
            let seconds = Double(now &- min(now, s.periodStart)) / 1e9
            // A last interval of nothing (the run ended on a boundary) is not worth a line.
            if final && period.acked + period.failed == 0 { return nil }
            let interval = PerfInterval(
                endSecond: Double(now &- min(now, start)) / 1e9, seconds: seconds,
                messages: period.acked, failed: period.failed,
                messagesPerSecond: seconds > 0 ? Double(period.acked) / seconds : 0,
                latencyMs: period.latency.count == 0 ? nil : LatencyBrief(period.latency),
                scheduledLatencyMs: period.scheduled.count == 0 ? nil : LatencyBrief(period.scheduled),
                stealSeconds: steal.flatMap { new in s.stealTicks.map { Double(new &- $0) / Self.ticksPerSecond } })
            s.intervals.append(interval)
            return interval
        }
        if let interval, every > .zero { FileHandle.standardError.write(Data((interval.line + "\n").utf8)) }
    }

    /// The aggregate `steal` column of /proc/stat, in clock ticks.
    private static func steal(_ buffer: inout FileBuffer) -> UInt64? {
        buffer.read(ProcFS.live.path("proc/stat"), KernelStat.parse).value?.total.steal
    }
}
