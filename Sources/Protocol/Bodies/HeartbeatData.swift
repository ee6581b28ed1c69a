/// How a consumer gets messages (RocketMQ `ConsumeType`).
public enum ConsumeType: String, JavaEnum {
    case consumeActively = "CONSUME_ACTIVELY"
    case consumePassively = "CONSUME_PASSIVELY"
}

/// Clustering (queues shared in a group) or broadcasting (RocketMQ `MessageModel`).
public enum MessageModel: String, JavaEnum {
    case broadcasting = "BROADCASTING"
    case clustering = "CLUSTERING"
}

/// Where a group with no stored offset starts (RocketMQ `ConsumeFromWhere`).
public enum ConsumeFromWhere: String, JavaEnum {
    case consumeFromLastOffset = "CONSUME_FROM_LAST_OFFSET"
    case consumeFromLastOffsetAndFromMinWhenBootFirst = "CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST"
    case consumeFromMinOffset = "CONSUME_FROM_MIN_OFFSET"
    case consumeFromMaxOffset = "CONSUME_FROM_MAX_OFFSET"
    case consumeFromFirstOffset = "CONSUME_FROM_FIRST_OFFSET"
    case consumeFromTimestamp = "CONSUME_FROM_TIMESTAMP"
}

/// One subscription of a consumer group (RocketMQ `SubscriptionData`).
public struct SubscriptionData: JSONBody, Equatable {
    /// "*" means every tag.
    public static let subscribeAll = "*"

    public var classFilterMode: Bool
    public var topic: String
    /// The expression: "*" or tags joined by "||".
    public var subString: String
    public var tagsSet: [String]
    /// Java hash codes of the tags.
    public var codeSet: [Int32]
    public var subVersion: Int64
    /// "TAG" or "SQL92".
    public var expressionType: String

    public init(topic: String, subString: String, tagsSet: [String] = [], codeSet: [Int32] = [],
                subVersion: Int64, expressionType: String = "TAG", classFilterMode: Bool = false) {
        self.classFilterMode = classFilterMode
        self.topic = topic
        self.subString = subString
        self.tagsSet = tagsSet
        self.codeSet = codeSet
        self.subVersion = subVersion
        self.expressionType = expressionType
    }

    public init(json: JSONValue) throws(ProtocolError) {
        classFilterMode = try json.bool("classFilterMode", default: false)
        topic = try json.string("topic")
        subString = json.optionalString("subString") ?? Self.subscribeAll
        tagsSet = try json.strings("tagsSet")
        var codes: [Int32] = []
        for e in try json.elements("codeSet") {
            guard let c = e.int32Value else { throw .invalidField(name: "codeSet", value: e.jsonString) }
            codes.append(c)
        }
        codeSet = codes
        subVersion = try json.int("subVersion", default: 0)
        expressionType = json.optionalString("expressionType") ?? "TAG"
    }

    public var json: JSONValue {
        .object([
            "classFilterMode": .bool(classFilterMode), "codeSet": .array(codeSet.map { .int32($0) }),
            "expressionType": .string(expressionType), "subString": .string(subString),
            "subVersion": .int(subVersion), "tagsSet": .strings(tagsSet), "topic": .string(topic),
        ])
    }
}

/// A producer group a client belongs to.
public struct ProducerData: JSONBody, Equatable {
    public var groupName: String

    public init(groupName: String) { self.groupName = groupName }

    public init(json: JSONValue) throws(ProtocolError) {
        groupName = try json.string("groupName")
    }

    public var json: JSONValue { .object(["groupName": .string(groupName)]) }
}

/// A consumer group a client belongs to, with its subscriptions (RocketMQ `ConsumerData`).
///
/// Java sends the enums as names; the C++ client sends their ordinals (and
/// `subVersion` as a string). Both are read; names are written.
public struct ConsumerData: JSONBody, Equatable {
    public var groupName: String
    public var consumeType: ConsumeType
    public var messageModel: MessageModel
    public var consumeFromWhere: ConsumeFromWhere
    public var subscriptionDataSet: [SubscriptionData]
    public var unitMode: Bool

    public init(groupName: String, consumeType: ConsumeType = .consumePassively, messageModel: MessageModel = .clustering,
                consumeFromWhere: ConsumeFromWhere = .consumeFromLastOffset, subscriptionDataSet: [SubscriptionData],
                unitMode: Bool = false) {
        self.groupName = groupName
        self.consumeType = consumeType
        self.messageModel = messageModel
        self.consumeFromWhere = consumeFromWhere
        self.subscriptionDataSet = subscriptionDataSet
        self.unitMode = unitMode
    }

    public init(json: JSONValue) throws(ProtocolError) {
        groupName = try json.string("groupName")
        consumeType = try ConsumeType(json: json.field("consumeType"), field: "consumeType")
        messageModel = try MessageModel(json: json.field("messageModel"), field: "messageModel")
        consumeFromWhere = try ConsumeFromWhere(json: json.field("consumeFromWhere"), field: "consumeFromWhere")
        subscriptionDataSet = try json.list("subscriptionDataSet")
        unitMode = try json.bool("unitMode", default: false)
    }

    public var json: JSONValue {
        .object([
            "consumeFromWhere": consumeFromWhere.json, "consumeType": consumeType.json,
            "groupName": .string(groupName), "messageModel": messageModel.json,
            "subscriptionDataSet": .array(subscriptionDataSet.map(\.json)), "unitMode": .bool(unitMode),
        ])
    }
}

/// The body of HEART_BEAT (34): who the client is and which groups it is in.
public struct HeartbeatData: JSONBody, Equatable {
    public var clientID: String
    public var producerDataSet: [ProducerData]
    public var consumerDataSet: [ConsumerData]

    public init(clientID: String, producerDataSet: [ProducerData] = [], consumerDataSet: [ConsumerData] = []) {
        self.clientID = clientID
        self.producerDataSet = producerDataSet
        self.consumerDataSet = consumerDataSet
    }

    public init(json: JSONValue) throws(ProtocolError) {
        clientID = try json.string("clientID")
        producerDataSet = try json.list("producerDataSet")
        consumerDataSet = try json.list("consumerDataSet")
    }

    public var json: JSONValue {
        .object([
            "clientID": .string(clientID), "consumerDataSet": .array(consumerDataSet.map(\.json)),
            "producerDataSet": .array(producerDataSet.map(\.json)),
        ])
    }
}
