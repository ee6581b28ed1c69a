#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two clocks of a run: monotonic for durations measured inside one process
/// (send latency, send delay, schedules), wall for timestamps compared across
/// processes or hosts (end-to-end latency, fault times, merged agents).
public enum BenchClock {
    public static func monotonicNanos() -> UInt64 { read(CLOCK_MONOTONIC) }
    public static func wallNanos() -> UInt64 { read(CLOCK_REALTIME) }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
