import NIOCore

/// The ROCKETMQ binary header (`RocketMQSerializable`), big-endian:
///
/// ```
/// code i16 | language u8 | version i16 | opaque i32 | flag i32
/// remark: i32 length + UTF-8 (0 = none)
/// extFields: i32 total length, then (i16 key length + key, i32 value length + value)*
/// ```
///
/// This is the fast path: encoding writes straight into the frame buffer (the
/// map length is patched afterwards instead of measured first), decoding reads
/// the header slice in place and allocates only the strings it returns.
public enum BinaryHeaderCodec {
    /// code + language + version + opaque + flag + remark length + ext length.
    public static let minimumLength = 2 + 1 + 2 + 4 + 4 + 4 + 4

    /// Appends the header of `command` to `buffer`.
    /// - Returns: the number of bytes written.
    /// - Throws: ``ProtocolError/valueTooLarge(_:)`` for a key over 32767 bytes.
    @discardableResult
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) throws(ProtocolError) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(Int16(truncatingIfNeeded: command.code))
        buffer.writeInteger(command.language.rawValue)
        buffer.writeInteger(Int16(truncatingIfNeeded: command.version))
        buffer.writeInteger(command.opaque)
        buffer.writeInteger(command.flag)
        if let remark = command.remark, !remark.isEmpty {
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            let n = buffer.writeString(remark)
            buffer.setInteger(Int32(truncatingIfNeeded: n), at: lengthAt)
        } else {
            buffer.writeInteger(Int32(0))
        }
        let mapLengthAt = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        for (key, value) in command.extFields {
            let keyLength = key.utf8.count
            guard keyLength <= Int(Int16.max) else { throw .valueTooLarge("extFields key of \(keyLength) bytes") }
            buffer.writeInteger(Int16(keyLength))
            buffer.writeString(key)
            let valueAt = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            let n = buffer.writeString(value)
            buffer.setInteger(Int32(truncatingIfNeeded: n), at: valueAt)
        }
        buffer.setInteger(Int32(truncatingIfNeeded: buffer.writerIndex - mapLengthAt - 4), at: mapLengthAt)
        return buffer.writerIndex - start
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
        var r = header
        let total = r.readableBytes
        guard total >= minimumLength else {
            throw .malformedHeader("binary header of \(total) bytes is shorter than \(minimumLength)")
        }
        // The guard above makes these reads succeed; the fallbacks are unreachable.
        let code = Int32(r.readInteger(as: Int16.self) ?? 0)
        let language = LanguageCode(rawValue: r.readInteger(as: UInt8.self) ?? 0)
        let version = Int32(r.readInteger(as: Int16.self) ?? 0)
        let opaque = r.readInteger(as: Int32.self) ?? 0
        let flag = r.readInteger(as: Int32.self) ?? 0

        let remarkLength = Int(r.readInteger(as: Int32.self) ?? 0)
        guard remarkLength >= 0, remarkLength <= r.readableBytes - 4 else {
            throw .malformedHeader("remark length \(remarkLength) with \(r.readableBytes - 4) bytes left")
        }
        let remark = remarkLength == 0 ? nil : r.readString(length: remarkLength)

        guard let mapLength32 = r.readInteger(as: Int32.self) else { throw .malformedHeader("truncated extFields length") }
        let mapLength = Int(mapLength32)
        guard mapLength >= 0, mapLength <= r.readableBytes else {
            throw .malformedHeader("extFields length \(mapLength) with \(r.readableBytes) bytes left")
        }
        var map = r.readSlice(length: mapLength) ?? ByteBuffer()
        var ext = ExtFields(minimumCapacity: min(16, mapLength / 7))
        while map.readableBytes > 0 {
            guard ext.count < ExtFields.maxCount else {
                throw .malformedHeader("more than \(ExtFields.maxCount) extFields")
            }
            guard let keyLength16 = map.readInteger(as: Int16.self) else {
                throw .malformedHeader("truncated extFields key length")
            }
            let keyLength = Int(keyLength16)
            guard keyLength >= 0, keyLength <= map.readableBytes - 4 else {
                throw .malformedHeader("extFields key length \(keyLength) with \(map.readableBytes) bytes left")
            }
            let key = map.readString(length: keyLength) ?? ""
            let valueLength = Int(map.readInteger(as: Int32.self) ?? -1)
            guard valueLength >= 0, valueLength <= map.readableBytes else {
                throw .malformedHeader("extFields value length \(valueLength) for \(key.prefix(32)) with \(map.readableBytes) bytes left")
            }
            let value = map.readString(length: valueLength) ?? ""
            ext.append(key, value)
        }
        return RemotingCommand(
            code: code, language: language, version: version, opaque: opaque, flag: flag, remark: remark,
            extFields: ext, body: nil, serializeType: .rocketMQ)
    }
}
