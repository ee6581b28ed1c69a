import NIOCore

/// Splits a byte stream into remoting frames and decodes them (a NIO
/// `ByteToMessageDecoder`; wrap it in `ByteToMessageHandler`).
///
/// Each complete frame produces one `Result`: `.success(command)`, or
/// `.failure(UndecodableFrame)` when the frame's content is bad but the stream
/// is still in sync (see ``UndecodableFrame`` for when to answer and when to
/// close). A length prefix over ``maxFrameLength`` or below 4 makes `decode`
/// throw ``ProtocolError``; the pipeline then sees `errorCaught` and should
/// close the connection. The check happens on the first 4 bytes, so a peer
/// cannot make the decoder buffer more than ``maxFrameLength`` bytes.
public struct RemotingFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Result<RemotingCommand, UndecodableFrame>

    /// The most bytes one frame may take, length prefix included.
    public let maxFrameLength: Int

    public init(maxFrameLength: Int = FrameCodec.defaultMaxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> InboundOut? {
        try FrameCodec.decode(&buffer, maxFrameLength: maxFrameLength)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundOut? {
        try decode(buffer: &buffer)
    }
}

/// Encodes outbound commands as frames (a NIO `MessageToByteEncoder`; wrap it in
/// `MessageToByteHandler`).
public struct RemotingFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = RemotingCommand

    public init() {}

    public func encode(data: RemotingCommand, out: inout ByteBuffer) throws {
        try FrameCodec.encode(data, into: &out)
    }
}
