/// What a block device is, which decides whether its I/O is counted.
///
/// Summing every line of /proc/diskstats double-counts: a partition's I/O is
/// also in its disk's line, and a device-mapper or md device's I/O reappears on
/// the disks beneath it. The sampler therefore reports only `.disk` devices by
/// default and reaches stacked devices through their slaves (see `BlockTopology`).
public enum DeviceKind: String, Sendable, Codable, CaseIterable {
    /// A whole physical or virtual disk (sda, nvme0n1, vda, xvda, mmcblk0).
    case disk
    /// A partition of a disk: counted in the parent disk already.
    case partition
    /// A loop device: file-backed, its I/O lands on the disk holding the file.
    case loop
    /// ram / zram / brd: memory-backed, not storage.
    case ram
    /// device-mapper (LVM, dm-crypt): stacked on other devices.
    case deviceMapper
    /// md software RAID: stacked on member disks.
    case raid
    /// Floppy, CD-ROM and anything else not worth sampling.
    case other

    /// Classifies a device. `isPartition` comes from sysfs (`.../partition`
    /// exists) when available; otherwise the name is used, with node_exporter's
    /// conventions (`sda1`, `nvme0n1p1`, `mmcblk0p1`, `xvda1`).
    public static func classify(name: String, isPartition: Bool?) -> DeviceKind {
        if name.hasPrefix("loop") { return .loop }
        if name.hasPrefix("zram") || name.hasPrefix("ram") { return .ram }
        if name.hasPrefix("dm-") { return .deviceMapper }
        if name.hasPrefix("md") { return .raid }
        if name.hasPrefix("fd") || name.hasPrefix("sr") { return .other }
        if let isPartition { return isPartition ? .partition : .disk }
        return nameLooksLikePartition(name) ? .partition : .disk
    }

    /// Name-based fallback when /sys is not available.
    static func nameLooksLikePartition(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let last = bytes.last, isDigit(last) else { return false }
        // Strip the trailing number.
        var i = bytes.count - 1
        while i >= 0, isDigit(bytes[i]) { i -= 1 }
        guard i >= 0 else { return false }
        // nvme0n1p2, mmcblk0p1: "p" + number after a digit.
        if bytes[i] == UInt8(ascii: "p"), i > 0, isDigit(bytes[i - 1]) { return true }
        // sda1, vdb2, hda1, xvda3: letters-only base with a known prefix.
        let base = String(decoding: bytes[0...i], as: UTF8.self)
        for prefix in ["sd", "vd", "hd", "xvd"] where base.hasPrefix(prefix) {
            return base.dropFirst(prefix.count).allSatisfy { $0.isLetter }
        }
        return false
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
