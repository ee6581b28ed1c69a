/// The answer to a read by (topic, queue, logical offset), shaped like
/// RocketMQ's `GetMessageResult` so the broker maps it to pull response codes.
public struct GetMessageResult: Sendable {
    public enum Status: String, Sendable {
        case found = "FOUND"
        case noMatchedMessage = "NO_MATCHED_MESSAGE"
        case messageWasRemoving = "MESSAGE_WAS_REMOVING"
        case offsetFoundNull = "OFFSET_FOUND_NULL"
        case offsetOverflowBadly = "OFFSET_OVERFLOW_BADLY"
        case offsetOverflowOne = "OFFSET_OVERFLOW_ONE"
        case offsetTooSmall = "OFFSET_TOO_SMALL"
        case noMatchedLogicQueue = "NO_MATCHED_LOGIC_QUEUE"
        case noMessageInQueue = "NO_MESSAGE_IN_QUEUE"
    }
    public var status: Status
    public var nextBeginOffset: Int64
    public var minOffset: Int64
    public var maxOffset: Int64
    /// The records, each pinned in its segment for zero-copy sending.
    public var messages: [SelectedRecord]
    /// The consumer is so far behind that its reads come from disk.
    public var suggestPullingFromSlave: Bool
    public var bufferTotalSize: Int { messages.reduce(0) { $0 + $1.size } }

    /// Contiguous byte ranges to send: adjacent records of one segment merged,
    /// so a pull of 32 back-to-back records is one `sendfile`.
    public var regions: [SelectedRecord] {
        var out: [SelectedRecord] = []
        for m in messages {
            if let last = out.last, last.file === m.file, last.position + last.size == m.position {
                out[out.count - 1] = SelectedRecord(file: last.file, position: last.position, size: last.size + m.size)
            } else {
                out.append(m)
            }
        }
        return out
    }
}
