import MessageFormat

/// Checks a message before anything is encoded, so a refused message writes
/// nothing (RocketMQ: MESSAGE_ILLEGAL / PROPERTIES_SIZE_EXCEEDED).
enum MessageValidator {
    /// RocketMQ's TopicValidator pattern `^[%|a-zA-Z0-9_-]+$`.
    static func isLegalTopic(_ topic: String, maxLength: Int) -> String? {
        let u = topic.utf8
        if u.isEmpty { return "topic is empty" }
        if u.count > maxLength { return "topic '\(topic.prefix(40))…' is \(u.count) bytes, over \(maxLength)" }
        for c in u {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
                UInt8(ascii: "%"), UInt8(ascii: "|"):
                continue
            default:
                return "topic '\(topic.prefix(40))' has an illegal character (allowed: letters, digits, % | _ -)"
            }
        }
        return nil
    }

    /// - Parameter checkTopic: false for the second and later records of a batch (one topic).
    static func validate(_ fields: RecordFields, bodyLength: Int, config: StoreConfig, checkTopic: Bool = true)
        throws(StoreError)
    {
        if checkTopic, let why = isLegalTopic(fields.topic, maxLength: config.maxTopicLength) { throw .messageIllegal(why) }
        if bodyLength > config.maxMessageSize {
            throw .messageIllegal("body is \(bodyLength) bytes, over maxMessageSize \(config.maxMessageSize)")
        }
        let p = fields.properties.utf8.count
        if p > MessageProperties.maxEncodedLength { throw .propertiesSizeExceeded(p) }
        if fields.queueId < 0 { throw .messageIllegal("queue id \(fields.queueId) is negative") }
    }
}
