import CZlib

/// zlib's own CRC-32, the reference the accelerated path is checked against.
func zlibCRC(_ b: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = b.baseAddress else { return 0 }
    return UInt32(truncatingIfNeeded: crc32(0, base.assumingMemoryBound(to: UInt8.self), uInt(b.count)))
}
