/// One broker's queues of a topic (RocketMQ `QueueData`).
public struct QueueData: JSONBody, Equatable {
    public var brokerName: String
    public var readQueueNums: Int32
    public var writeQueueNums: Int32
    /// ``Perm`` bits.
    public var perm: Int32
    public var topicSysFlag: Int32

    public init(brokerName: String, readQueueNums: Int32, writeQueueNums: Int32, perm: Int32 = Perm.readWrite.rawValue,
                topicSysFlag: Int32 = 0) {
        self.brokerName = brokerName
        self.readQueueNums = readQueueNums
        self.writeQueueNums = writeQueueNums
        self.perm = perm
        self.topicSysFlag = topicSysFlag
    }

    public init(json: JSONValue) throws(ProtocolError) {
        brokerName = try json.string("brokerName")
        readQueueNums = try json.int("readQueueNums")
        writeQueueNums = try json.int("writeQueueNums")
        perm = try json.int("perm")
        topicSysFlag = try json.int("topicSysFlag", default: 0)
    }

    public var json: JSONValue {
        .object([
            "brokerName": .string(brokerName), "perm": .int32(perm), "readQueueNums": .int32(readQueueNums),
            "topicSysFlag": .int32(topicSysFlag), "writeQueueNums": .int32(writeQueueNums),
        ])
    }
}

/// A broker group: its name, cluster and addresses by broker id, 0 being the
/// master (RocketMQ `BrokerData`).
///
/// `brokerAddrs` is a `Map<Long, String>` in Java, which fastjson writes with
/// bare keys (`{0:"10.0.0.1:10911"}`); both that and quoted keys are read, and
/// quoted keys are written (see ``JSONWriter``).
public struct BrokerData: JSONBody, Equatable {
    public var cluster: String
    public var brokerName: String
    public var brokerAddrs: [Int64: String]

    /// The master's id.
    public static let masterId: Int64 = 0

    public init(cluster: String, brokerName: String, brokerAddrs: [Int64: String]) {
        self.cluster = cluster
        self.brokerName = brokerName
        self.brokerAddrs = brokerAddrs
    }

    public init(json: JSONValue) throws(ProtocolError) {
        cluster = json.optionalString("cluster") ?? ""
        brokerName = try json.string("brokerName")
        var addrs: [Int64: String] = [:]
        for m in try json.entries("brokerAddrs") {
            guard let id = Int64(m.key) else { throw .invalidField(name: "brokerAddrs", value: m.key) }
            guard let addr = m.value.stringValue else { throw .invalidField(name: "brokerAddrs", value: m.value.jsonString) }
            addrs[id] = addr
        }
        brokerAddrs = addrs
    }

    public var json: JSONValue {
        .object([
            "brokerAddrs": .object(brokerAddrs.sorted { $0.key < $1.key }.map { JSONMember(String($0.key), .string($0.value)) }),
            "brokerName": .string(brokerName), "cluster": .string(cluster),
        ])
    }

    /// The master's address, if the group has one.
    public var masterAddress: String? { brokerAddrs[Self.masterId] }
}

/// A topic's route (RocketMQ `TopicRouteData`): the body of a
/// GET_ROUTEINFO_BY_TOPIC response.
public struct TopicRouteData: JSONBody, Equatable {
    public var orderTopicConf: String?
    public var queueDatas: [QueueData]
    public var brokerDatas: [BrokerData]
    /// Broker address → filter server addresses.
    public var filterServerTable: [String: [String]]

    public init(orderTopicConf: String? = nil, queueDatas: [QueueData], brokerDatas: [BrokerData],
                filterServerTable: [String: [String]] = [:]) {
        self.orderTopicConf = orderTopicConf
        self.queueDatas = queueDatas
        self.brokerDatas = brokerDatas
        self.filterServerTable = filterServerTable
    }

    public init(json: JSONValue) throws(ProtocolError) {
        orderTopicConf = json.optionalString("orderTopicConf")
        queueDatas = try json.list("queueDatas")
        brokerDatas = try json.list("brokerDatas")
        var table: [String: [String]] = [:]
        for m in try json.entries("filterServerTable") {
            table[m.key] = try m.value.stringElements(field: m.key)
        }
        filterServerTable = table
    }

    public var json: JSONValue {
        var members = [
            JSONMember("brokerDatas", .array(brokerDatas.map(\.json))),
            JSONMember("filterServerTable", .map(filterServerTable) { .strings($0) }),
        ]
        if let orderTopicConf { members.append(JSONMember("orderTopicConf", .string(orderTopicConf))) }
        members.append(JSONMember("queueDatas", .array(queueDatas.map(\.json))))
        return .object(members)
    }
}

/// The cluster map (RocketMQ `ClusterInfo`): the body of a GET_BROKER_CLUSTER_INFO response.
public struct ClusterInfo: JSONBody, Equatable {
    /// Broker name → broker group.
    public var brokerAddrTable: [String: BrokerData]
    /// Cluster name → broker names.
    public var clusterAddrTable: [String: [String]]

    public init(brokerAddrTable: [String: BrokerData], clusterAddrTable: [String: [String]]) {
        self.brokerAddrTable = brokerAddrTable
        self.clusterAddrTable = clusterAddrTable
    }

    public init(json: JSONValue) throws(ProtocolError) {
        brokerAddrTable = try json.map("brokerAddrTable")
        var clusters: [String: [String]] = [:]
        for m in try json.entries("clusterAddrTable") {
            clusters[m.key] = try m.value.stringElements(field: m.key)
        }
        clusterAddrTable = clusters
    }

    public var json: JSONValue {
        .object([
            "brokerAddrTable": .map(brokerAddrTable) { $0.json },
            "clusterAddrTable": .map(clusterAddrTable) { .strings($0.sorted()) },
        ])
    }
}
