/// The /proc/vmstat counters that reveal paging trouble (cumulative since boot).
public struct VMStat: Sendable, Equatable {
    /// Major faults: a page had to come from disk (e.g. a consumer reading a tail
    /// that fell out of the page cache).
    public var pgmajfault: UInt64?
    /// KiB paged in from / out to block devices.
    public var pgpgin: UInt64?
    public var pgpgout: UInt64?
    /// Pages swapped in / out.
    public var pswpin: UInt64?
    public var pswpout: UInt64?

    public init() {}

    /// Parses `name value` lines, keeping the five counters above.
    public static func parse(_ s: inout ByteScanner) -> VMStat? {
        var v = VMStat()
        let lines = s.forEachKeyedNumber { key, value in
            switch true {
            case key.equals("pgmajfault"): v.pgmajfault = value
            case key.equals("pgpgin"): v.pgpgin = value
            case key.equals("pgpgout"): v.pgpgout = value
            case key.equals("pswpin"): v.pswpin = value
            case key.equals("pswpout"): v.pswpout = value
            default: break
            }
        }
        return lines > 0 ? v : nil
    }
}
