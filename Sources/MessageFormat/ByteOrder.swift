/// Big-endian field access on raw memory. Records, frames and index files are
/// all big-endian (Java's ByteBuffer default), and fields are not aligned.
extension UnsafeRawPointer {
    @inlinable @inline(__always)
    public func beInt32(at offset: Int) -> Int32 {
        Int32(bigEndian: loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }
    @inlinable @inline(__always)
    public func beInt64(at offset: Int) -> Int64 {
        Int64(bigEndian: loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }
    @inlinable @inline(__always)
    public func beInt16(at offset: Int) -> Int16 {
        Int16(bigEndian: loadUnaligned(fromByteOffset: offset, as: Int16.self))
    }
    @inlinable @inline(__always)
    public func byte(at offset: Int) -> UInt8 {
        load(fromByteOffset: offset, as: UInt8.self)
    }
}

extension UnsafeMutableRawPointer {
    @inlinable @inline(__always)
    public func storeBE(_ value: Int32, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
    }
    @inlinable @inline(__always)
    public func storeBE(_ value: Int64, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int64.self)
    }
    @inlinable @inline(__always)
    public func storeBE(_ value: Int16, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int16.self)
    }
}
