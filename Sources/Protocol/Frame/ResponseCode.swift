/// A response's `code`: 0 is success (RocketMQ `ResponseCode` and `RemotingSysResponseCode`).
/// Unknown values are kept as they are, so any code round-trips.
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// `SUCCESS` (0)
    public static let success = ResponseCode(0)
    /// `SYSTEM_ERROR` (1)
    public static let systemError = ResponseCode(1)
    /// `SYSTEM_BUSY` (2)
    public static let systemBusy = ResponseCode(2)
    /// `REQUEST_CODE_NOT_SUPPORTED` (3)
    public static let requestCodeNotSupported = ResponseCode(3)
    /// `TRANSACTION_FAILED` (4)
    public static let transactionFailed = ResponseCode(4)
    /// `FLUSH_DISK_TIMEOUT` (10)
    public static let flushDiskTimeout = ResponseCode(10)
    /// `SLAVE_NOT_AVAILABLE` (11)
    public static let slaveNotAvailable = ResponseCode(11)
    /// `FLUSH_SLAVE_TIMEOUT` (12)
    public static let flushSlaveTimeout = ResponseCode(12)
    /// `MESSAGE_ILLEGAL` (13)
    public static let messageIllegal = ResponseCode(13)
    /// `SERVICE_NOT_AVAILABLE` (14)
    public static let serviceNotAvailable = ResponseCode(14)
    /// `VERSION_NOT_SUPPORTED` (15)
    public static let versionNotSupported = ResponseCode(15)
    /// `NO_PERMISSION` (16)
    public static let noPermission = ResponseCode(16)
    /// `TOPIC_NOT_EXIST` (17)
    public static let topicNotExist = ResponseCode(17)
    /// `TOPIC_EXIST_ALREADY` (18)
    public static let topicExistAlready = ResponseCode(18)
    /// `PULL_NOT_FOUND` (19)
    public static let pullNotFound = ResponseCode(19)
    /// `PULL_RETRY_IMMEDIATELY` (20)
    public static let pullRetryImmediately = ResponseCode(20)
    /// `PULL_OFFSET_MOVED` (21)
    public static let pullOffsetMoved = ResponseCode(21)
    /// `QUERY_NOT_FOUND` (22)
    public static let queryNotFound = ResponseCode(22)
    /// `SUBSCRIPTION_PARSE_FAILED` (23)
    public static let subscriptionParseFailed = ResponseCode(23)
    /// `SUBSCRIPTION_NOT_EXIST` (24)
    public static let subscriptionNotExist = ResponseCode(24)
    /// `SUBSCRIPTION_NOT_LATEST` (25)
    public static let subscriptionNotLatest = ResponseCode(25)
    /// `SUBSCRIPTION_GROUP_NOT_EXIST` (26)
    public static let subscriptionGroupNotExist = ResponseCode(26)
    /// `FILTER_DATA_NOT_EXIST` (27)
    public static let filterDataNotExist = ResponseCode(27)
    /// `FILTER_DATA_NOT_LATEST` (28)
    public static let filterDataNotLatest = ResponseCode(28)
    /// `TRANSACTION_SHOULD_COMMIT` (200)
    public static let transactionShouldCommit = ResponseCode(200)
    /// `TRANSACTION_SHOULD_ROLLBACK` (201)
    public static let transactionShouldRollback = ResponseCode(201)
    /// `TRANSACTION_STATE_UNKNOW` (202)
    public static let transactionStateUnknow = ResponseCode(202)
    /// `TRANSACTION_STATE_GROUP_WRONG` (203)
    public static let transactionStateGroupWrong = ResponseCode(203)
    /// `NO_BUYER_ID` (204)
    public static let noBuyerId = ResponseCode(204)
    /// `NOT_IN_CURRENT_UNIT` (205)
    public static let notInCurrentUnit = ResponseCode(205)
    /// `CONSUMER_NOT_ONLINE` (206)
    public static let consumerNotOnline = ResponseCode(206)
    /// `CONSUME_MSG_TIMEOUT` (207)
    public static let consumeMsgTimeout = ResponseCode(207)
    /// `NO_MESSAGE` (208)
    public static let noMessage = ResponseCode(208)
    /// `FLOW_CONTROL` (215)
    public static let flowControl = ResponseCode(215)

    /// The Java constant name, or nil when unknown.
    public var name: String? {
        switch rawValue {
        case 0: "SUCCESS"
        case 1: "SYSTEM_ERROR"
        case 2: "SYSTEM_BUSY"
        case 3: "REQUEST_CODE_NOT_SUPPORTED"
        case 4: "TRANSACTION_FAILED"
        case 10: "FLUSH_DISK_TIMEOUT"
        case 11: "SLAVE_NOT_AVAILABLE"
        case 12: "FLUSH_SLAVE_TIMEOUT"
        case 13: "MESSAGE_ILLEGAL"
        case 14: "SERVICE_NOT_AVAILABLE"
        case 15: "VERSION_NOT_SUPPORTED"
        case 16: "NO_PERMISSION"
        case 17: "TOPIC_NOT_EXIST"
        case 18: "TOPIC_EXIST_ALREADY"
        case 19: "PULL_NOT_FOUND"
        case 20: "PULL_RETRY_IMMEDIATELY"
        case 21: "PULL_OFFSET_MOVED"
        case 22: "QUERY_NOT_FOUND"
        case 23: "SUBSCRIPTION_PARSE_FAILED"
        case 24: "SUBSCRIPTION_NOT_EXIST"
        case 25: "SUBSCRIPTION_NOT_LATEST"
        case 26: "SUBSCRIPTION_GROUP_NOT_EXIST"
        case 27: "FILTER_DATA_NOT_EXIST"
        case 28: "FILTER_DATA_NOT_LATEST"
        case 200: "TRANSACTION_SHOULD_COMMIT"
        case 201: "TRANSACTION_SHOULD_ROLLBACK"
        case 202: "TRANSACTION_STATE_UNKNOW"
        case 203: "TRANSACTION_STATE_GROUP_WRONG"
        case 204: "NO_BUYER_ID"
        case 205: "NOT_IN_CURRENT_UNIT"
        case 206: "CONSUMER_NOT_ONLINE"
        case 207: "CONSUME_MSG_TIMEOUT"
        case 208: "NO_MESSAGE"
        case 215: "FLOW_CONTROL"
        default: nil
        }
    }

    public var description: String { name.map { "\($0)(\(rawValue))" } ?? "CODE(\(rawValue))" }
}
