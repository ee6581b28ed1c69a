/// A queue's offsets (RocketMQ `TopicOffset`).
public struct TopicOffset: JSONBody, Equatable {
    public var minOffset: Int64
    public var maxOffset: Int64
    public var lastUpdateTimestamp: Int64

    public init(minOffset: Int64, maxOffset: Int64, lastUpdateTimestamp: Int64) {
        self.minOffset = minOffset
        self.maxOffset = maxOffset
        self.lastUpdateTimestamp = lastUpdateTimestamp
    }

    public init(json: JSONValue) throws(ProtocolError) {
        minOffset = try json.int("minOffset", default: 0)
        maxOffset = try json.int("maxOffset", default: 0)
        lastUpdateTimestamp = try json.int("lastUpdateTimestamp", default: 0)
    }

    public var json: JSONValue {
        .object(["lastUpdateTimestamp": .int(lastUpdateTimestamp), "maxOffset": .int(maxOffset), "minOffset": .int(minOffset)])
    }
}

/// The body of a GET_TOPIC_STATS_INFO response (RocketMQ `TopicStatsTable`):
/// min/max offsets per queue (mqadmin topicStatus).
public struct TopicStatsTable: JSONBody, Equatable {
    public var offsetTable: [MessageQueue: TopicOffset]

    public init(offsetTable: [MessageQueue: TopicOffset]) { self.offsetTable = offsetTable }

    public init(json: JSONValue) throws(ProtocolError) {
        offsetTable = try queueKeyedMap(json, "offsetTable")
    }

    public var json: JSONValue { .object(["offsetTable": queueKeyedJSON(offsetTable)]) }
}

/// A group's progress on one queue (RocketMQ `OffsetWrapper`).
public struct OffsetWrapper: JSONBody, Equatable {
    public var brokerOffset: Int64
    public var consumerOffset: Int64
    public var pullOffset: Int64
    public var lastTimestamp: Int64

    public init(brokerOffset: Int64, consumerOffset: Int64, pullOffset: Int64 = 0, lastTimestamp: Int64 = 0) {
        self.brokerOffset = brokerOffset
        self.consumerOffset = consumerOffset
        self.pullOffset = pullOffset
        self.lastTimestamp = lastTimestamp
    }

    public init(json: JSONValue) throws(ProtocolError) {
        brokerOffset = try json.int("brokerOffset", default: 0)
        consumerOffset = try json.int("consumerOffset", default: 0)
        pullOffset = try json.int("pullOffset", default: 0)
        lastTimestamp = try json.int("lastTimestamp", default: 0)
    }

    public var json: JSONValue {
        .object([
            "brokerOffset": .int(brokerOffset), "consumerOffset": .int(consumerOffset),
            "lastTimestamp": .int(lastTimestamp), "pullOffset": .int(pullOffset),
        ])
    }
}

/// The body of a GET_CONSUME_STATS response (RocketMQ `ConsumeStats`): offsets
/// and lag per queue (mqadmin consumerProgress).
public struct ConsumeStats: JSONBody, Equatable {
    public var offsetTable: [MessageQueue: OffsetWrapper]
    public var consumeTps: Double

    public init(offsetTable: [MessageQueue: OffsetWrapper], consumeTps: Double = 0) {
        self.offsetTable = offsetTable
        self.consumeTps = consumeTps
    }

    public init(json: JSONValue) throws(ProtocolError) {
        offsetTable = try queueKeyedMap(json, "offsetTable")
        consumeTps = try json.double("consumeTps", default: 0)
    }

    public var json: JSONValue {
        .object(["consumeTps": .double(consumeTps), "offsetTable": queueKeyedJSON(offsetTable)])
    }

    /// Messages not yet consumed, over all queues.
    public var totalDiff: Int64 {
        offsetTable.values.reduce(0) { $0 + max(0, $1.brokerOffset - $1.consumerOffset) }
    }
}

/// Reads a `Map<MessageQueue, T>` member (keys as fastjson bare objects or as JSON text strings).
func queueKeyedMap<T: JSONBody>(_ json: JSONValue, _ key: String) throws(ProtocolError) -> [MessageQueue: T] {
    var out: [MessageQueue: T] = [:]
    for m in try json.entries(key) {
        out[try MessageQueue(mapKey: m.key)] = try T(json: m.value)
    }
    return out
}

/// Writes a `Map<MessageQueue, T>` in queue order, each key the queue's JSON text.
func queueKeyedJSON<T: JSONBody>(_ table: [MessageQueue: T]) -> JSONValue {
    .object(table.sorted { $0.key < $1.key }.map { JSONMember($0.key.mapKey, $0.value.json) })
}
