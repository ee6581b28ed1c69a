import Protocol
import Remoting
import Synchronization

/// The NameServer's tables (RocketMQ 4.9.7 `RouteInfoManager`): which brokers
/// exist, which topics they serve, and when each last registered. Every
/// NameServer keeps its own; brokers register with all of them.
///
/// One lock guards all tables: every operation is a few dictionary updates,
/// and route look-ups must see a broker's registration whole.
public final class RouteInfoManager: Sendable {
    struct LiveInfo {
        var lastUpdate: ContinuousClock.Instant
        var timeout: Duration
        var dataVersion: DataVersion
        var connection: RemotingConnection?
        var haServerAddr: String
    }

    struct Tables {
        /// topic → broker name → queues
        var topicQueueTable: [String: [String: QueueData]] = [:]
        /// broker name → the group's addresses
        var brokerAddrTable: [String: BrokerData] = [:]
        /// cluster → broker names
        var clusterAddrTable: [String: Set<String>] = [:]
        /// broker address → liveness
        var brokerLiveTable: [String: LiveInfo] = [:]
        /// broker address → filter servers
        var filterServerTable: [String: [String]] = [:]
    }

    private let tables = Mutex(Tables())
    /// Expiry for brokers that do not state their own heartbeat timeout.
    let defaultExpiry: Duration

    public init(brokerChannelExpiredTime: Duration = .seconds(120)) {
        defaultExpiry = brokerChannelExpiredTime
    }

    /// What a registering slave learns about its master.
    public struct RegisterResult: Sendable, Equatable {
        public var haServerAddr: String?
        public var masterAddr: String?
    }

    /// REGISTER_BROKER: records the broker, its cluster and (for a master whose
    /// data version changed, or on first registration) its topics' queues.
    public func registerBroker(
        _ h: RegisterBrokerRequestHeader, topicConfig: TopicConfigSerializeWrapper?, filterServers: [String],
        connection: RemotingConnection?, now: ContinuousClock.Instant = .now
    ) -> RegisterResult {
        tables.withLock { t in
            t.clusterAddrTable[h.clusterName, default: []].insert(h.brokerName)
            var registerFirst = false
            var data = t.brokerAddrTable[h.brokerName] ?? {
                registerFirst = true
                return BrokerData(cluster: h.clusterName, brokerName: h.brokerName, brokerAddrs: [:])
            }()
            // The same address under another id (a slave turned master): keep only the new id.
            for (id, addr) in data.brokerAddrs where addr == h.brokerAddr && id != h.brokerId {
                data.brokerAddrs[id] = nil
            }
            let old = data.brokerAddrs.updateValue(h.brokerAddr, forKey: h.brokerId)
            registerFirst = registerFirst || old == nil
            t.brokerAddrTable[h.brokerName] = data

            if let topicConfig, h.brokerId == BrokerData.masterId {
                let changed = t.brokerLiveTable[h.brokerAddr]?.dataVersion != topicConfig.dataVersion
                if changed || registerFirst {
                    for (name, tc) in topicConfig.topicConfigTable {
                        t.topicQueueTable[name, default: [:]][h.brokerName] = QueueData(
                            brokerName: h.brokerName, readQueueNums: tc.readQueueNums, writeQueueNums: tc.writeQueueNums,
                            perm: tc.perm, topicSysFlag: tc.topicSysFlag)
                    }
                }
            }
            let timeout = h.heartbeatTimeoutMillis.map { Duration.milliseconds($0) } ?? defaultExpiry
            t.brokerLiveTable[h.brokerAddr] = LiveInfo(
                lastUpdate: now, timeout: timeout,
                dataVersion: topicConfig?.dataVersion ?? t.brokerLiveTable[h.brokerAddr]?.dataVersion ?? DataVersion(timestamp: 0),
                connection: connection, haServerAddr: h.haServerAddr)
            if filterServers.isEmpty {
                t.filterServerTable[h.brokerAddr] = nil
            } else {
                t.filterServerTable[h.brokerAddr] = filterServers
            }
            var result = RegisterResult()
            if h.brokerId != BrokerData.masterId, let master = data.brokerAddrs[BrokerData.masterId],
                let live = t.brokerLiveTable[master]
            {
                result.haServerAddr = live.haServerAddr
                result.masterAddr = master
            }
            return result
        }
    }

    /// UNREGISTER_BROKER: drops one broker of a group; the group and its
    /// topics' queues go when its last broker does.
    public func unregisterBroker(clusterName: String, brokerAddr: String, brokerName: String, brokerId: Int64) {
        tables.withLock { t in
            t.brokerLiveTable[brokerAddr] = nil
            t.filterServerTable[brokerAddr] = nil
            guard var data = t.brokerAddrTable[brokerName] else { return }
            data.brokerAddrs[brokerId] = nil
            if data.brokerAddrs.isEmpty {
                Self.removeBrokerName(brokerName, cluster: clusterName, from: &t)
            } else {
                t.brokerAddrTable[brokerName] = data
            }
        }
    }

    /// A broker's connection closed (or failed): drop every entry for its address.
    public func connectionClosed(_ connection: RemotingConnection) {
        tables.withLock { t in
            guard let addr = t.brokerLiveTable.first(where: { $0.value.connection === connection })?.key else { return }
            Self.removeAddress(addr, from: &t)
        }
    }

    /// Drops brokers whose last registration is older than their timeout;
    /// returns their addresses and connections (the caller closes those).
    @discardableResult
    public func scanNotActiveBrokers(now: ContinuousClock.Instant = .now) -> [(String, RemotingConnection?)] {
        tables.withLock { t in
            let expired = t.brokerLiveTable.filter { now - $0.value.lastUpdate > $0.value.timeout }
            for addr in expired.keys { Self.removeAddress(addr, from: &t) }
            return expired.map { ($0.key, $0.value.connection) }
        }
    }

    private static func removeAddress(_ addr: String, from t: inout Tables) {
        t.brokerLiveTable[addr] = nil
        t.filterServerTable[addr] = nil
        for (name, var data) in t.brokerAddrTable where data.brokerAddrs.values.contains(addr) {
            data.brokerAddrs = data.brokerAddrs.filter { $0.value != addr }
            if data.brokerAddrs.isEmpty {
                removeBrokerName(name, cluster: data.cluster, from: &t)
            } else {
                t.brokerAddrTable[name] = data
            }
        }
    }

    private static func removeBrokerName(_ name: String, cluster: String, from t: inout Tables) {
        t.brokerAddrTable[name] = nil
        for c in t.clusterAddrTable.keys where t.clusterAddrTable[c]?.contains(name) == true {
            t.clusterAddrTable[c]?.remove(name)
            if t.clusterAddrTable[c]?.isEmpty == true { t.clusterAddrTable[c] = nil }
        }
        for topic in Array(t.topicQueueTable.keys) {
            t.topicQueueTable[topic]?[name] = nil
            if t.topicQueueTable[topic]?.isEmpty == true { t.topicQueueTable[topic] = nil }
        }
    }

    /// GET_ROUTEINFO_BY_TOPIC: the topic's queues and the brokers serving them,
    /// or nil when no live broker serves it.
    public func route(topic: String) -> TopicRouteData? {
        tables.withLock { t in
            guard let queues = t.topicQueueTable[topic], !queues.isEmpty else { return nil }
            var brokers: [BrokerData] = []
            var filters: [String: [String]] = [:]
            for name in queues.keys.sorted() {
                guard let data = t.brokerAddrTable[name] else { continue }
                brokers.append(data)
                for addr in data.brokerAddrs.values {
                    if let f = t.filterServerTable[addr] { filters[addr] = f }
                }
            }
            guard !brokers.isEmpty else { return nil }
            return TopicRouteData(
                queueDatas: queues.keys.sorted().compactMap { queues[$0] }, brokerDatas: brokers,
                filterServerTable: filters)
        }
    }

    /// GET_BROKER_CLUSTER_INFO.
    public var clusterInfo: ClusterInfo {
        tables.withLock { t in
            ClusterInfo(brokerAddrTable: t.brokerAddrTable, clusterAddrTable: t.clusterAddrTable.mapValues { $0.sorted() })
        }
    }

    /// GET_ALL_TOPIC_LIST_FROM_NAMESERVER.
    public var topics: [String] { tables.withLock { $0.topicQueueTable.keys.sorted() } }

    /// GET_TOPICS_BY_CLUSTER: topics with queues on a broker of `cluster`.
    public func topics(inCluster cluster: String) -> [String] {
        tables.withLock { t in
            let names = t.clusterAddrTable[cluster] ?? []
            return t.topicQueueTable.filter { !names.isDisjoint(with: $0.value.keys) }.keys.sorted()
        }
    }

    /// DELETE_TOPIC_IN_NAMESRV: removes the topic, or only its queues on
    /// brokers of `cluster` when given (5.x).
    public func deleteTopic(_ topic: String, cluster: String? = nil) {
        tables.withLock { t in
            guard let cluster else {
                t.topicQueueTable[topic] = nil
                return
            }
            for name in t.clusterAddrTable[cluster] ?? [] { t.topicQueueTable[topic]?[name] = nil }
            if t.topicQueueTable[topic]?.isEmpty == true { t.topicQueueTable[topic] = nil }
        }
    }

    /// The addresses of live brokers.
    public var liveBrokers: [String] { tables.withLock { $0.brokerLiveTable.keys.sorted() } }
}

/// The NameServer's key/value store (RocketMQ `KVConfigManager`), by namespace.
/// Clients read `ORDER_TOPIC_CONFIG` at start; in memory only (RocketMQ keeps
/// it in kvConfig.json, which this port does not write).
public final class KVConfigManager: Sendable {
    private let table = Mutex<[String: [String: String]]>([:])

    public init() {}

    public func put(namespace: String, key: String, value: String) {
        table.withLock { $0[namespace, default: [:]][key] = value }
    }

    public func get(namespace: String, key: String) -> String? {
        table.withLock { $0[namespace]?[key] }
    }

    public func delete(namespace: String, key: String) {
        table.withLock { t in
            t[namespace]?[key] = nil
            if t[namespace]?.isEmpty == true { t[namespace] = nil }
        }
    }

    public func list(namespace: String) -> [String: String]? {
        table.withLock { $0[namespace] }
    }
}
