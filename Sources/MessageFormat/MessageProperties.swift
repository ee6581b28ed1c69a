/// Message properties as RocketMQ writes them: `name \u{1} value \u{2}` repeated,
/// one UTF-8 string (`MessageDecoder.messageProperties2String`).
public enum MessageProperties {
    public static let nameValueSeparator: UInt8 = 1
    public static let propertySeparator: UInt8 = 2
    /// The int16 length field caps the encoded properties (PROPERTIES_SIZE_EXCEEDED).
    public static let maxEncodedLength = Int(Int16.max)

    /// Encodes pairs in the given order; order is kept so encoding is deterministic.
    public static func encode(_ pairs: [(String, String)]) -> String {
        var out = ""
        out.reserveCapacity(pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 2 })
        for (k, v) in pairs {
            out += k
            out.unicodeScalars.append("\u{1}")
            out += v
            out.unicodeScalars.append("\u{2}")
        }
        return out
    }

    public static func encode(_ map: [String: String]) -> String {
        encode(map.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Decodes a properties string; malformed pairs (no separator) are skipped, as RocketMQ does.
    public static func decode(_ text: String) -> [String: String] {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes raw UTF-8 bytes straight from a record. One pass over the bytes,
    /// no intermediate string or split array: consumers decode this for every
    /// message they receive.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(8)
        let n = bytes.count
        var start = 0
        while start < n {
            var end = start
            var sep = -1
            while end < n {
                let b = bytes[end]
                if b == propertySeparator { break }
                if b == nameValueSeparator && sep < 0 { sep = end }
                end += 1
            }
            if sep >= 0 {
                let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<sep]), as: UTF8.self)
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(sep + 1)..<end]), as: UTF8.self)
                result[name] = value
            }
            start = end + 1
        }
        return result
    }
}

/// Well-known property names (RocketMQ `MessageConst`).
public enum PropertyKey {
    public static let keys = "KEYS"
    public static let tags = "TAGS"
    public static let waitStoreMsgOK = "WAIT"
    public static let delayTimeLevel = "DELAY"
    public static let uniqueClientMessageIdKeyIndex = "UNIQ_KEY"
    public static let transactionPrepared = "TRAN_MSG"
    public static let producerGroup = "PGROUP"
    public static let realTopic = "REAL_TOPIC"
    public static let realQueueId = "REAL_QID"
    public static let retryTopic = "RETRY_TOPIC"
    public static let reconsumeTime = "RECONSUME_TIME"
    public static let maxReconsumeTimes = "MAX_RECONSUME_TIMES"
    public static let minOffset = "MIN_OFFSET"
    public static let maxOffset = "MAX_OFFSET"
    public static let transactionCheckTimes = "TRANSACTION_CHECK_TIMES"
    public static let originMessageId = "ORIGIN_MESSAGE_ID"
    public static let traceSwitch = "TRACE_ON"
    public static let bornTimestamp = "BORN_TIMESTAMP"
    /// Separator between several keys inside KEYS.
    public static let keySeparator: Character = " "

    /// Names RocketMQ reserves for itself (`MessageConst.STRING_HASH_SET`, 4.9.7):
    /// not for user properties.
    public static let systemKeys: Set<String> = [
        "TRACE_ON", "MSG_REGION", "KEYS", "TAGS", "WAIT", "DELAY", "RETRY_TOPIC", "REAL_TOPIC", "REAL_QID",
        "TRAN_MSG", "PGROUP", "MIN_OFFSET", "MAX_OFFSET", "BUYER_ID", "ORIGIN_MESSAGE_ID", "TRANSFER_FLAG",
        "CORRECTION_FLAG", "MQ2_FLAG", "RECONSUME_TIME", "UNIQ_KEY", "MAX_RECONSUME_TIMES", "CONSUME_START_TIME",
        "TRAN_PREPARED_QUEUE_OFFSET", "TRANSACTION_CHECK_TIMES", "CHECK_IMMUNITY_TIME_IN_SECONDS", "INSTANCE_ID",
        "CORRELATION_ID", "REPLY_TO_CLIENT", "TTL", "ARRIVE_TIME", "PUSH_REPLY_TIME", "CLUSTER", "MSG_TYPE",
    ]
}

extension String {
    /// Java's `String.hashCode` over UTF-16 code units: RocketMQ's tag hash
    /// (ConsumeQueue tagsCode) and IndexFile key hash use it, so ours must match.
    public var javaHashCode: Int32 {
        var copy = self
        if let h = copy.withUTF8({ JavaHash.fold(0, ascii: UnsafeRawBufferPointer($0)) }) { return h }
        var h: Int32 = 0
        for unit in utf16 {
            h = h &* 31 &+ Int32(unit)
        }
        return h
    }
}

/// Java's `String.hashCode` fold (h = 31 h + unit) over raw text: for ASCII
/// the UTF-16 units are the bytes, so the dispatcher hashes tags and index keys
/// straight from a record, without making strings.
public enum JavaHash {
    /// Continues the fold from `h` over `bytes`; nil when a byte is not ASCII
    /// (then only the UTF-16 form gives Java's value).
    @inlinable
    public static func fold(_ h: Int32, ascii bytes: UnsafeRawBufferPointer) -> Int32? {
        var h = h
        for b in bytes {
            guard b < 0x80 else { return nil }
            h = h &* 31 &+ Int32(b)
        }
        return h
    }

    /// Continues the fold from `h` with one ASCII character.
    @inlinable
    public static func fold(_ h: Int32, _ ascii: UInt8) -> Int32 { h &* 31 &+ Int32(ascii) }
}
