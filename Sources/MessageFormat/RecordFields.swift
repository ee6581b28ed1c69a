/// What a producer (or the broker on its behalf) supplies for one record,
/// everything but the body and the fields the store assigns under its lock
/// (queue offset, physical offset, store timestamp).
public struct RecordFields: Sendable {
    public var topic: String
    public var queueId: Int32
    public var flag: Int32
    /// Host-width bits are derived from the hosts when encoding.
    public var sysFlag: SysFlag
    public var bornTimestamp: Int64
    public var bornHost: HostAddress
    public var storeHost: HostAddress
    public var reconsumeTimes: Int32
    public var preparedTransactionOffset: Int64
    /// The encoded properties string (see `MessageProperties`).
    public var properties: String

    public init(
        topic: String, queueId: Int32, flag: Int32 = 0, sysFlag: SysFlag = [],
        bornTimestamp: Int64, bornHost: HostAddress = .loopback, storeHost: HostAddress = .loopback,
        reconsumeTimes: Int32 = 0, preparedTransactionOffset: Int64 = 0, properties: String = ""
    ) {
        self.topic = topic
        self.queueId = queueId
        self.flag = flag
        self.sysFlag = sysFlag
        self.bornTimestamp = bornTimestamp
        self.bornHost = bornHost
        self.storeHost = storeHost
        self.reconsumeTimes = reconsumeTimes
        self.preparedTransactionOffset = preparedTransactionOffset
        self.properties = properties
    }

    /// The record length for a body of `bodyLength` bytes.
    public func recordLength(bodyLength: Int) -> Int {
        RecordLayout.recordLength(
            bodyLength: bodyLength, topicLength: topic.utf8.count, propertiesLength: properties.utf8.count,
            bornHostIPv6: bornHost.isIPv6, storeHostIPv6: storeHost.isIPv6)
    }
}
