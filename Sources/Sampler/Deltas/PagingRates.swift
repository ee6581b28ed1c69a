/// /proc/vmstat paging activity per second.
public struct PagingRates: Sendable, Equatable, Codable {
    public var majorFaultsPerSecond: Reading<Double>
    /// KiB/s paged in from and out to block devices (sar -B pgpgin/s, pgpgout/s).
    public var pagedInKiBPerSecond: Reading<Double>
    public var pagedOutKiBPerSecond: Reading<Double>
    /// Pages/s swapped in and out (sar -W).
    public var swapInPerSecond: Reading<Double>
    public var swapOutPerSecond: Reading<Double>
    public var anomalies: [CounterAnomaly]

    public static func between(_ old: VMStat, _ new: VMStat, seconds dt: Double) -> PagingRates {
        var steps = CounterSteps()
        func rate(_ name: String, _ a: UInt64?, _ b: UInt64?) -> Reading<Double> {
            guard let a, let b else { return .unavailable("/proc/vmstat has no \(name)") }
            return .available(Double(steps.step(name, a, b)) / dt)
        }
        let maj = rate("pgmajfault", old.pgmajfault, new.pgmajfault)
        let pin = rate("pgpgin", old.pgpgin, new.pgpgin)
        let pout = rate("pgpgout", old.pgpgout, new.pgpgout)
        let sin = rate("pswpin", old.pswpin, new.pswpin)
        let sout = rate("pswpout", old.pswpout, new.pswpout)
        return PagingRates(majorFaultsPerSecond: maj, pagedInKiBPerSecond: pin, pagedOutKiBPerSecond: pout,
                           swapInPerSecond: sin, swapOutPerSecond: sout, anomalies: steps.anomalies)
    }
}

/// Pressure over one interval: the kernel's 10 s average plus our own interval's
/// stall share computed from the cumulative `total` (µs).
public struct PressureShare: Sendable, Equatable, Codable {
    public var someAvg10: Double
    public var someStallPercent: Double
    public var fullAvg10: Double?
    public var fullStallPercent: Double?

    public static func between(_ old: Pressure, _ new: Pressure, seconds dt: Double) -> PressureShare {
        var steps = CounterSteps()
        let micros = dt * 1_000_000
        let some = Double(steps.step("some.total", old.some.totalMicroseconds, new.some.totalMicroseconds)) / micros * 100
        var full: Double?
        if let a = old.full, let b = new.full {
            full = Double(steps.step("full.total", a.totalMicroseconds, b.totalMicroseconds)) / micros * 100
        }
        return PressureShare(someAvg10: new.some.avg10, someStallPercent: min(100, some),
                             fullAvg10: new.full?.avg10, fullStallPercent: full.map { min(100, $0) })
    }
}
