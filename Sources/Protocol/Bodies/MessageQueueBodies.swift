/// One queue of a topic on one broker (RocketMQ `MessageQueue`).
public struct MessageQueue: JSONBody, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var brokerName: String
    public var queueId: Int32

    public init(topic: String, brokerName: String, queueId: Int32) {
        self.topic = topic
        self.brokerName = brokerName
        self.queueId = queueId
    }

    public init(json: JSONValue) throws(ProtocolError) {
        topic = try json.string("topic")
        brokerName = try json.string("brokerName")
        queueId = try json.int("queueId")
    }

    public var json: JSONValue {
        .object(["brokerName": .string(brokerName), "queueId": .int32(queueId), "topic": .string(topic)])
    }

    /// RocketMQ's order: topic, then broker name, then queue id.
    public static func < (a: MessageQueue, b: MessageQueue) -> Bool {
        (a.topic, a.brokerName, a.queueId) < (b.topic, b.brokerName, b.queueId)
    }

    public var description: String { "MessageQueue [topic=\(topic), brokerName=\(brokerName), queueId=\(queueId)]" }

    /// Reads a map key that holds a queue: fastjson writes `Map<MessageQueue, …>`
    /// keys as bare objects, which ``JSONParser`` keeps as their JSON text.
    public init(mapKey: String) throws(ProtocolError) {
        try self.init(json: JSONValue.parse(mapKey))
    }

    /// The key under which maps keyed by queue are written (the queue's JSON text).
    public var mapKey: String { json.jsonString }
}

/// The body of LOCK_BATCH_MQ (41) (RocketMQ `LockBatchRequestBody`).
public struct LockBatchRequestBody: JSONBody, Equatable {
    public var consumerGroup: String
    public var clientId: String
    public var onlyThisBroker: Bool
    public var mqSet: [MessageQueue]

    public init(consumerGroup: String, clientId: String, onlyThisBroker: Bool = false, mqSet: [MessageQueue]) {
        self.consumerGroup = consumerGroup
        self.clientId = clientId
        self.onlyThisBroker = onlyThisBroker
        self.mqSet = mqSet
    }

    public init(json: JSONValue) throws(ProtocolError) {
        consumerGroup = try json.string("consumerGroup")
        clientId = try json.string("clientId")
        onlyThisBroker = try json.bool("onlyThisBroker", default: false)
        mqSet = try json.list("mqSet")
    }

    public var json: JSONValue {
        .object([
            "clientId": .string(clientId), "consumerGroup": .string(consumerGroup),
            "mqSet": .array(mqSet.map(\.json)), "onlyThisBroker": .bool(onlyThisBroker),
        ])
    }
}

/// The body of a LOCK_BATCH_MQ response: the queues now locked by the caller.
public struct LockBatchResponseBody: JSONBody, Equatable {
    public var lockOKMQSet: [MessageQueue]

    public init(lockOKMQSet: [MessageQueue]) { self.lockOKMQSet = lockOKMQSet }

    public init(json: JSONValue) throws(ProtocolError) {
        lockOKMQSet = try json.list("lockOKMQSet")
    }

    public var json: JSONValue { .object(["lockOKMQSet": .array(lockOKMQSet.map(\.json))]) }
}

/// The body of UNLOCK_BATCH_MQ (42) (RocketMQ `UnlockBatchRequestBody`): the same
/// fields as ``LockBatchRequestBody``.
public typealias UnlockBatchRequestBody = LockBatchRequestBody
