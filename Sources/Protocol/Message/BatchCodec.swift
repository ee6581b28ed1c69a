import NIOCore

/// One message of a batch body: what the producer sets per message.
public struct BatchEntry: Sendable, Equatable {
    /// The user flag.
    public var flag: Int32
    /// The body; when decoded, a slice of the request buffer (no copy).
    public var body: ByteBuffer
    /// The encoded properties string (see `MessageProperties`).
    public var properties: String

    public init(flag: Int32 = 0, body: ByteBuffer, properties: String) {
        self.flag = flag
        self.body = body
        self.properties = properties
    }
}

/// The body of SEND_BATCH_MESSAGE: messages back to back in RocketMQ's
/// `MessageDecoder.encodeMessages` layout, big-endian:
///
/// ```
/// totalSize i32 | magic i32 | bodyCRC i32 | flag i32 | bodyLen i32 | body | propertiesLen i16 | properties
/// ```
///
/// `totalSize` counts the whole entry (20 + bodyLen + 2 + propertiesLen). Java
/// and the C++ client write 0 for magic and bodyCRC, and RocketMQ's decoder
/// ignores both, so this codec writes 0 and does not check them.
public enum BatchCodec {
    /// Fixed bytes per entry: totalSize, magic, bodyCRC, flag, bodyLen, propertiesLen.
    public static let entryOverhead = 4 * 5 + 2

    /// Appends the batch encoding of `entries` to `buffer`.
    /// - Throws: ``ProtocolError/valueTooLarge(_:)`` when properties exceed 32767 bytes.
    public static func encode(_ entries: [BatchEntry], into buffer: inout ByteBuffer) throws(ProtocolError) {
        for e in entries {
            let failure: ProtocolError? = e.body.withUnsafeReadableBytes { body in
                do throws(ProtocolError) { try encodeEntry(flag: e.flag, body: body, properties: e.properties, into: &buffer) } catch {
                    return error
                }
                return nil
            }
            if let failure { throw failure }
        }
    }

    /// Appends one entry whose body is raw bytes (a producer building a batch
    /// from its messages' arrays, without a buffer per message).
    /// - Throws: ``ProtocolError/valueTooLarge(_:)`` when properties exceed 32767 bytes.
    public static func encodeEntry(flag: Int32, body: UnsafeRawBufferPointer, properties: String,
                                   into buffer: inout ByteBuffer) throws(ProtocolError) {
        let propertiesLength = properties.utf8.count
        guard propertiesLength <= Int(Int16.max) else {
            throw .valueTooLarge("properties of \(propertiesLength) bytes")
        }
        let total = entryOverhead + body.count + propertiesLength
        guard total <= Int(Int32.max) else { throw .valueTooLarge("batch entry of \(total) bytes") }
        buffer.reserveCapacity(minimumWritableBytes: total)
        buffer.writeInteger(Int32(total))
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(flag)
        buffer.writeInteger(Int32(body.count))
        buffer.writeBytes(body)
        buffer.writeInteger(Int16(propertiesLength))
        buffer.writeString(properties)
    }

    /// The batch encoding of `entries` as a new buffer.
    public static func encode(_ entries: [BatchEntry], allocator: ByteBufferAllocator = ByteBufferAllocator())
        throws(ProtocolError) -> ByteBuffer
    {
        let size = entries.reduce(0) { $0 + entryOverhead + $1.body.readableBytes + $1.properties.utf8.count }
        var buffer = allocator.buffer(capacity: size)
        try encode(entries, into: &buffer)
        return buffer
    }

    /// Decodes every entry of a batch body. Bodies are slices of `body`.
    /// - Throws: ``ProtocolError/malformedBatch(_:)`` naming the entry and byte
    ///   offset, for a truncated entry, a negative length, or a `totalSize` that
    ///   disagrees with the body and properties lengths.
    public static func decode(_ body: ByteBuffer, maxEntries: Int = 100_000) throws(ProtocolError) -> [BatchEntry] {
        var r = body
        var out: [BatchEntry] = []
        let start = r.readerIndex
        while r.readableBytes > 0 {
            let at = r.readerIndex - start
            let index = out.count
            guard index < maxEntries else { throw .malformedBatch("more than \(maxEntries) messages") }
            guard r.readableBytes >= entryOverhead,
                let total = r.readInteger(as: Int32.self),
                r.readInteger(as: Int32.self) != nil,  // magic
                r.readInteger(as: Int32.self) != nil,  // body CRC
                let flag = r.readInteger(as: Int32.self),
                let bodyLength32 = r.readInteger(as: Int32.self)
            else { throw .malformedBatch("message \(index) at byte \(at): truncated header") }
            let bodyLength = Int(bodyLength32)
            guard bodyLength >= 0, bodyLength <= r.readableBytes - 2 else {
                throw .malformedBatch("message \(index) at byte \(at): body length \(bodyLength) exceeds the \(r.readableBytes) bytes left")
            }
            let messageBody = r.readSlice(length: bodyLength) ?? ByteBuffer()
            let propertiesLength = Int(r.readInteger(as: Int16.self) ?? -1)
            guard propertiesLength >= 0, propertiesLength <= r.readableBytes else {
                throw .malformedBatch("message \(index) at byte \(at): properties length \(propertiesLength) with \(r.readableBytes) bytes left")
            }
            let properties = r.readString(length: propertiesLength) ?? ""
            let expected = entryOverhead + bodyLength + propertiesLength
            guard Int(total) == expected else {
                throw .malformedBatch("message \(index) at byte \(at): totalSize \(total) but parts make \(expected)")
            }
            out.append(BatchEntry(flag: flag, body: messageBody, properties: properties))
        }
        return out
    }
}
