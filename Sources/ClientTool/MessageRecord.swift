import Client
import Foundation
import MessageFormat

/// One message as `mqclient --json` prints it: a JSON object on one line.
/// `produce` fills `status`; `consume` fills the timestamps and `reconsumeTimes`.
public struct MessageRecord: Codable, Equatable, Sendable {
    public var topic: String
    public var queueId: Int32
    public var queueOffset: Int64
    /// The client-side id (UNIQ_KEY).
    public var msgId: String?
    /// The broker-side id (store host and commit log offset).
    public var offsetMsgId: String
    public var status: String?
    public var tags: String?
    public var keys: [String]
    /// User properties: every property but RocketMQ's own (``PropertyKey/systemKeys``).
    public var properties: [String: String]
    public var bodySize: Int
    /// The body, base64.
    public var body: String
    public var bornTimestamp: Int64?
    public var storeTimestamp: Int64?
    public var reconsumeTimes: Int32?

    /// What `produce` sent and where the broker put it.
    public init(sent m: Message, result r: SendResult) {
        topic = m.topic
        queueId = r.queue.queueId
        queueOffset = r.queueOffset
        msgId = r.msgId
        offsetMsgId = r.offsetMsgId
        status = r.status.rawValue
        tags = m.tags
        keys = m.keys
        properties = m.properties
        bodySize = m.body.count
        body = Data(m.body).base64EncodedString()
    }

    /// A message `consume` received.
    public init(received m: StoredMessage) {
        topic = m.topic
        queueId = m.queueId
        queueOffset = m.queueOffset
        msgId = m.uniqueKey
        offsetMsgId = m.offsetMessageId
        tags = m.tags
        keys = m.keys
        properties = m.properties.filter { !PropertyKey.systemKeys.contains($0.key) }
        bodySize = m.body.count
        body = Data(m.body).base64EncodedString()
        bornTimestamp = m.bornTimestamp
        storeTimestamp = m.storeTimestamp
        reconsumeTimes = m.reconsumeTimes
    }

    /// The record as one line of JSON, keys sorted.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings, numbers and string maps cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}
