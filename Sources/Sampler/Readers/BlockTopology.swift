#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Maps directories and device numbers to the whole disks that hold them, using
/// /sys (`/sys/dev/block/MAJ:MIN`, `/sys/class/block/NAME/{partition,slaves}`).
///
/// The broker's store directory lives on some file system whose `st_dev` names a
/// block device; that may be a partition (walk up to its disk) or a
/// device-mapper/md device (walk down through `slaves/` to the disks, which may
/// in turn be partitions). The result is the set of whole disks whose
/// /proc/diskstats lines really carry the store's I/O.
public struct BlockTopology: Sendable {
    public let fs: ProcFS

    public init(fs: ProcFS = .live) {
        self.fs = fs
    }

    /// Splits a Linux `dev_t` into major and minor numbers (glibc's encoding:
    /// 12 bits of major and 20 bits of minor spread over a 64-bit value).
    public static func split(device: UInt64) -> (major: UInt32, minor: UInt32) {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }

    /// The whole disks holding `directory` (live `stat`, then /sys).
    public func disks(holding directory: String) -> Reading<[String]> {
        var st = stat()
        guard stat(directory, &st) == 0 else {
            return .unavailable("\(directory): stat failed (errno \(errno))")
        }
        let (major, minor) = Self.split(device: UInt64(st.st_dev))
        return disks(major: major, minor: minor)
    }

    /// The whole disks behind device `major:minor`.
    public func disks(major: UInt32, minor: UInt32) -> Reading<[String]> {
        if major == 0 {
            // Anonymous devices: tmpfs, overlayfs, btrfs subvolumes, NFS.
            return .unavailable("device \(major):\(minor) is not a block device (tmpfs, overlay, btrfs subvolume or network file system)")
        }
        guard let name = deviceName(major: major, minor: minor) else {
            return .unavailable("no block device \(major):\(minor) under \(fs.path("sys/dev/block"))")
        }
        var seen: Set<String> = []
        let result = wholeDisks(of: name, depth: 0, seen: &seen)
        return result.isEmpty ? .unavailable("could not resolve \(name) to a disk") : .available(result.sorted())
    }

    /// The kernel name of `major:minor` (e.g. `sda1`), from the /sys link target.
    public func deviceName(major: UInt32, minor: UInt32) -> String? {
        lastComponents(ofLink: fs.path("sys/dev/block/\(major):\(minor)"), count: 1)?.first
    }

    /// Whether `name` is a partition according to /sys (`nil` when /sys has no entry).
    public func isPartition(_ name: String) -> Bool? {
        let dir = fs.path("sys/class/block/\(name)")
        guard access(dir, F_OK) == 0 else { return nil }
        return access(dir + "/partition", F_OK) == 0
    }

    /// Recursively resolves `name` to whole disks: slaves first (dm, md), then
    /// partition → parent. Depth-limited against cycles in a corrupt tree.
    private func wholeDisks(of name: String, depth: Int, seen: inout Set<String>) -> [String] {
        guard depth < 8, seen.insert(name).inserted else { return [] }
        let slaves = listDirectory(fs.path("sys/class/block/\(name)/slaves"))
        if !slaves.isEmpty {
            return slaves.flatMap { wholeDisks(of: $0, depth: depth + 1, seen: &seen) }
        }
        if isPartition(name) == true,
           let parts = lastComponents(ofLink: fs.path("sys/class/block/\(name)"), count: 2), parts.count == 2 {
            // .../block/sda/sda1 → parent is the directory above the partition.
            return [parts[0]]
        }
        return [name]
    }

    /// The last `count` path components of a symlink's target.
    private func lastComponents(ofLink path: String, count: Int) -> [String]? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let target = buffer[0..<n].withUnsafeBufferPointer {
            String(decoding: UnsafeRawBufferPointer($0), as: UTF8.self)
        }
        let parts = target.split(separator: "/").map(String.init)
        return Array(parts.suffix(count))
    }

    /// Entry names of a directory except `.` and `..`; empty if it does not exist.
    func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
