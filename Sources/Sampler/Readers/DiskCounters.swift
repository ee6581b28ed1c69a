/// One line of /proc/diskstats (kernel `Documentation/admin-guide/iostats.rst`).
///
/// Sector counts are always in 512-byte units whatever the device's real sector
/// size. The `*Milliseconds` fields are `unsigned int` in the kernel and wrap at
/// 2^32 ms (≈ 49.7 days of accumulated time), which the delta code handles.
public struct DiskCounters: Sendable, Equatable {
    public var major: UInt32
    public var minor: UInt32
    public var name: String
    /// Set from /sys by `SnapshotReader`; the parser guesses from the name.
    public var kind: DeviceKind
    public var readsCompleted: UInt64 = 0
    public var readsMerged: UInt64 = 0
    public var sectorsRead: UInt64 = 0
    public var readMilliseconds: UInt64 = 0
    public var writesCompleted: UInt64 = 0
    public var writesMerged: UInt64 = 0
    public var sectorsWritten: UInt64 = 0
    public var writeMilliseconds: UInt64 = 0
    /// The only gauge: I/Os in flight right now.
    public var inFlight: UInt64 = 0
    /// `io_ticks`: ms during which at least one I/O was in flight (basis of %util).
    public var ioMilliseconds: UInt64 = 0
    /// Weighted ms: Σ in-flight × time (basis of aqu-sz).
    public var weightedMilliseconds: UInt64 = 0
    /// Discard fields (4.18+), `nil` on older kernels.
    public var discardsCompleted: UInt64?
    public var discardMilliseconds: UInt64?
    /// Flush fields (5.5+), `nil` on older kernels and for partitions of some kernels.
    public var flushesCompleted: UInt64?
    public var flushMilliseconds: UInt64?

    public init(major: UInt32, minor: UInt32, name: String) {
        self.major = major; self.minor = minor; self.name = name
        self.kind = DeviceKind.classify(name: name, isPartition: nil)
    }

    /// Parses all of /proc/diskstats; lines with fewer than the 11 classic
    /// fields (2.4-era formats) are skipped.
    public static func parseAll(_ s: inout ByteScanner) -> [DiskCounters]? {
        var disks: [DiskCounters] = []
        while !s.atEnd {
            if let line = parseLine(&s) { disks.append(line) }
            s.nextLine()
        }
        return disks
    }

    private static func parseLine(_ s: inout ByteScanner) -> DiskCounters? {
        guard let major = s.unsigned(), let minor = s.unsigned() else { return nil }
        let name = s.word()
        guard !name.isEmpty else { return nil }
        var d = DiskCounters(major: UInt32(truncatingIfNeeded: major), minor: UInt32(truncatingIfNeeded: minor), name: name)
        guard let f1 = s.unsigned(), let f2 = s.unsigned(), let f3 = s.unsigned(), let f4 = s.unsigned(),
              let f5 = s.unsigned(), let f6 = s.unsigned(), let f7 = s.unsigned(), let f8 = s.unsigned(),
              let f9 = s.unsigned(), let f10 = s.unsigned(), let f11 = s.unsigned()
        else { return nil }
        d.readsCompleted = f1; d.readsMerged = f2; d.sectorsRead = f3; d.readMilliseconds = f4
        d.writesCompleted = f5; d.writesMerged = f6; d.sectorsWritten = f7; d.writeMilliseconds = f8
        d.inFlight = f9; d.ioMilliseconds = f10; d.weightedMilliseconds = f11
        if let f12 = s.unsigned(), s.unsigned() != nil, s.unsigned() != nil, let f15 = s.unsigned() {
            d.discardsCompleted = f12; d.discardMilliseconds = f15
            if let f16 = s.unsigned(), let f17 = s.unsigned() {
                d.flushesCompleted = f16; d.flushMilliseconds = f17
            }
        }
        return d
    }
}
