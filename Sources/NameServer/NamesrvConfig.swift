import Config

/// The NameServer's settings, named as RocketMQ's `NamesrvConfig` and
/// `NettyServerConfig` so a namesrv.conf written for RocketMQ means the same here.
public struct NamesrvConfig: Sendable, Equatable {
    /// `listenPort` (9876). 0 = an ephemeral port (reported at start).
    public var listenPort = 9876
    /// `bindAddress` (RocketMQ 5.x's key; 0.0.0.0).
    public var bindAddress = "0.0.0.0"
    /// `scanNotActiveBrokerInterval`, ms: how often expired brokers are swept (10,000, as 4.9.7's fixed rate).
    public var scanNotActiveBrokerInterval = 10_000
    /// `brokerChannelExpiredTime`, ms: a broker not registered for this long is
    /// dropped (RocketMQ's constant BROKER_CHANNEL_EXPIRED_TIME, 120,000). A
    /// broker's own `heartbeatTimeoutMillis` (5.x brokers send it) wins.
    public var brokerChannelExpiredTime = 120_000
    /// `serverChannelMaxIdleTimeSeconds` (120).
    public var serverChannelMaxIdleTimeSeconds = 120
    /// `orderMessageEnable`: answer routes with `orderTopicConf` from the KV config (false).
    public var orderMessageEnable = false
    /// `serverWorkerThreads` (8): here the number of event-loop threads, at most the core count.
    public var serverWorkerThreads = 8

    public init() {}

    /// Keys RocketMQ's namesrv accepts that have no meaning here; accepted
    /// silently so a RocketMQ namesrv.conf loads unchanged.
    static let acceptedIgnored: Set<String> = [
        "rocketmqHome", "kvConfigPath", "configStorePath", "productEnvName", "clusterTest",
        "serverCallbackExecutorThreads", "serverSelectorThreads", "serverOnewaySemaphoreValue",
        "serverAsyncSemaphoreValue", "serverSocketSndBufSize", "serverSocketRcvBufSize",
        "serverPooledByteBufAllocatorEnable", "useEpollNativeSelector", "defaultThreadPoolNums",
        "clientRequestThreadPoolNums", "clientRequestThreadPoolQueueCapacity",
        "defaultThreadPoolQueueCapacity",
    ]

    /// Sets one key. Returns false for a key that is not a NameServer key.
    /// - Throws: ``ConfigError`` naming the key and why its value is refused.
    public mutating func set(_ key: String, _ value: String) throws(ConfigError) -> Bool {
        func int(_ range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let v = Int(value) else { throw ConfigError(key: key, reason: "'\(value)' is not a whole number") }
            guard range.contains(v) else {
                throw ConfigError(key: key, reason: "\(v) is outside \(range.lowerBound)…\(range.upperBound)")
            }
            return v
        }
        switch key {
        case "listenPort": listenPort = try int(0...65535)
        case "bindAddress":
            guard !value.isEmpty else { throw ConfigError(key: key, reason: "empty address") }
            bindAddress = value
        case "scanNotActiveBrokerInterval": scanNotActiveBrokerInterval = try int(10...3_600_000)
        case "brokerChannelExpiredTime": brokerChannelExpiredTime = try int(100...86_400_000)
        case "serverChannelMaxIdleTimeSeconds": serverChannelMaxIdleTimeSeconds = try int(0...86_400)
        case "serverWorkerThreads": serverWorkerThreads = try int(1...1024)
        case "orderMessageEnable":
            switch value {
            case "true": orderMessageEnable = true
            case "false": orderMessageEnable = false
            default: throw ConfigError(key: key, reason: "'\(value)' is not true or false")
            }
        default:
            return Self.acceptedIgnored.contains(key)
        }
        return true
    }

    /// Builds a config from a properties file; returns the unknown keys for warnings.
    public static func load(_ file: PropertiesFile) throws(ConfigError) -> (NamesrvConfig, unknown: [PropertiesFile.Entry]) {
        var c = NamesrvConfig()
        var unknown: [PropertiesFile.Entry] = []
        for e in file.entries {
            do {
                if try !c.set(e.key, e.value) { unknown.append(e) }
            } catch {
                throw ConfigError(key: error.key, reason: "\(file.path):\(e.line): \(error.reason)")
            }
        }
        return (c, unknown)
    }

    /// `key=value` lines, as `mqnamesrv -p` prints them.
    public var printed: String {
        [
            "bindAddress=\(bindAddress)", "brokerChannelExpiredTime=\(brokerChannelExpiredTime)",
            "listenPort=\(listenPort)", "orderMessageEnable=\(orderMessageEnable)",
            "scanNotActiveBrokerInterval=\(scanNotActiveBrokerInterval)",
            "serverChannelMaxIdleTimeSeconds=\(serverChannelMaxIdleTimeSeconds)",
            "serverWorkerThreads=\(serverWorkerThreads)",
        ].joined(separator: "\n")
    }
}
