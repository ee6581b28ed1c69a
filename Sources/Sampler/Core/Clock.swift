#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Time sources for the sampler.
///
/// Rates divide by Δt from `CLOCK_MONOTONIC`: wall-clock time can jump (NTP,
/// an operator setting the date) and would then produce negative or huge rates.
/// The wall clock is only recorded as a label for each sample.
public enum Clock {
    /// Seconds since an arbitrary fixed point; never goes backwards.
    public static func monotonic() -> Double {
        read(CLOCK_MONOTONIC)
    }

    /// Seconds since the Unix epoch, for labelling samples.
    public static func wall() -> Double {
        read(CLOCK_REALTIME)
    }

    /// CPU seconds consumed by the calling thread (the sampler's own cost).
    public static func threadCPU() -> Double {
        read(CLOCK_THREAD_CPUTIME_ID)
    }

    /// Kernel clock ticks per second (`USER_HZ`), the unit of /proc/stat and
    /// /proc/PID/stat times. Almost always 100, but asked rather than assumed.
    public static let ticksPerSecond: Double = {
        let hz = sysconf(Int32(_SC_CLK_TCK))
        return hz > 0 ? Double(hz) : 100
    }()

    /// Page size in bytes, the unit of the RSS field in /proc/PID/stat.
    public static let pageSize: UInt64 = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? UInt64(size) : 4096
    }()

    private static func read(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
