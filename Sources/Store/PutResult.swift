import MessageFormat

/// The outcome of storing a message, mapped onto RocketMQ's `PutMessageStatus`
/// so the broker can answer with the matching response code.
public enum PutStatus: String, Sendable, Equatable {
    case putOK = "PUT_OK"
    case flushDiskTimeout = "FLUSH_DISK_TIMEOUT"
    case serviceNotAvailable = "SERVICE_NOT_AVAILABLE"
    case createMappedFileFailed = "CREATE_MAPEDFILE_FAILED"
    case messageIllegal = "MESSAGE_ILLEGAL"
    case propertiesSizeExceeded = "PROPERTIES_SIZE_EXCEEDED"
    case osPageCacheBusy = "OS_PAGECACHE_BUSY"
    case unknownError = "UNKNOWN_ERROR"
}

/// Where a stored message (or batch) landed.
public struct PutResult: Sendable, Equatable {
    public var status: PutStatus
    /// Physical offset of the first record.
    public var wroteOffset: Int64
    public var wroteBytes: Int
    /// Logical offset of the first record in its queue.
    public var queueOffset: Int64
    public var messageCount: Int
    public var storeTimestamp: Int64
    /// A human-readable reason when status is not PUT_OK.
    public var remark: String?

    /// The offset just past the last byte, which a SYNC_FLUSH waits for.
    public var nextOffset: Int64 { wroteOffset + Int64(wroteBytes) }

    static func failure(_ status: PutStatus, _ remark: String) -> PutResult {
        PutResult(status: status, wroteOffset: -1, wroteBytes: 0, queueOffset: -1, messageCount: 0, storeTimestamp: 0, remark: remark)
    }

    static func from(_ error: StoreError) -> PutResult {
        switch error {
        case .messageIllegal(let r): return .failure(.messageIllegal, r)
        case .propertiesSizeExceeded: return .failure(.propertiesSizeExceeded, error.description)
        case .diskFull: return .failure(.serviceNotAvailable, "\(error.description); maybe disk full")
        case .serviceNotAvailable: return .failure(.serviceNotAvailable, error.description)
        case .system(let call, _, _) where call == "fallocate" || call == "open" || call == "mmap":
            return .failure(.createMappedFileFailed, error.description)
        default: return .failure(.unknownError, error.description)
        }
    }
}

/// One message to store: the record fields and its body.
public struct MessageToStore: Sendable {
    public var fields: RecordFields
    public var body: [UInt8]
    public init(fields: RecordFields, body: [UInt8]) {
        self.fields = fields
        self.body = body
    }
}
