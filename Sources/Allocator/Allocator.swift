import CJemalloc

/// The process allocator: PeakMQ executables link jemalloc so that the broker's
/// many small, short-lived allocations do not fragment glibc's arenas.
///
/// Reading through `mallctl` (rather than assuming) proves jemalloc is the live
/// allocator: if the dynamic linker had resolved `malloc` elsewhere, the calls
/// below would still answer, but `resident` would stay flat while we allocate.
public enum Allocator {
    /// The jemalloc version string, e.g. `5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c`.
    public static var version: String {
        var ptr: UnsafePointer<CChar>? = nil
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        let rc = mallctl("version", &ptr, &size, nil, 0)
        guard rc == 0, let ptr else { return "unknown" }
        return String(cString: ptr)
    }

    /// Reads a size_t statistic (refreshing jemalloc's stats epoch first).
    public static func statistic(_ name: String) -> Int? {
        var epochIn: UInt64 = 1
        var epochOut: UInt64 = 0
        var esz = MemoryLayout<UInt64>.size
        _ = mallctl("epoch", &epochOut, &esz, &epochIn, esz)
        var value = 0
        var size = MemoryLayout<Int>.size
        let rc = name.withCString { mallctl($0, &value, &size, nil, 0) }
        return rc == 0 ? value : nil
    }

    /// Reads a boolean or unsigned option such as `opt.background_thread` or `opt.narenas`.
    public static func option(_ name: String) -> String? {
        var b: Bool = false
        var bsz = MemoryLayout<Bool>.size
        if name.withCString({ mallctl($0, &b, &bsz, nil, 0) }) == 0, bsz == MemoryLayout<Bool>.size {
            return b ? "true" : "false"
        }
        var u: UInt32 = 0
        var usz = MemoryLayout<UInt32>.size
        if name.withCString({ mallctl($0, &u, &usz, nil, 0) }) == 0 { return String(u) }
        var s: Int = 0
        var ssz = MemoryLayout<Int>.size
        if name.withCString({ mallctl($0, &s, &ssz, nil, 0) }) == 0 { return String(s) }
        return nil
    }

    /// The one-line description each executable logs at start-up.
    public static var startupLine: String {
        let resident = statistic("stats.resident").map { "\($0 / 1024) KiB resident" } ?? "resident unknown"
        return "allocator=jemalloc \(version) (\(resident))"
    }
}
