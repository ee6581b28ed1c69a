import NIOCore

/// The ROCKETMQ binary header (`RocketMQSerializable`), big-endian:
///
/// ```
/// code i16 | language u8 | version i16 | opaque i32 | flag i32
/// remark: i32 length + UTF-8 (0 = none)
/// extFields: i32 total length, then (i16 key length + key, i32 value length + value)*
/// ```
///
/// This is the fast path: encoding measures the header (UTF-8 counts of native
/// strings are O(1)) and stores it in one pass into reserved space; decoding
/// reads the header slice in place and allocates only the strings it returns.
public enum BinaryHeaderCodec {
    /// code + language + version + opaque + flag + remark length + ext length.
    public static let minimumLength = 2 + 1 + 2 + 4 + 4 + 4 + 4

    /// The exact number of bytes ``encode(_:into:)`` writes for `command`.
    public static func encodedLength(_ command: RemotingCommand) -> Int {
        var n = minimumLength
        if let remark = command.remark { n += remark.utf8.count }
        for (key, value) in command.extFields { n += 6 + key.utf8.count + value.utf8.count }
        return n
    }

    /// Appends the header of `command` to `buffer`: the length is computed
    /// first, then everything is stored in one pass into reserved space.
    /// - Returns: the number of bytes written.
    /// - Throws: ``ProtocolError/valueTooLarge(_:)`` for a key over 32767 bytes
    ///   or a header over ``FrameCodec/maxHeaderLength``.
    @discardableResult
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) throws(ProtocolError) -> Int {
        // One pass measures and checks the keys (every frame sent passes here).
        var total = minimumLength + (command.remark?.utf8.count ?? 0)
        for pair in command.extFields.pairs {
            let k = pair.key.utf8.count
            if k > Int(Int16.max) { throw .valueTooLarge("extFields key of \(k) bytes") }
            total += 6 + k + pair.value.utf8.count
        }
        guard total <= FrameCodec.maxHeaderLength else { throw .valueTooLarge("header of \(total) bytes") }
        return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            guard let base = out.baseAddress else { return 0 }  // never: ≥ minimumLength bytes are reserved
            var p = 0
            func put<T: FixedWidthInteger>(_ v: T) {
                base.storeBytes(of: v.bigEndian, toByteOffset: p, as: T.self)
                p += MemoryLayout<T>.size
            }
            func put(_ s: String) {
                var s = s
                s.withUTF8 { utf8 in
                    if let src = utf8.baseAddress { (base + p).copyMemory(from: src, byteCount: utf8.count) }
                    p += utf8.count
                }
            }
            put(Int16(truncatingIfNeeded: command.code))
            put(command.language.rawValue)
            put(Int16(truncatingIfNeeded: command.version))
            put(command.opaque)
            put(command.flag)
            if let remark = command.remark, !remark.isEmpty {
                put(Int32(remark.utf8.count))
                put(remark)
            } else {
                put(Int32(0))
            }
            put(Int32(total - p - 4))
            for pair in command.extFields.pairs {
                put(Int16(pair.key.utf8.count))
                put(pair.key)
                put(Int32(pair.value.utf8.count))
                put(pair.value)
            }
            return p
        }
    }

    /// The fields at fixed offsets, readable from any header of at least 13 bytes
    /// (used to answer a request whose header is otherwise damaged).
    static func salvage(_ header: ByteBuffer) -> (code: Int32, opaque: Int32, flag: Int32)? {
        let i = header.readerIndex
        guard let code = header.getInteger(at: i, as: Int16.self),
            let opaque = header.getInteger(at: i + 5, as: Int32.self),
            let flag = header.getInteger(at: i + 9, as: Int32.self)
        else { return nil }
        return (Int32(code), opaque, flag)
    }

    /// Decodes a whole header (the readable bytes of `header`) into a command
    /// without a body. Bytes after the ext map are ignored, as RocketMQ does.
    /// - Throws: ``ProtocolError/malformedHeader(_:)`` on truncation, a negative
    ///   length, a length beyond the header, or more than ``ExtFields/maxCount`` fields.
    public static func decode(_ header: ByteBuffer) throws(ProtocolError) -> RemotingCommand {
        let result: Result<RemotingCommand, ProtocolError> = header.withUnsafeReadableBytes { raw in
            Result { () throws(ProtocolError) -> RemotingCommand in try decode(raw) }
        }
        return try result.get()
    }

    /// Decodes a whole header from raw bytes (see ``decode(_:)-(ByteBuffer)``).
    public static func decode(_ raw: UnsafeRawBufferPointer) throws(ProtocolError) -> RemotingCommand {
        let total = raw.count
        guard total >= minimumLength, let base = raw.baseAddress else {
            throw .malformedHeader("binary header of \(total) bytes is shorter than \(minimumLength)")
        }
        @inline(__always) func i16(_ at: Int) -> Int16 { Int16(bigEndian: base.loadUnaligned(fromByteOffset: at, as: Int16.self)) }
        @inline(__always) func i32(_ at: Int) -> Int32 { Int32(bigEndian: base.loadUnaligned(fromByteOffset: at, as: Int32.self)) }
        @inline(__always) func text(_ at: Int, _ count: Int) -> String {
            String(decoding: UnsafeRawBufferPointer(start: base + at, count: count), as: UTF8.self)
        }
        let code = Int32(i16(0))
        let language = LanguageCode(rawValue: base.load(fromByteOffset: 2, as: UInt8.self))
        let version = Int32(i16(3))
        let opaque = i32(5)
        let flag = i32(9)
        var p = 13
        // Every length is compared with what is left, in Int, so nothing can overflow.
        let remarkLength = Int(i32(p))
        p += 4
        guard remarkLength >= 0, remarkLength <= total - p - 4 else {
            throw .malformedHeader("remark length \(remarkLength) with \(total - p - 4) bytes left")
        }
        let remark = remarkLength == 0 ? nil : text(p, remarkLength)
        p += remarkLength
        let mapLength = Int(i32(p))
        p += 4
        guard mapLength >= 0, mapLength <= total - p else {
            throw .malformedHeader("extFields length \(mapLength) with \(total - p) bytes left")
        }
        let mapEnd = p + mapLength
        var ext = ExtFields(minimumCapacity: min(16, mapLength / 7))
        while p < mapEnd {
            guard ext.count < ExtFields.maxCount else {
                throw .malformedHeader("more than \(ExtFields.maxCount) extFields")
            }
            guard mapEnd - p >= 2 else { throw .malformedHeader("truncated extFields key length") }
            let keyLength = Int(i16(p))
            p += 2
            guard keyLength >= 0, keyLength <= mapEnd - p - 4 else {
                throw .malformedHeader("extFields key length \(keyLength) with \(mapEnd - p) bytes left")
            }
            let key = text(p, keyLength)
            p += keyLength
            let valueLength = Int(i32(p))
            p += 4
            guard valueLength >= 0, valueLength <= mapEnd - p else {
                throw .malformedHeader("extFields value length \(valueLength) for \(key.prefix(32)) with \(mapEnd - p) bytes left")
            }
            ext.append(key, text(p, valueLength))
            p += valueLength
        }
        return RemotingCommand(
            code: code, language: language, version: version, opaque: opaque, flag: flag, remark: remark,
            extFields: ext, body: nil, serializeType: .rocketMQ)
    }
}
