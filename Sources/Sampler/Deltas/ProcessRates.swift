/// One monitored process over one interval, like `pidstat -u -r -d -w`.
public struct ProcessRates: Sendable, Equatable, Codable {
    public var pid: Int32
    public var command: String
    /// (Δutime + Δstime) / CLK_TCK / Δt × 100: percent of one core, so a process
    /// using two cores shows 200 (pidstat's default, without `-I`).
    public var cpuPercent: Double
    public var userPercent: Double
    public var systemPercent: Double
    /// Resident set from /proc/PID/stat (pages × page size), what pidstat -r shows.
    public var rssBytes: UInt64
    public var threads: UInt64
    public var minorFaultsPerSecond: Double
    public var majorFaultsPerSecond: Double
    /// cswch/s and nvcswch/s from /proc/PID/status.
    public var voluntarySwitchesPerSecond: Reading<Double>
    public var nonvoluntarySwitchesPerSecond: Reading<Double>
    /// Storage bytes/s from /proc/PID/io (unavailable without permission).
    public var readBytesPerSecond: Reading<Double>
    public var writeBytesPerSecond: Reading<Double>
    public var openFiles: Reading<Int>
    public var anomalies: [CounterAnomaly]

    /// Rates between two reads of the same process (same PID *and* start time).
    public static func between(_ old: ProcessCounters, _ new: ProcessCounters, seconds dt: Double) -> ProcessRates {
        var steps = CounterSteps()
        let p = "pid\(new.pid)"
        let hz = Clock.ticksPerSecond
        let ut = Double(steps.step("\(p).utime", old.stat.utime, new.stat.utime)) / hz
        let st = Double(steps.step("\(p).stime", old.stat.stime, new.stat.stime)) / hz
        func rate(_ field: String, _ a: UInt64?, _ b: UInt64?) -> Reading<Double> {
            guard let a, let b else { return .unavailable("\(field) not reported") }
            return .available(Double(steps.step("\(p).\(field)", a, b)) / dt)
        }
        func ioRate(_ field: String, _ pick: (ProcessIO) -> UInt64) -> Reading<Double> {
            switch (old.io, new.io) {
            case (.available(let a), .available(let b)):
                return .available(Double(steps.step("\(p).\(field)", pick(a), pick(b))) / dt)
            case (_, .unavailable(let r)), (.unavailable(let r), _):
                return .unavailable(r)
            }
        }
        let vol = rate("voluntary_ctxt_switches", old.status.value?.voluntarySwitches, new.status.value?.voluntarySwitches)
        let nonvol = rate("nonvoluntary_ctxt_switches", old.status.value?.nonvoluntarySwitches, new.status.value?.nonvoluntarySwitches)
        let reads = ioRate("read_bytes") { $0.readBytes }
        let writes = ioRate("write_bytes") { $0.writeBytes }
        let minflt = Double(steps.step("\(p).minflt", old.stat.minorFaults, new.stat.minorFaults)) / dt
        let majflt = Double(steps.step("\(p).majflt", old.stat.majorFaults, new.stat.majorFaults)) / dt
        return ProcessRates(
            pid: new.pid, command: new.stat.comm,
            cpuPercent: (ut + st) / dt * 100, userPercent: ut / dt * 100, systemPercent: st / dt * 100,
            rssBytes: new.stat.rssPages &* Clock.pageSize, threads: new.stat.threads,
            minorFaultsPerSecond: minflt, majorFaultsPerSecond: majflt,
            voluntarySwitchesPerSecond: vol, nonvoluntarySwitchesPerSecond: nonvol,
            readBytesPerSecond: reads, writeBytesPerSecond: writes,
            openFiles: new.openFiles, anomalies: steps.anomalies)
    }
}
