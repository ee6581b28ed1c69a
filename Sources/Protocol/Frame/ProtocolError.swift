/// Everything that can be wrong with bytes received from a peer, or with a value
/// we are asked to put on the wire. Every decoding path in this module reports one
/// of these instead of trapping.
public enum ProtocolError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The frame's length prefix says more than the configured maximum. The stream
    /// cannot be resynchronised without reading the whole frame: close the connection.
    case frameTooLarge(length: Int, max: Int)
    /// The length prefix is negative or smaller than the 4-byte header-length field.
    case invalidFrameLength(Int)
    /// The header length (low 24 bits of the second word) does not fit in the frame.
    case headerLengthExceedsFrame(headerLength: Int, available: Int)
    /// The serialisation type (top byte of the second word) is neither JSON (0) nor ROCKETMQ (1).
    case unknownSerializeType(UInt8)
    /// The JSON text is not valid (or exceeds a parser limit); the reason says where.
    case malformedJSON(String)
    /// The ROCKETMQ binary header is truncated or has inconsistent lengths.
    case malformedHeader(String)
    /// A required header field (or JSON body field) is absent.
    case missingField(String)
    /// A header field is present but not of the expected form (e.g. not a number).
    case invalidField(name: String, value: String)
    /// A body is not what the command's code implies.
    case malformedBody(String)
    /// A batch body (`MessageDecoder.encodeMessages` format) is damaged.
    case malformedBatch(String)
    /// A compressed body could not be inflated (or deflated).
    case compression(String)
    /// A value is too big for the wire format (e.g. a header over 16 MiB − 1).
    case valueTooLarge(String)

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let max): "frame of \(length) bytes exceeds the maximum of \(max)"
        case .invalidFrameLength(let n): "invalid frame length \(n)"
        case .headerLengthExceedsFrame(let h, let a): "header length \(h) exceeds the \(a) bytes left in the frame"
        case .unknownSerializeType(let t): "unknown serialize type \(t)"
        case .malformedJSON(let why): "malformed JSON: \(why)"
        case .malformedHeader(let why): "malformed header: \(why)"
        case .missingField(let name): "missing required field \(name)"
        case .invalidField(let name, let value): "invalid value for \(name): \(value.prefix(64))"
        case .malformedBody(let why): "malformed body: \(why)"
        case .malformedBatch(let why): "malformed batch body: \(why)"
        case .compression(let why): "compression error: \(why)"
        case .valueTooLarge(let why): "value too large: \(why)"
        }
    }

    /// True when the byte stream can no longer be trusted to be in sync, so the
    /// only safe reaction is closing the connection.
    public var isFramingError: Bool {
        switch self {
        case .frameTooLarge, .invalidFrameLength: true
        default: false
        }
    }
}
