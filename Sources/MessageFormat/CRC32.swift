import CFastCRC
import CZlib

/// CRC-32 (IEEE 802.3, the polynomial of `java.util.zip.CRC32`), which RocketMQ
/// stores as BODYCRC. It is computed on every append and verified on every
/// recovered record, so it runs on carry-less multiplication where the CPU has
/// it (about 10x zlib's table-driven speed; docs/PERFORMANCE.md).
public enum CRC32 {
    /// Whether the PCLMULQDQ path is in use on this CPU.
    public static var isAccelerated: Bool { peakmq_crc32_accelerated() != 0 }

    /// The CRC of `bytes`, as the signed 32-bit value RocketMQ writes.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        var crc: UInt32 = 0
        var remaining = bytes.count
        var p = base
        // zlib takes a 32-bit length for the tail; stay correct for any size.
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            crc = peakmq_crc32(crc, p, chunk)
            remaining -= chunk
            p += chunk
        }
        return crc
    }

    /// zlib's table-driven CRC of the same bytes: the reference the fast path
    /// is tested against and the "before" figure of its benchmark.
    public static func zlibChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return UInt32(truncatingIfNeeded: crc32(0, base.assumingMemoryBound(to: UInt8.self), uInt(bytes.count)))
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
