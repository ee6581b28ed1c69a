/// Per-disk rates over one interval, with iostat's extended statistics.
///
/// Formulas (sysstat `rd_stats.c:compute_ext_disk_stats`, `iostat.c`), Δ over an
/// interval of Δt seconds, sectors of 512 bytes:
/// - r/s = Δreads / Δt, w/s = Δwrites / Δt
/// - read/write bytes/s = Δsectors × 512 / Δt
/// - r_await = Δread_ms / Δreads, w_await = Δwrite_ms / Δwrites (nil without I/O)
/// - aqu-sz = Δweighted_ms / (Δt × 1000)
/// - %util = Δio_ticks / (Δt × 1000) × 100, capped at 100 like iostat
public struct DiskRates: Sendable, Equatable, Codable {
    public var name: String
    public var kind: DeviceKind
    /// True for the disk(s) that hold the broker's store directory.
    public var holdsStore: Bool
    public var readsPerSecond: Double
    public var writesPerSecond: Double
    public var readBytesPerSecond: Double
    public var writeBytesPerSecond: Double
    public var readMergesPerSecond: Double
    public var writeMergesPerSecond: Double
    /// Average ms per completed read / write; `nil` when none completed.
    public var readAwaitMilliseconds: Double?
    public var writeAwaitMilliseconds: Double?
    /// Average queue length (aqu-sz).
    public var averageQueueSize: Double
    /// Busy time in percent. Saturation only for devices that serve one request at a
    /// time; NVMe and RAID can be at 100 % with capacity to spare.
    public var utilisation: Double
    public var inFlight: UInt64
    public var anomalies: [CounterAnomaly]

    /// 512-byte "UNIX sectors", whatever the hardware sector size.
    public static let sectorBytes = 512.0

    public static func between(_ old: DiskCounters, _ new: DiskCounters, seconds dt: Double, holdsStore: Bool) -> DiskRates {
        var steps = CounterSteps()
        let n = new.name
        let reads = steps.step("\(n).reads", old.readsCompleted, new.readsCompleted)
        let writes = steps.step("\(n).writes", old.writesCompleted, new.writesCompleted)
        let rmerge = steps.step("\(n).reads_merged", old.readsMerged, new.readsMerged)
        let wmerge = steps.step("\(n).writes_merged", old.writesMerged, new.writesMerged)
        let rsect = steps.step("\(n).sectors_read", old.sectorsRead, new.sectorsRead)
        let wsect = steps.step("\(n).sectors_written", old.sectorsWritten, new.sectorsWritten)
        let rms = steps.step("\(n).read_ms", old.readMilliseconds, new.readMilliseconds, width: .bits32)
        let wms = steps.step("\(n).write_ms", old.writeMilliseconds, new.writeMilliseconds, width: .bits32)
        let ticks = steps.step("\(n).io_ticks", old.ioMilliseconds, new.ioMilliseconds, width: .bits32)
        let weighted = steps.step("\(n).weighted_ms", old.weightedMilliseconds, new.weightedMilliseconds, width: .bits32)
        let ms = dt * 1000
        return DiskRates(
            name: n, kind: new.kind, holdsStore: holdsStore,
            readsPerSecond: Double(reads) / dt, writesPerSecond: Double(writes) / dt,
            readBytesPerSecond: Double(rsect) * sectorBytes / dt,
            writeBytesPerSecond: Double(wsect) * sectorBytes / dt,
            readMergesPerSecond: Double(rmerge) / dt, writeMergesPerSecond: Double(wmerge) / dt,
            readAwaitMilliseconds: reads > 0 ? Double(rms) / Double(reads) : nil,
            writeAwaitMilliseconds: writes > 0 ? Double(wms) / Double(writes) : nil,
            averageQueueSize: Double(weighted) / ms,
            utilisation: min(100, Double(ticks) / ms * 100),
            inFlight: new.inFlight, anomalies: steps.anomalies)
    }
}
