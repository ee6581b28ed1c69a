/// A topic's configuration as brokers persist and register it (RocketMQ `TopicConfig`).
public struct TopicConfig: JSONBody, Equatable {
    public var topicName: String
    public var readQueueNums: Int32
    public var writeQueueNums: Int32
    /// ``Perm`` bits.
    public var perm: Int32
    /// "SINGLE_TAG" or "MULTI_TAG".
    public var topicFilterType: String
    public var topicSysFlag: Int32
    public var order: Bool

    public init(topicName: String, readQueueNums: Int32 = 16, writeQueueNums: Int32 = 16,
                perm: Int32 = Perm.readWrite.rawValue, topicFilterType: String = "SINGLE_TAG",
                topicSysFlag: Int32 = 0, order: Bool = false) {
        self.topicName = topicName
        self.readQueueNums = readQueueNums
        self.writeQueueNums = writeQueueNums
        self.perm = perm
        self.topicFilterType = topicFilterType
        self.topicSysFlag = topicSysFlag
        self.order = order
    }

    public init(json: JSONValue) throws(ProtocolError) {
        topicName = try json.string("topicName")
        readQueueNums = try json.int("readQueueNums", default: 16)
        writeQueueNums = try json.int("writeQueueNums", default: 16)
        perm = try json.int("perm", default: Perm.readWrite.rawValue)
        topicFilterType = json.optionalString("topicFilterType") ?? "SINGLE_TAG"
        topicSysFlag = try json.int("topicSysFlag", default: 0)
        order = try json.bool("order", default: false)
    }

    public var json: JSONValue {
        .object([
            "order": .bool(order), "perm": .int32(perm), "readQueueNums": .int32(readQueueNums),
            "topicFilterType": .string(topicFilterType), "topicName": .string(topicName),
            "topicSysFlag": .int32(topicSysFlag), "writeQueueNums": .int32(writeQueueNums),
        ])
    }
}

/// A version stamp of a broker's topic configuration (RocketMQ `DataVersion`).
public struct DataVersion: JSONBody, Equatable, Hashable {
    public var timestamp: Int64
    public var counter: Int64

    public init(timestamp: Int64, counter: Int64 = 0) {
        self.timestamp = timestamp
        self.counter = counter
    }

    public init(json: JSONValue) throws(ProtocolError) {
        timestamp = try json.int("timestamp", default: 0)
        counter = try json.int("counter", default: 0)
    }

    public var json: JSONValue { .object(["counter": .int(counter), "timestamp": .int(timestamp)]) }
}

/// A broker's topics with their version (RocketMQ `TopicConfigSerializeWrapper`);
/// also the shape of the broker's topics.json.
public struct TopicConfigSerializeWrapper: JSONBody, Equatable {
    public var topicConfigTable: [String: TopicConfig]
    public var dataVersion: DataVersion

    public init(topicConfigTable: [String: TopicConfig], dataVersion: DataVersion) {
        self.topicConfigTable = topicConfigTable
        self.dataVersion = dataVersion
    }

    public init(json: JSONValue) throws(ProtocolError) {
        topicConfigTable = try json.map("topicConfigTable")
        dataVersion = try json["dataVersion"].map { v throws(ProtocolError) in try DataVersion(json: v) }
            ?? DataVersion(timestamp: 0)
    }

    public var json: JSONValue {
        .object([
            "dataVersion": dataVersion.json, "topicConfigTable": .map(topicConfigTable) { $0.json },
        ])
    }
}

/// The body of REGISTER_BROKER (RocketMQ `RegisterBrokerBody`), uncompressed
/// form (`compressed=false`, RocketMQ's default `compressedRegister=false`).
public struct RegisterBrokerBody: JSONBody, Equatable {
    public var topicConfigSerializeWrapper: TopicConfigSerializeWrapper
    public var filterServerList: [String]

    public init(topicConfigSerializeWrapper: TopicConfigSerializeWrapper, filterServerList: [String] = []) {
        self.topicConfigSerializeWrapper = topicConfigSerializeWrapper
        self.filterServerList = filterServerList
    }

    public init(json: JSONValue) throws(ProtocolError) {
        topicConfigSerializeWrapper = try TopicConfigSerializeWrapper(json: json.field("topicConfigSerializeWrapper"))
        filterServerList = try json.strings("filterServerList")
    }

    public var json: JSONValue {
        .object([
            "filterServerList": .strings(filterServerList),
            "topicConfigSerializeWrapper": topicConfigSerializeWrapper.json,
        ])
    }
}
