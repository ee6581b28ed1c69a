/// A fully decoded record that owns its bytes (RocketMQ `MessageExt`): what a
/// query, a test or a consumer hands to user code.
public struct StoredMessage: Sendable, Equatable {
    public var totalSize: Int32
    public var bodyCRC: UInt32
    public var queueId: Int32
    public var flag: Int32
    public var queueOffset: Int64
    public var physicalOffset: Int64
    public var sysFlag: SysFlag
    public var bornTimestamp: Int64
    public var bornHost: HostAddress
    public var storeTimestamp: Int64
    public var storeHost: HostAddress
    public var reconsumeTimes: Int32
    public var preparedTransactionOffset: Int64
    public var body: [UInt8]
    public var topic: String
    public var properties: [String: String]

    public init(_ v: RecordView) {
        totalSize = v.totalSize
        bodyCRC = v.bodyCRC
        queueId = v.queueId
        flag = v.flag
        queueOffset = v.queueOffset
        physicalOffset = v.physicalOffset
        sysFlag = v.sysFlag
        bornTimestamp = v.bornTimestamp
        bornHost = v.bornHost
        storeTimestamp = v.storeTimestamp
        storeHost = v.storeHost
        reconsumeTimes = v.reconsumeTimes
        preparedTransactionOffset = v.preparedTransactionOffset
        body = Array(v.body)
        topic = v.topic
        properties = v.properties
    }

    public var tags: String? { properties[PropertyKey.tags] }
    public var keys: [String] {
        properties[PropertyKey.keys].map { $0.split(separator: PropertyKey.keySeparator).map(String.init) } ?? []
    }
    public var uniqueKey: String? { properties[PropertyKey.uniqueClientMessageIdKeyIndex] }

    /// The broker-side id: store host + port + physical offset (RocketMQ offsetMsgId).
    public var offsetMessageId: String { MessageID.offsetMessageId(storeHost: storeHost, physicalOffset: physicalOffset) }

    /// Decodes every record in `bytes` (a pull response body is records back to back).
    /// - Throws: `RecordDecodeError` at the first damaged record.
    public static func decodeAll(_ bytes: UnsafeRawBufferPointer, verifyCRC: Bool = false) throws(RecordDecodeError) -> [StoredMessage] {
        var out: [StoredMessage] = []
        var pos = 0
        guard let base = bytes.baseAddress else { return [] }
        while pos < bytes.count {
            switch RecordView.check(at: base + pos, available: bytes.count - pos, verifyCRC: verifyCRC) {
            case .record(let size):
                out.append(StoredMessage(RecordView(base: base + pos, limit: size)))
                pos += size
            case .blank(let size):
                pos += size
            case .invalid(let reason):
                throw RecordDecodeError(offset: pos, reason: reason)
            }
        }
        return out
    }
}

/// A record that could not be decoded, with where and why.
public struct RecordDecodeError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "bad record at byte \(offset): \(reason)" }
}
