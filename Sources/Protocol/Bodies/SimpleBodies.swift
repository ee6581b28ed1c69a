/// A string map (RocketMQ `KVTable`): REGISTER_BROKER's response body, the
/// broker runtime info of GET_BROKER_RUNTIME_INFO, GET_KVLIST_BY_NAMESPACE.
public struct KVTable: JSONBody, Equatable {
    public var table: [String: String]

    public init(table: [String: String] = [:]) { self.table = table }

    public init(json: JSONValue) throws(ProtocolError) {
        var t: [String: String] = [:]
        for m in try json.entries("table") where !m.value.isNull {
            t[m.key] = m.value.stringValue ?? m.value.jsonString
        }
        table = t
    }

    public var json: JSONValue { .object(["table": .map(table) { .string($0) }]) }
}

/// A list of topic names (RocketMQ `TopicList`): GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
/// GET_TOPICS_BY_CLUSTER, GET_ALL_TOPIC_CONFIG's topic set.
public struct TopicList: JSONBody, Equatable {
    public var topicList: [String]
    public var brokerAddr: String?

    public init(topicList: [String], brokerAddr: String? = nil) {
        self.topicList = topicList
        self.brokerAddr = brokerAddr
    }

    public init(json: JSONValue) throws(ProtocolError) {
        topicList = try json.strings("topicList")
        brokerAddr = json.optionalString("brokerAddr")
    }

    public var json: JSONValue {
        var members: [JSONMember] = []
        if let brokerAddr { members.append(JSONMember("brokerAddr", .string(brokerAddr))) }
        members.append(JSONMember("topicList", .strings(topicList)))
        return .object(members)
    }
}

/// The body of a GET_CONSUMER_LIST_BY_GROUP response (RocketMQ
/// `GetConsumerListByGroupResponseBody`): the client ids in the group.
public struct ConsumerListBody: JSONBody, Equatable {
    public var consumerIdList: [String]

    public init(consumerIdList: [String]) { self.consumerIdList = consumerIdList }

    public init(json: JSONValue) throws(ProtocolError) {
        consumerIdList = try json.strings("consumerIdList")
    }

    public var json: JSONValue { .object(["consumerIdList": .strings(consumerIdList)]) }
}
