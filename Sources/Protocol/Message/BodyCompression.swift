import CZlib

/// zlib (de)compression of message bodies, as RocketMQ clients do it: a body of
/// at least ``defaultThreshold`` bytes is deflated (zlib format, Java's
/// `Deflater` / the C++ client's `compress2`) and the message's sysFlag gets
/// `SysFlag.compressed`; consumers inflate it.
public enum BodyCompression {
    /// `compressMsgBodyOverHowmuch`: 4 KiB.
    public static let defaultThreshold = 4096
    /// Java's `zipCompressLevel` default.
    public static let defaultLevel: Int32 = 5
    /// The most an inflated body may grow to (a bound against zip bombs): 64 MiB.
    public static let defaultMaxInflatedSize = 64 * 1024 * 1024

    /// Deflates `bytes` in zlib format.
    /// - Throws: ``ProtocolError/compression(_:)`` if zlib fails.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = defaultLevel) throws(ProtocolError) -> [UInt8] {
        var bound = Int(compressBound(uLong(bytes.count)))
        var out = [UInt8](repeating: 0, count: max(bound, 16))
        let src = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
        var empty: UInt8 = 0
        let rc = out.withUnsafeMutableBufferPointer { dst -> Int32 in
            var destLen = uLong(dst.count)
            let rc = withUnsafePointer(to: &empty) { e in
                compress2(dst.baseAddress, &destLen, src ?? e, uLong(bytes.count), level)
            }
            bound = Int(destLen)
            return rc
        }
        guard rc == Z_OK else { throw .compression("compress2 returned \(rc)") }
        out.removeSubrange(bound...)
        return out
    }

    /// Deflates `bytes` in zlib format.
    public static func compress(_ bytes: [UInt8], level: Int32 = defaultLevel) throws(ProtocolError) -> [UInt8] {
        let r: Result<[UInt8], ProtocolError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtocolError) -> [UInt8] in try compress(raw, level: level) }
        }
        return try r.get()
    }

    /// The body to send and whether it was compressed: bodies under `threshold`
    /// are returned as they are.
    public static func compressIfLarge(_ bytes: [UInt8], threshold: Int = defaultThreshold, level: Int32 = defaultLevel)
        throws(ProtocolError) -> (body: [UInt8], compressed: Bool)
    {
        guard bytes.count >= threshold else { return (bytes, false) }
        return (try compress(bytes, level: level), true)
    }

    /// Inflates a zlib stream.
    /// - Throws: ``ProtocolError/compression(_:)`` for damaged data, a truncated
    ///   stream, or output over `maxSize`.
    public static func decompress(_ bytes: UnsafeRawBufferPointer, maxSize: Int = defaultMaxInflatedSize)
        throws(ProtocolError) -> [UInt8]
    {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .compression("inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(max(bytes.count * 4, 4096), 1 << 20))
        let input = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.next_in = UnsafeMutablePointer(mutating: input)
        stream.avail_in = uInt(bytes.count)
        while true {
            let (rc, produced) = chunk.withUnsafeMutableBufferPointer { dst -> (Int32, Int) in
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(dst.count)
                let rc = inflate(&stream, Z_NO_FLUSH)
                return (rc, dst.count - Int(stream.avail_out))
            }
            out.append(contentsOf: chunk[0..<produced])
            guard out.count <= maxSize else { throw .compression("inflated body exceeds \(maxSize) bytes") }
            switch rc {
            case Z_STREAM_END:
                return out
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 { throw .compression("truncated zlib stream") }
                continue
            default:
                throw .compression("inflate returned \(rc)")
            }
        }
    }

    /// Inflates a zlib stream.
    public static func decompress(_ bytes: [UInt8], maxSize: Int = defaultMaxInflatedSize) throws(ProtocolError) -> [UInt8] {
        let r: Result<[UInt8], ProtocolError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtocolError) -> [UInt8] in try decompress(raw, maxSize: maxSize) }
        }
        return try r.get()
    }
}
