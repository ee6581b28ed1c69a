/// A request's `code` (RocketMQ `RequestCode`, 4.9.x).
/// Unknown values are kept as they are, so any code round-trips.
public struct RequestCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// `SEND_MESSAGE` (10)
    public static let sendMessage = RequestCode(10)
    /// `PULL_MESSAGE` (11)
    public static let pullMessage = RequestCode(11)
    /// `QUERY_MESSAGE` (12)
    public static let queryMessage = RequestCode(12)
    /// `QUERY_CONSUMER_OFFSET` (14)
    public static let queryConsumerOffset = RequestCode(14)
    /// `UPDATE_CONSUMER_OFFSET` (15)
    public static let updateConsumerOffset = RequestCode(15)
    /// `UPDATE_AND_CREATE_TOPIC` (17)
    public static let updateAndCreateTopic = RequestCode(17)
    /// `GET_ALL_TOPIC_CONFIG` (21)
    public static let getAllTopicConfig = RequestCode(21)
    /// `UPDATE_BROKER_CONFIG` (25)
    public static let updateBrokerConfig = RequestCode(25)
    /// `GET_BROKER_CONFIG` (26)
    public static let getBrokerConfig = RequestCode(26)
    /// `GET_BROKER_RUNTIME_INFO` (28)
    public static let getBrokerRuntimeInfo = RequestCode(28)
    /// `SEARCH_OFFSET_BY_TIMESTAMP` (29)
    public static let searchOffsetByTimestamp = RequestCode(29)
    /// `GET_MAX_OFFSET` (30)
    public static let getMaxOffset = RequestCode(30)
    /// `GET_MIN_OFFSET` (31)
    public static let getMinOffset = RequestCode(31)
    /// `GET_EARLIEST_MSG_STORETIME` (32)
    public static let getEarliestMsgStoreTime = RequestCode(32)
    /// `VIEW_MESSAGE_BY_ID` (33)
    public static let viewMessageById = RequestCode(33)
    /// `HEART_BEAT` (34)
    public static let heartBeat = RequestCode(34)
    /// `UNREGISTER_CLIENT` (35)
    public static let unregisterClient = RequestCode(35)
    /// `CONSUMER_SEND_MSG_BACK` (36)
    public static let consumerSendMsgBack = RequestCode(36)
    /// `END_TRANSACTION` (37)
    public static let endTransaction = RequestCode(37)
    /// `GET_CONSUMER_LIST_BY_GROUP` (38)
    public static let getConsumerListByGroup = RequestCode(38)
    /// `CHECK_TRANSACTION_STATE` (39)
    public static let checkTransactionState = RequestCode(39)
    /// `NOTIFY_CONSUMER_IDS_CHANGED` (40)
    public static let notifyConsumerIdsChanged = RequestCode(40)
    /// `LOCK_BATCH_MQ` (41)
    public static let lockBatchMQ = RequestCode(41)
    /// `UNLOCK_BATCH_MQ` (42)
    public static let unlockBatchMQ = RequestCode(42)
    /// `GET_ALL_CONSUMER_OFFSET` (43)
    public static let getAllConsumerOffset = RequestCode(43)
    /// `GET_ALL_DELAY_OFFSET` (45)
    public static let getAllDelayOffset = RequestCode(45)
    /// `CHECK_CLIENT_CONFIG` (46)
    public static let checkClientConfig = RequestCode(46)
    /// `PUT_KV_CONFIG` (100)
    public static let putKVConfig = RequestCode(100)
    /// `GET_KV_CONFIG` (101)
    public static let getKVConfig = RequestCode(101)
    /// `DELETE_KV_CONFIG` (102)
    public static let deleteKVConfig = RequestCode(102)
    /// `REGISTER_BROKER` (103)
    public static let registerBroker = RequestCode(103)
    /// `UNREGISTER_BROKER` (104)
    public static let unregisterBroker = RequestCode(104)
    /// `GET_ROUTEINFO_BY_TOPIC` (105)
    public static let getRouteInfoByTopic = RequestCode(105)
    /// `GET_BROKER_CLUSTER_INFO` (106)
    public static let getBrokerClusterInfo = RequestCode(106)
    /// `UPDATE_AND_CREATE_SUBSCRIPTIONGROUP` (200)
    public static let updateAndCreateSubscriptionGroup = RequestCode(200)
    /// `GET_ALL_SUBSCRIPTIONGROUP_CONFIG` (201)
    public static let getAllSubscriptionGroupConfig = RequestCode(201)
    /// `GET_TOPIC_STATS_INFO` (202)
    public static let getTopicStatsInfo = RequestCode(202)
    /// `GET_CONSUMER_CONNECTION_LIST` (203)
    public static let getConsumerConnectionList = RequestCode(203)
    /// `WIPE_WRITE_PERM_OF_BROKER` (205)
    public static let wipeWritePermOfBroker = RequestCode(205)
    /// `GET_ALL_TOPIC_LIST_FROM_NAMESERVER` (206)
    public static let getAllTopicListFromNameServer = RequestCode(206)
    /// `DELETE_SUBSCRIPTIONGROUP` (207)
    public static let deleteSubscriptionGroup = RequestCode(207)
    /// `GET_CONSUME_STATS` (208)
    public static let getConsumeStats = RequestCode(208)
    /// `DELETE_TOPIC_IN_BROKER` (215)
    public static let deleteTopicInBroker = RequestCode(215)
    /// `DELETE_TOPIC_IN_NAMESRV` (216)
    public static let deleteTopicInNameServer = RequestCode(216)
    /// `REGISTER_TOPIC_IN_NAMESRV` (217)
    public static let registerTopicInNameServer = RequestCode(217)
    /// `GET_KVLIST_BY_NAMESPACE` (219)
    public static let getKVListByNamespace = RequestCode(219)
    /// `RESET_CONSUMER_CLIENT_OFFSET` (220)
    public static let resetConsumerClientOffset = RequestCode(220)
    /// `GET_CONSUMER_STATUS_FROM_CLIENT` (221)
    public static let getConsumerStatusFromClient = RequestCode(221)
    /// `INVOKE_BROKER_TO_RESET_OFFSET` (222)
    public static let invokeBrokerToResetOffset = RequestCode(222)
    /// `GET_TOPICS_BY_CLUSTER` (224)
    public static let getTopicsByCluster = RequestCode(224)
    /// `QUERY_TOPIC_CONSUME_BY_WHO` (300)
    public static let queryTopicConsumeByWho = RequestCode(300)
    /// `QUERY_CONSUME_TIME_SPAN` (303)
    public static let queryConsumeTimeSpan = RequestCode(303)
    /// `GET_SYSTEM_TOPIC_LIST_FROM_NS` (304)
    public static let getSystemTopicListFromNS = RequestCode(304)
    /// `GET_CONSUMER_RUNNING_INFO` (307)
    public static let getConsumerRunningInfo = RequestCode(307)
    /// `CONSUME_MESSAGE_DIRECTLY` (309)
    public static let consumeMessageDirectly = RequestCode(309)
    /// `SEND_MESSAGE_V2` (310)
    public static let sendMessageV2 = RequestCode(310)
    /// `GET_UNIT_TOPIC_LIST` (311)
    public static let getUnitTopicList = RequestCode(311)
    /// `GET_BROKER_CONSUME_STATS` (317)
    public static let getBrokerConsumeStats = RequestCode(317)
    /// `SEND_BATCH_MESSAGE` (320)
    public static let sendBatchMessage = RequestCode(320)
    /// `QUERY_CONSUME_QUEUE` (321)
    public static let queryConsumeQueue = RequestCode(321)
    /// `QUERY_DATA_VERSION` (322)
    public static let queryDataVersion = RequestCode(322)
    /// `SEND_REPLY_MESSAGE` (324)
    public static let sendReplyMessage = RequestCode(324)
    /// `SEND_REPLY_MESSAGE_V2` (325)
    public static let sendReplyMessageV2 = RequestCode(325)
    /// `PUSH_REPLY_MESSAGE_TO_CLIENT` (326)
    public static let pushReplyMessageToClient = RequestCode(326)
    /// `BROKER_HEARTBEAT` (904)
    public static let brokerHeartbeat = RequestCode(904)

    /// The Java constant name, or nil when unknown.
    public var name: String? {
        switch rawValue {
        case 10: "SEND_MESSAGE"
        case 11: "PULL_MESSAGE"
        case 12: "QUERY_MESSAGE"
        case 14: "QUERY_CONSUMER_OFFSET"
        case 15: "UPDATE_CONSUMER_OFFSET"
        case 17: "UPDATE_AND_CREATE_TOPIC"
        case 21: "GET_ALL_TOPIC_CONFIG"
        case 25: "UPDATE_BROKER_CONFIG"
        case 26: "GET_BROKER_CONFIG"
        case 28: "GET_BROKER_RUNTIME_INFO"
        case 29: "SEARCH_OFFSET_BY_TIMESTAMP"
        case 30: "GET_MAX_OFFSET"
        case 31: "GET_MIN_OFFSET"
        case 32: "GET_EARLIEST_MSG_STORETIME"
        case 33: "VIEW_MESSAGE_BY_ID"
        case 34: "HEART_BEAT"
        case 35: "UNREGISTER_CLIENT"
        case 36: "CONSUMER_SEND_MSG_BACK"
        case 37: "END_TRANSACTION"
        case 38: "GET_CONSUMER_LIST_BY_GROUP"
        case 39: "CHECK_TRANSACTION_STATE"
        case 40: "NOTIFY_CONSUMER_IDS_CHANGED"
        case 41: "LOCK_BATCH_MQ"
        case 42: "UNLOCK_BATCH_MQ"
        case 43: "GET_ALL_CONSUMER_OFFSET"
        case 45: "GET_ALL_DELAY_OFFSET"
        case 46: "CHECK_CLIENT_CONFIG"
        case 100: "PUT_KV_CONFIG"
        case 101: "GET_KV_CONFIG"
        case 102: "DELETE_KV_CONFIG"
        case 103: "REGISTER_BROKER"
        case 104: "UNREGISTER_BROKER"
        case 105: "GET_ROUTEINFO_BY_TOPIC"
        case 106: "GET_BROKER_CLUSTER_INFO"
        case 200: "UPDATE_AND_CREATE_SUBSCRIPTIONGROUP"
        case 201: "GET_ALL_SUBSCRIPTIONGROUP_CONFIG"
        case 202: "GET_TOPIC_STATS_INFO"
        case 203: "GET_CONSUMER_CONNECTION_LIST"
        case 205: "WIPE_WRITE_PERM_OF_BROKER"
        case 206: "GET_ALL_TOPIC_LIST_FROM_NAMESERVER"
        case 207: "DELETE_SUBSCRIPTIONGROUP"
        case 208: "GET_CONSUME_STATS"
        case 215: "DELETE_TOPIC_IN_BROKER"
        case 216: "DELETE_TOPIC_IN_NAMESRV"
        case 217: "REGISTER_TOPIC_IN_NAMESRV"
        case 219: "GET_KVLIST_BY_NAMESPACE"
        case 220: "RESET_CONSUMER_CLIENT_OFFSET"
        case 221: "GET_CONSUMER_STATUS_FROM_CLIENT"
        case 222: "INVOKE_BROKER_TO_RESET_OFFSET"
        case 224: "GET_TOPICS_BY_CLUSTER"
        case 300: "QUERY_TOPIC_CONSUME_BY_WHO"
        case 303: "QUERY_CONSUME_TIME_SPAN"
        case 304: "GET_SYSTEM_TOPIC_LIST_FROM_NS"
        case 307: "GET_CONSUMER_RUNNING_INFO"
        case 309: "CONSUME_MESSAGE_DIRECTLY"
        case 310: "SEND_MESSAGE_V2"
        case 311: "GET_UNIT_TOPIC_LIST"
        case 317: "GET_BROKER_CONSUME_STATS"
        case 320: "SEND_BATCH_MESSAGE"
        case 321: "QUERY_CONSUME_QUEUE"
        case 322: "QUERY_DATA_VERSION"
        case 324: "SEND_REPLY_MESSAGE"
        case 325: "SEND_REPLY_MESSAGE_V2"
        case 326: "PUSH_REPLY_MESSAGE_TO_CLIENT"
        case 904: "BROKER_HEARTBEAT"
        default: nil
        }
    }

    public var description: String { name.map { "\($0)(\(rawValue))" } ?? "CODE(\(rawValue))" }
}
