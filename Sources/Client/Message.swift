import MessageFormat
import Protocol

/// A message to send.
public struct Message: Sendable, Equatable {
    public var topic: String
    public var body: [UInt8]
    /// One tag; consumers filter on it ("TAGS").
    public var tags: String?
    /// Index keys ("KEYS", space-separated on the wire).
    public var keys: [String]
    /// User properties (names must not clash with RocketMQ's system keys).
    public var properties: [String: String]
    /// Delay level 1...18 (RocketMQ messageDelayLevel); 0 = none.
    public var delayLevel: Int32
    /// Application flag, stored as is.
    public var flag: Int32
    /// Ask the broker to answer only once the message is stored ("WAIT", true by default).
    public var waitStoreMsgOK: Bool

    public init(topic: String, body: [UInt8], tags: String? = nil, keys: [String] = [],
                properties: [String: String] = [:], delayLevel: Int32 = 0, flag: Int32 = 0, waitStoreMsgOK: Bool = true) {
        self.topic = topic
        self.body = body
        self.tags = tags
        self.keys = keys
        self.properties = properties
        self.delayLevel = delayLevel
        self.flag = flag
        self.waitStoreMsgOK = waitStoreMsgOK
    }

    /// User properties as RocketMQ's `putUserProperty` accepts them (a name and a
    /// value, the name not one of ``PropertyKey/systemKeys``), and without the
    /// encoding's separators (\u{1}, \u{2}), which would corrupt the other properties.
    public func checkUserProperties() throws(ClientError) {
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, !value.isEmpty else {
                throw .illegalMessage("the user property '\(name)' needs a name and a value")
            }
            guard !PropertyKey.systemKeys.contains(name) else {
                throw .illegalMessage("the property name '\(name)' is reserved by RocketMQ")
            }
            let separators: Set<Unicode.Scalar> = ["\u{1}", "\u{2}"]
            guard !name.unicodeScalars.contains(where: separators.contains),
                  !value.unicodeScalars.contains(where: separators.contains) else {
                throw .illegalMessage("the user property '\(name)' contains \\u0001 or \\u0002, the properties' separators")
            }
        }
    }

    /// `MessageProperties.encode(wireProperties(uniqueKey:))`, without the
    /// dictionary for a message with no user properties (the system keys are
    /// then written straight, in the same sorted order).
    func encodedWireProperties(uniqueKey: String) -> String {
        guard properties.isEmpty else { return MessageProperties.encode(wireProperties(uniqueKey: uniqueKey)) }
        // Sorted: DELAY < KEYS < TAGS < UNIQ_KEY < WAIT.
        var pairs: [(StaticString, String)] = []
        pairs.reserveCapacity(5)
        if delayLevel > 0 { pairs.append(("DELAY", String(delayLevel))) }
        if !keys.isEmpty { pairs.append(("KEYS", keys.count == 1 ? keys[0] : keys.joined(separator: " "))) }
        if let tags, !tags.isEmpty { pairs.append(("TAGS", tags)) }
        pairs.append(("UNIQ_KEY", uniqueKey))
        pairs.append(("WAIT", waitStoreMsgOK ? "true" : "false"))
        // Measured, then written in one pass into the string's own storage.
        let length = pairs.reduce(0) { $0 + $1.0.utf8CodeUnitCount + $1.1.utf8.count + 2 }
        return String(unsafeUninitializedCapacity: length) { out in
            var p = 0
            for (name, value) in pairs {
                name.withUTF8Buffer { for b in $0 { out[p] = b; p += 1 } }
                out[p] = MessageProperties.nameValueSeparator
                p += 1
                for b in value.utf8 { out[p] = b; p += 1 }
                out[p] = MessageProperties.propertySeparator
                p += 1
            }
            return p
        }
    }

    /// The wire properties: user properties plus TAGS, KEYS, DELAY, WAIT and `uniqueKey` (UNIQ_KEY).
    func wireProperties(uniqueKey: String) -> [String: String] {
        var p = properties
        if let tags, !tags.isEmpty { p[PropertyKey.tags] = tags }
        if !keys.isEmpty { p[PropertyKey.keys] = keys.joined(separator: " ") }
        if delayLevel > 0 { p[PropertyKey.delayTimeLevel] = String(delayLevel) }
        p[PropertyKey.waitStoreMsgOK] = waitStoreMsgOK ? "true" : "false"
        p[PropertyKey.uniqueClientMessageIdKeyIndex] = uniqueKey
        return p
    }
}

/// How the broker stored a sent message.
public enum SendStatus: String, Sendable {
    case sendOK = "SEND_OK"
    case flushDiskTimeout = "FLUSH_DISK_TIMEOUT"
    case flushSlaveTimeout = "FLUSH_SLAVE_TIMEOUT"
    case slaveNotAvailable = "SLAVE_NOT_AVAILABLE"
}

/// The result of a successful send.
public struct SendResult: Sendable, Equatable {
    public var status: SendStatus
    /// The client-side id (UNIQ_KEY); comma-separated ids for a batch.
    public var msgId: String
    /// The broker's id (store host + commit log offset); comma-separated for a batch.
    public var offsetMsgId: String
    public var queue: MessageQueue
    /// The queue offset of the (first) message.
    public var queueOffset: Int64
}

/// Topic name rules of RocketMQ's `Validators.checkTopic` (4.9.7).
enum TopicValidator {
    static let maxLength = 127

    static func check(_ topic: String) throws(ClientError) {
        guard !topic.isEmpty else { throw .illegalTopic("the topic is empty") }
        guard topic.utf8.count <= maxLength else { throw .illegalTopic("'\(topic)' is longer than \(maxLength) characters") }
        let ok = topic.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: "%") || c == UInt8(ascii: "|") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
        guard ok else { throw .illegalTopic("'\(topic)' has characters outside [%|a-zA-Z0-9_-]") }
        guard topic != SendMessageRequestHeader.defaultTopicName else {
            throw .illegalTopic("'\(topic)' is reserved for auto-creation")
        }
    }
}

extension String {
    /// Java's `String.hashCode` (over UTF-16 units), so that queue selection by key matches Java clients.
    var javaHashCode: Int32 {
        var h: Int32 = 0
        for u in utf16 { h = h &* 31 &+ Int32(u) }
        return h
    }
}
