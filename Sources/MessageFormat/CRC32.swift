import CZlib

/// CRC-32 (IEEE 802.3, the polynomial of `java.util.zip.CRC32`), which RocketMQ
/// stores as BODYCRC. zlib's implementation is table-driven and braided, so it
/// runs at several GB/s: cheap enough to compute on every append and verify on
/// every recovered record.
public enum CRC32 {
    /// The CRC of `bytes`, as the signed 32-bit value RocketMQ writes.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        var crc: UInt = 0
        var remaining = bytes.count
        var p = base.assumingMemoryBound(to: UInt8.self)
        // zlib takes a uInt length; bodies are ≤ 4 MiB but be correct for any size.
        while remaining > 0 {
            let chunk = min(remaining, Int(UInt32.max))
            crc = crc32(crc, p, uInt(chunk))
            remaining -= chunk
            p += chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
