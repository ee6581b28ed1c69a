/// The /proc/meminfo fields a broker host is judged by, in bytes.
///
/// Each field is optional on its own: `MemAvailable` appeared in 3.14, and
/// container runtimes sometimes present trimmed files. A field the kernel did not
/// print stays `nil` rather than 0.
public struct MemoryInfo: Sendable, Equatable, Codable {
    public var total: UInt64?
    public var free: UInt64?
    public var available: UInt64?
    public var buffers: UInt64?
    public var cached: UInt64?
    public var dirty: UInt64?
    public var writeback: UInt64?
    public var activeFile: UInt64?
    public var inactiveFile: UInt64?
    public var anonPages: UInt64?
    public var mapped: UInt64?
    public var shmem: UInt64?
    public var swapTotal: UInt64?
    public var swapFree: UInt64?

    public init() {}

    /// Parses `Key:   value kB` lines; values are converted from KiB to bytes.
    public static func parse(_ s: inout ByteScanner) -> MemoryInfo? {
        var m = MemoryInfo()
        let lines = s.forEachKeyedNumber { key, kib in
            // Every field we keep is in kB; the unit column is always "kB".
            let bytes = kib &* 1024
            switch true {
            case key.equals("MemTotal"): m.total = bytes
            case key.equals("MemFree"): m.free = bytes
            case key.equals("MemAvailable"): m.available = bytes
            case key.equals("Buffers"): m.buffers = bytes
            case key.equals("Cached"): m.cached = bytes
            case key.equals("Dirty"): m.dirty = bytes
            case key.equals("Writeback"): m.writeback = bytes
            case key.equals("Active(file)"): m.activeFile = bytes
            case key.equals("Inactive(file)"): m.inactiveFile = bytes
            case key.equals("AnonPages"): m.anonPages = bytes
            case key.equals("Mapped"): m.mapped = bytes
            case key.equals("Shmem"): m.shmem = bytes
            case key.equals("SwapTotal"): m.swapTotal = bytes
            case key.equals("SwapFree"): m.swapFree = bytes
            default: break
            }
        }
        return lines > 0 ? m : nil
    }
}
