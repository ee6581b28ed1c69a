import MessageFormat
import NIOCore

/// Decoding of message-record bodies (PULL_MESSAGE and QUERY_MESSAGE
/// responses, VIEW_MESSAGE_BY_ID, CHECK_TRANSACTION_STATE): CommitLog records
/// back to back, decoded by `StoredMessage.decodeAll`, with compressed bodies
/// inflated.
public enum PulledMessages {
    /// Decodes every record in `body`.
    /// - Parameters:
    ///   - verifyCRC: check each body's CRC (RocketMQ clients do not by default).
    ///   - decompress: inflate bodies whose sysFlag has `compressed`, and clear
    ///     that bit, so that callers see the producer's bytes.
    /// - Throws: ``ProtocolError/malformedBody(_:)`` for a damaged record,
    ///   ``ProtocolError/compression(_:)`` for a body that does not inflate.
    public static func decode(
        _ body: ByteBuffer, verifyCRC: Bool = false, decompress: Bool = true,
        maxInflatedSize: Int = BodyCompression.defaultMaxInflatedSize
    ) throws(ProtocolError) -> [StoredMessage] {
        let decoded: Result<[StoredMessage], RecordDecodeError> = body.withUnsafeReadableBytes { raw in
            Result { () throws(RecordDecodeError) -> [StoredMessage] in try StoredMessage.decodeAll(raw, verifyCRC: verifyCRC) }
        }
        var messages: [StoredMessage]
        switch decoded {
        case .success(let m): messages = m
        case .failure(let e): throw .malformedBody(e.description)
        }
        if decompress {
            for i in messages.indices where messages[i].sysFlag.contains(.compressed) {
                messages[i].body = try BodyCompression.decompress(messages[i].body, maxSize: maxInflatedSize)
                messages[i].sysFlag.remove(.compressed)
            }
        }
        return messages
    }
}
