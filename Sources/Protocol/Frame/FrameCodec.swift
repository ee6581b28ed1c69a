import NIOCore

/// The remoting frame, big-endian:
///
/// ```
/// int32 length            header length + body length + 4 (not counting itself)
/// int32 type<<24 | hlen   serialise type (0 JSON, 1 ROCKETMQ) and 24-bit header length
/// header                  hlen bytes
/// body                    length − 4 − hlen bytes
/// ```
///
/// Decoding is in two steps so that framing errors (which desynchronise the
/// stream) stay apart from content errors (which do not): ``readFrame(from:maxFrameLength:)``
/// cuts one frame off a byte stream, ``decodeFrame(_:)`` turns its content into a
/// command or an ``UndecodableFrame``.
public enum FrameCodec {
    /// RocketMQ's default `com.rocketmq.remoting.frameMaxLength`: 16 MiB.
    public static let defaultMaxFrameLength = 16 * 1024 * 1024
    /// The largest header the 24-bit length field can describe.
    public static let maxHeaderLength = 0xFF_FFFF

    // MARK: encoding

    /// Appends the whole frame for `command` (header and body).
    /// - Throws: ``ProtocolError/valueTooLarge(_:)`` when the header exceeds 16 MiB − 1
    ///   or the frame exceeds `Int32.max`.
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) throws(ProtocolError) {
        let bodyLength = command.body?.readableBytes ?? 0
        try encodeHeader(command, bodyLength: bodyLength, into: &buffer)
        if let body = command.body { buffer.writeImmutableBuffer(body) }
    }

    /// Appends the length prefix and the header of a frame whose body of
    /// `bodyLength` bytes the caller writes separately (e.g. as file regions
    /// from the CommitLog). `command.body` is ignored.
    public static func encodeHeader(
        _ command: RemotingCommand, bodyLength: Int, into buffer: inout ByteBuffer
    ) throws(ProtocolError) {
        let start = buffer.writerIndex
        buffer.writeInteger(Int32(0))  // length, patched below
        buffer.writeInteger(Int32(0))  // type | header length, patched below
        let headerLength: Int
        switch command.serializeType {
        case .json: headerLength = JSONHeaderCodec.encode(command, into: &buffer)
        case .rocketMQ:
            do {
                headerLength = try BinaryHeaderCodec.encode(command, into: &buffer)
            } catch {
                buffer.moveWriterIndex(to: start)
                throw error
            }
        }
        guard headerLength <= maxHeaderLength else {
            buffer.moveWriterIndex(to: start)
            throw .valueTooLarge("header of \(headerLength) bytes")
        }
        let (length, overflow) = (4 + headerLength).addingReportingOverflow(bodyLength)
        guard !overflow, bodyLength >= 0, length <= Int(Int32.max) else {
            buffer.moveWriterIndex(to: start)
            throw .valueTooLarge("frame of \(headerLength) + \(bodyLength) bytes")
        }
        buffer.setInteger(Int32(length), at: start)
        buffer.setInteger(Int32(command.serializeType.rawValue) << 24 | Int32(headerLength), at: start + 4)
    }

    /// The encoded frame as a new buffer.
    public static func encode(_ command: RemotingCommand, allocator: ByteBufferAllocator = ByteBufferAllocator())
        throws(ProtocolError) -> ByteBuffer
    {
        var buffer = allocator.buffer(capacity: 64 + command.extFields.count * 24 + (command.body?.readableBytes ?? 0))
        try encode(command, into: &buffer)
        return buffer
    }

    // MARK: decoding

    /// Cuts one frame off the front of `buffer`: returns its content (the bytes
    /// after the length prefix) as a slice, or nil when more bytes are needed
    /// (`buffer` is then untouched).
    ///
    /// The length prefix is checked as soon as its 4 bytes are there, so a huge
    /// prefix is refused before anything is buffered for it.
    /// - Parameter maxFrameLength: the most bytes a whole frame may take,
    ///   length prefix included (Netty's `LengthFieldBasedFrameDecoder` convention).
    /// - Throws: ``ProtocolError/frameTooLarge(length:max:)`` or
    ///   ``ProtocolError/invalidFrameLength(_:)``; the stream is then unusable.
    public static func readFrame(from buffer: inout ByteBuffer, maxFrameLength: Int = defaultMaxFrameLength)
        throws(ProtocolError) -> ByteBuffer?
    {
        guard let length32 = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        let length = Int(length32)
        guard length >= 4 else { throw .invalidFrameLength(length) }
        guard length <= maxFrameLength - 4 else { throw .frameTooLarge(length: length + 4, max: maxFrameLength) }
        guard buffer.readableBytes - 4 >= length else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: length)
    }

    /// Decodes a frame's content (as returned by ``readFrame(from:maxFrameLength:)``).
    /// The body is a slice of `frame`: no copy.
    public static func decodeFrame(_ frame: ByteBuffer) -> Result<RemotingCommand, UndecodableFrame> {
        var frame = frame
        guard let word = frame.readInteger(as: UInt32.self) else {
            return .failure(UndecodableFrame(error: .invalidFrameLength(frame.readableBytes)))
        }
        let typeByte = UInt8(truncatingIfNeeded: word >> 24)
        let headerLength = Int(word & 0xFF_FFFF)
        guard headerLength <= frame.readableBytes else {
            return .failure(UndecodableFrame(
                error: .headerLengthExceedsFrame(headerLength: headerLength, available: frame.readableBytes)))
        }
        let header = frame.readSlice(length: headerLength) ?? ByteBuffer()
        guard let type = SerializeType(rawValue: typeByte) else {
            return .failure(UndecodableFrame(error: .unknownSerializeType(typeByte)))
        }
        do throws(ProtocolError) {
            var command: RemotingCommand
            switch type {
            case .json: command = try JSONHeaderCodec.decode(header)
            case .rocketMQ: command = try BinaryHeaderCodec.decode(header)
            }
            command.body = frame.readableBytes > 0 ? frame : nil
            return .success(command)
        } catch {
            var failure = UndecodableFrame(error: error, serializeType: type)
            switch type {
            case .json:
                if let s = JSONHeaderCodec.salvage(header) {
                    failure.opaque = s.opaque
                    failure.code = s.code
                    failure.flag = s.flag
                }
            case .rocketMQ:
                if let s = BinaryHeaderCodec.salvage(header) {
                    failure.opaque = s.opaque
                    failure.code = s.code
                    failure.flag = s.flag
                }
            }
            return .failure(failure)
        }
    }

    /// ``readFrame(from:maxFrameLength:)`` then ``decodeFrame(_:)``.
    public static func decode(_ buffer: inout ByteBuffer, maxFrameLength: Int = defaultMaxFrameLength)
        throws(ProtocolError) -> Result<RemotingCommand, UndecodableFrame>?
    {
        guard let frame = try readFrame(from: &buffer, maxFrameLength: maxFrameLength) else { return nil }
        return decodeFrame(frame)
    }
}
