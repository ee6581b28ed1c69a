/// Everything read in one pass at one instant: raw cumulative counters and gauges.
///
/// Rates only exist between two snapshots (see `Sample.between`).
public struct Snapshot: Sendable {
    /// `CLOCK_MONOTONIC` seconds at the read, for Δt.
    public var monotonic: Double
    /// Unix time at the read, as a label.
    public var wall: Double
    public var stat: Reading<KernelStat>
    public var load: Reading<LoadAverage>
    public var memory: Reading<MemoryInfo>
    public var vm: Reading<VMStat>
    /// Whole disks only (see `DeviceKind`); other kinds are dropped at read time.
    public var disks: Reading<[DiskCounters]>
    public var network: Reading<[NetworkCounters]>
    public var cpuPressure: Reading<Pressure>
    public var ioPressure: Reading<Pressure>
    public var memoryPressure: Reading<Pressure>
    /// Monitored processes, in the order they were requested.
    public var processes: [(pid: Int32, counters: Reading<ProcessCounters>)]
    /// Names of the disks that hold the store directory (empty if none configured).
    public var storeDisks: Set<String>
}
