import Config
import Foundation
import Store

/// The broker's settings, read from a RocketMQ-style `broker.conf`.
///
/// Broker keys are parsed here; every other key is offered to ``StoreConfig``.
/// A key neither knows is reported in ``Loaded/unknown`` (the caller warns);
/// a known key with a bad value is a ``ConfigError`` naming the key and why.
public struct BrokerConfig: Sendable {
    public enum Role: String, Sendable {
        case asyncMaster = "ASYNC_MASTER"
        case syncMaster = "SYNC_MASTER"
        case slave = "SLAVE"
    }

    public var brokerClusterName = "DefaultCluster"
    public var brokerName = "broker-a"
    public var brokerId: Int64 = 0
    /// NameServer addresses ("host:port"), from the ';'-separated `namesrvAddr`.
    public var namesrvAddrs: [String] = []
    /// 0 = an ephemeral port (tests).
    public var listenPort = 10911
    /// The address published to NameServers and written as the store host of messages.
    public var brokerIP1 = "127.0.0.1"
    /// The address the server binds (`bindAddress`, a PeakMQ key; RocketMQ binds all interfaces).
    public var bindAddress = "0.0.0.0"
    public var autoCreateTopicEnable = true
    public var defaultTopicQueueNums: Int32 = 8
    public var brokerRole = Role.asyncMaster
    /// REGISTER_BROKER period (clamped to 10…60 s as RocketMQ does).
    public var registerNameServerPeriodMillis = 30_000
    public var flushConsumerOffsetIntervalMillis = 5_000
    /// Threads that append sends (RocketMQ `sendMessageThreadPoolNums`): one
    /// keeps a producer's pipelined sends to a queue in order; appends
    /// serialise on the store's put lock anyway.
    public var sendMessageThreadPoolNums = 1
    /// Sends waiting for a send thread, at most (RocketMQ `sendThreadPoolQueueCapacity`);
    /// more are refused with SYSTEM_BUSY `[OVERLOAD]`.
    public var sendThreadPoolQueueCapacity = 10_000
    /// Bytes of message bodies waiting for a send thread, at most (a PeakMQ key:
    /// with bodies up to 4 MiB, a count alone would not bound memory).
    public var sendQueueMaxBytes = 256 * 1024 * 1024
    /// A send that waited longer than this for a send thread is refused with
    /// SYSTEM_BUSY `[TIMEOUT_CLEAN_QUEUE]` (RocketMQ `waitTimeMillsInSendQueue`).
    public var waitTimeMillsInSendQueue = 200
    /// Whether an event loop appends a send itself while no send is queued or
    /// being appended and appends have been fast (a PeakMQ key): two thread
    /// hops fewer per send at moderate rates; see `SendService`.
    public var sendInlineWhenIdle = true
    /// Whether queued sends are refused when they wait too long or the page cache
    /// is busy (RocketMQ `brokerFastFailureEnable`).
    public var brokerFastFailureEnable = true
    /// Largest frame accepted from a client.
    public var maxFrameLength = 16 * 1024 * 1024
    public var store = StoreConfig()

    public init() {}

    /// The ';'-separated form of ``namesrvAddrs``.
    public var namesrvAddr: String { namesrvAddrs.joined(separator: ";") }

    /// Where topics.json and consumerOffset.json live.
    public var configDir: String { store.storePathRootDir + "/config" }

    /// Sets one key. - Returns: false when neither the broker nor the store knows it.
    public mutating func set(_ key: String, _ value: String) throws(ConfigError) -> Bool {
        let v = value.trimmingCharacters(in: " \t")
        func int<T: FixedWidthInteger>(_ range: ClosedRange<T>) throws(ConfigError) -> T {
            guard let n = T(v) else { throw ConfigError(key: key, reason: "'\(v)' is not a whole number") }
            guard range.contains(n) else { throw ConfigError(key: key, reason: "\(n) is outside \(range.lowerBound)…\(range.upperBound)") }
            return n
        }
        func bool() throws(ConfigError) -> Bool {
            switch v.lowercased() {
            case "true": return true
            case "false": return false
            default: throw ConfigError(key: key, reason: "'\(v)' is not true or false")
            }
        }
        switch key {
        case "brokerClusterName":
            guard !v.isEmpty else { throw ConfigError(key: key, reason: "empty name") }
            brokerClusterName = v
        case "brokerName":
            guard !v.isEmpty else { throw ConfigError(key: key, reason: "empty name") }
            brokerName = v
        case "brokerId": brokerId = try int(0...Int64(Int32.max))
        case "namesrvAddr":
            let addrs = v.split(separator: ";").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
            for a in addrs {
                let parts = a.split(separator: ":")
                guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else {
                    throw ConfigError(key: key, reason: "'\(a)' is not host:port")
                }
            }
            namesrvAddrs = addrs
        case "listenPort": listenPort = try int(0...65535)
        case "brokerIP1":
            guard !v.isEmpty else { throw ConfigError(key: key, reason: "empty address") }
            brokerIP1 = v
        case "bindAddress":
            guard !v.isEmpty else { throw ConfigError(key: key, reason: "empty address") }
            bindAddress = v
        case "autoCreateTopicEnable": autoCreateTopicEnable = try bool()
        case "defaultTopicQueueNums": defaultTopicQueueNums = try int(1...1024)
        case "brokerRole":
            guard let r = Role(rawValue: v) else {
                throw ConfigError(key: key, reason: "'\(v)' is not ASYNC_MASTER, SYNC_MASTER or SLAVE")
            }
            brokerRole = r
        case "registerNameServerPeriod": registerNameServerPeriodMillis = min(60_000, max(10_000, try int(0...Int.max)))
        case "flushConsumerOffsetInterval": flushConsumerOffsetIntervalMillis = try int(100...3_600_000)
        case "sendMessageThreadPoolNums": sendMessageThreadPoolNums = try int(1...64)
        case "sendThreadPoolQueueCapacity": sendThreadPoolQueueCapacity = try int(1...10_000_000)
        case "sendQueueMaxBytes": sendQueueMaxBytes = try int(1024...Int(Int32.max) * 8)
        case "waitTimeMillsInSendQueue": waitTimeMillsInSendQueue = try int(1...3_600_000)
        case "brokerFastFailureEnable": brokerFastFailureEnable = try bool()
        case "sendInlineWhenIdle": sendInlineWhenIdle = try bool()
        default:
            do {
                return try store.set(key, v)
            } catch {
                if case .invalidConfig(let k, let reason) = error { throw ConfigError(key: k, reason: reason) }
                throw ConfigError(key: key, reason: error.description)
            }
        }
        return true
    }

    /// A configuration and the keys nobody knew.
    public struct Loaded: Sendable {
        public var config: BrokerConfig
        public var unknown: [PropertiesFile.Entry]
    }

    /// Applies every entry of `file` over the defaults.
    public static func load(_ file: PropertiesFile) throws(ConfigError) -> Loaded {
        var c = BrokerConfig()
        var unknown: [PropertiesFile.Entry] = []
        for e in file.entries {
            if try !c.set(e.key, e.value) { unknown.append(e) }
        }
        do {
            try c.store.validate()
        } catch {
            if case .invalidConfig(let k, let reason) = error { throw ConfigError(key: k, reason: reason) }
            throw ConfigError(key: "store", reason: error.description)
        }
        return Loaded(config: c, unknown: unknown)
    }

    /// `key=value` lines, for `mqbroker -p`.
    public var printable: [String] {
        [
            "brokerClusterName=\(brokerClusterName)", "brokerName=\(brokerName)", "brokerId=\(brokerId)",
            "namesrvAddr=\(namesrvAddr)", "listenPort=\(listenPort)", "brokerIP1=\(brokerIP1)", "bindAddress=\(bindAddress)",
            "autoCreateTopicEnable=\(autoCreateTopicEnable)", "defaultTopicQueueNums=\(defaultTopicQueueNums)",
            "brokerRole=\(brokerRole.rawValue)", "sendMessageThreadPoolNums=\(sendMessageThreadPoolNums)",
            "sendThreadPoolQueueCapacity=\(sendThreadPoolQueueCapacity)", "sendQueueMaxBytes=\(sendQueueMaxBytes)",
            "sendInlineWhenIdle=\(sendInlineWhenIdle)",
            "waitTimeMillsInSendQueue=\(waitTimeMillsInSendQueue)", "brokerFastFailureEnable=\(brokerFastFailureEnable)",
            "osPageCacheBusyTimeOutMills=\(store.osPageCacheBusyTimeOutMills)", "storePathRootDir=\(store.storePathRootDir)",
            "flushDiskType=\(store.flushDiskType.rawValue)", "maxMessageSize=\(store.maxMessageSize)",
        ]
    }
}
