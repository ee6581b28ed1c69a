/// The request header of SEND_MESSAGE (10), SEND_MESSAGE_V2 (310),
/// SEND_BATCH_MESSAGE (320) and the reply variants, under its full field names.
///
/// SEND_MESSAGE carries these names; the V2 codes carry the single-letter form,
/// ``SendMessageRequestHeaderV2``. ``init(command:)`` picks the right one by code.
public struct SendMessageRequestHeader: CommandHeader, Equatable {
    public var producerGroup: String
    public var topic: String
    /// The template topic for auto-creation, "TBW102".
    public var defaultTopic: String
    public var defaultTopicQueueNums: Int32
    public var queueId: Int32
    /// ``SysFlag`` bits of the message (compressed, transaction type, …).
    public var sysFlag: Int32
    public var bornTimestamp: Int64
    /// The user's message flag.
    public var flag: Int32
    /// The encoded properties (see `MessageProperties`).
    public var properties: String?
    public var reconsumeTimes: Int32?
    public var unitMode: Bool?
    public var batch: Bool?
    public var maxReconsumeTimes: Int32?
    /// The target broker's name (V2 key `n` only; added in later 4.x/5.x clients).
    public var brokerName: String?

    /// The producer default for `defaultTopic`.
    public static let defaultTopicName = "TBW102"

    public init(
        producerGroup: String, topic: String, defaultTopic: String = SendMessageRequestHeader.defaultTopicName,
        defaultTopicQueueNums: Int32 = 4, queueId: Int32, sysFlag: Int32 = 0, bornTimestamp: Int64, flag: Int32 = 0,
        properties: String? = nil, reconsumeTimes: Int32? = 0, unitMode: Bool? = false, batch: Bool? = false,
        maxReconsumeTimes: Int32? = nil, brokerName: String? = nil
    ) {
        self.producerGroup = producerGroup
        self.topic = topic
        self.defaultTopic = defaultTopic
        self.defaultTopicQueueNums = defaultTopicQueueNums
        self.queueId = queueId
        self.sysFlag = sysFlag
        self.bornTimestamp = bornTimestamp
        self.flag = flag
        self.properties = properties
        self.reconsumeTimes = reconsumeTimes
        self.unitMode = unitMode
        self.batch = batch
        self.maxReconsumeTimes = maxReconsumeTimes
        self.brokerName = brokerName
    }

    /// Reads the full-name form (SEND_MESSAGE).
    public init(extFields e: ExtFields) throws(ProtocolError) {
        producerGroup = try e.string("producerGroup")
        topic = try e.string("topic")
        defaultTopic = try e.string("defaultTopic")
        defaultTopicQueueNums = try e.int("defaultTopicQueueNums")
        queueId = try e.int("queueId")
        sysFlag = try e.int("sysFlag")
        bornTimestamp = try e.int("bornTimestamp")
        flag = try e.int("flag")
        properties = e["properties"]
        reconsumeTimes = try e.optionalInt("reconsumeTimes")
        unitMode = try e.optionalBool("unitMode")
        batch = try e.optionalBool("batch")
        maxReconsumeTimes = try e.optionalInt("maxReconsumeTimes")
        brokerName = nil
    }

    /// Reads whichever form `command.code` implies: single letters for
    /// SEND_MESSAGE_V2, SEND_BATCH_MESSAGE and SEND_REPLY_MESSAGE_V2, full names otherwise.
    public init(command: RemotingCommand) throws(ProtocolError) {
        switch command.requestCode {
        case .sendMessageV2, .sendBatchMessage, .sendReplyMessageV2:
            self = try SendMessageRequestHeaderV2(extFields: command.extFields).full
        default:
            try self.init(extFields: command.extFields)
        }
    }

    /// The full-name form (SEND_MESSAGE).
    public var extFields: ExtFields {
        var e = ExtFields(minimumCapacity: 13)
        e.append("producerGroup", producerGroup)
        e.append("topic", topic)
        e.append("defaultTopic", defaultTopic)
        e.append("defaultTopicQueueNums", defaultTopicQueueNums)
        e.append("queueId", queueId)
        e.append("sysFlag", sysFlag)
        e.append("bornTimestamp", bornTimestamp)
        e.append("flag", flag)
        e.append("properties", properties)
        e.append("reconsumeTimes", reconsumeTimes)
        e.append("unitMode", unitMode)
        e.append("batch", batch)
        e.append("maxReconsumeTimes", maxReconsumeTimes)
        return e
    }

    /// The single-letter form (SEND_MESSAGE_V2, SEND_BATCH_MESSAGE).
    public var v2: SendMessageRequestHeaderV2 { SendMessageRequestHeaderV2(self) }
}

/// SEND_MESSAGE_V2's compact header (`SendMessageRequestHeaderV2`): the same
/// fields as ``SendMessageRequestHeader`` under the keys a…n, which keeps the
/// header small on the hottest request.
///
/// a producerGroup, b topic, c defaultTopic, d defaultTopicQueueNums, e queueId,
/// f sysFlag, g bornTimestamp, h flag, i properties, j reconsumeTimes, k unitMode,
/// l maxReconsumeTimes, m batch, n brokerName.
public struct SendMessageRequestHeaderV2: CommandHeader, Equatable {
    /// The same values under their full names.
    public var full: SendMessageRequestHeader

    public init(_ full: SendMessageRequestHeader) { self.full = full }

    /// One pass over the fields (this header comes with every send), last
    /// value wins as with the keyed look-ups.
    public init(extFields e: ExtFields) throws(ProtocolError) {
        var a, b, c, d, f, g, h, i, j, k, l, m, n: String?
        var qid: String?
        for (key, value) in e.pairs where key.utf8.count == 1 {
            switch key.utf8.first {
            case UInt8(ascii: "a"): a = value
            case UInt8(ascii: "b"): b = value
            case UInt8(ascii: "c"): c = value
            case UInt8(ascii: "d"): d = value
            case UInt8(ascii: "e"): qid = value
            case UInt8(ascii: "f"): f = value
            case UInt8(ascii: "g"): g = value
            case UInt8(ascii: "h"): h = value
            case UInt8(ascii: "i"): i = value
            case UInt8(ascii: "j"): j = value
            case UInt8(ascii: "k"): k = value
            case UInt8(ascii: "l"): l = value
            case UInt8(ascii: "m"): m = value
            case UInt8(ascii: "n"): n = value
            default: break
            }
        }
        guard let a else { throw .missingField("a") }
        guard let b else { throw .missingField("b") }
        guard let c else { throw .missingField("c") }
        full = SendMessageRequestHeader(
            producerGroup: a, topic: b, defaultTopic: c,
            defaultTopicQueueNums: try ExtFields.requiredInt(d, "d"),
            queueId: try ExtFields.requiredInt(qid, "e"),
            sysFlag: try ExtFields.requiredInt(f, "f"),
            bornTimestamp: try ExtFields.requiredInt(g, "g"),
            flag: try ExtFields.requiredInt(h, "h"),
            properties: i,
            reconsumeTimes: try ExtFields.optionalInt(j, "j"),
            unitMode: try ExtFields.optionalBool(k, "k"),
            batch: try ExtFields.optionalBool(m, "m"),
            maxReconsumeTimes: try ExtFields.optionalInt(l, "l"),
            brokerName: n)
    }

    public var extFields: ExtFields {
        var e = ExtFields(minimumCapacity: 14)
        e.append("a", full.producerGroup)
        e.append("b", full.topic)
        e.append("c", full.defaultTopic)
        e.append("d", full.defaultTopicQueueNums)
        e.append("e", full.queueId)
        e.append("f", full.sysFlag)
        e.append("g", full.bornTimestamp)
        e.append("h", full.flag)
        e.append("i", full.properties)
        e.append("j", full.reconsumeTimes)
        e.append("k", full.unitMode)
        e.append("l", full.maxReconsumeTimes)
        e.append("m", full.batch)
        e.append("n", full.brokerName)
        return e
    }
}
