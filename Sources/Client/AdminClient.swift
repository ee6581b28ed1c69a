import Logging
import MessageFormat
import NIOCore
import Protocol
import Remoting

/// Administration requests (RocketMQ `DefaultMQAdminExt`): the cluster map,
/// topic lists and routes from the NameServers; topic creation and deletion,
/// offsets, consumer progress and runtime figures from the brokers; message
/// look-ups by id and by key. What `mqadmin` is built on.
///
/// ```swift
/// let admin = AdminClient(options: ClientOptions(nameServerList: "127.0.0.1:9876"))
/// let stats = try await admin.topicStats("T")
/// await admin.shutdown()
/// ```
public final class AdminClient: Sendable {
    let core: ClientCore

    public init(options: ClientOptions, logger: Logger = Logger(label: "peakmq.admin")) {
        core = ClientCore(options: options, logger: logger)
    }

    /// Closes the connections.
    public func shutdown() async { await core.close() }

    // MARK: NameServer

    /// Sends `request` to the NameServers in turn until one answers (whatever its code).
    func invokeNameServer(_ request: RemotingCommand) async throws(ClientError) -> RemotingCommand {
        let servers = core.options.nameServers
        guard !servers.isEmpty else { throw .nameServerUnavailable("no NameServer address configured") }
        var lastError = ClientError.nameServerUnavailable("no NameServer answered")
        for address in servers {
            do { return try await core.invoke(request, to: address) } catch {
                lastError = .nameServerUnavailable("\(address): \(error)")
            }
        }
        throw lastError
    }

    /// GET_BROKER_CLUSTER_INFO: clusters, their broker groups and addresses.
    public func clusterInfo() async throws(ClientError) -> ClusterInfo {
        let response = try await invokeNameServer(core.request(.getBrokerClusterInfo, header: EmptyHeader())).require()
        do { return try ClusterInfo(bodyOf: response) } catch { throw ClientError(error) }
    }

    /// GET_ALL_TOPIC_LIST_FROM_NAMESERVER, sorted.
    public func topicList() async throws(ClientError) -> [String] {
        let response = try await invokeNameServer(core.request(.getAllTopicListFromNameServer, header: EmptyHeader())).require()
        do { return try TopicList(bodyOf: response).topicList.sorted() } catch { throw ClientError(error) }
    }

    /// GET_ROUTEINFO_BY_TOPIC. - Throws: ``ClientError/routeNotFound(topic:remark:)`` for an unknown topic.
    public func topicRoute(_ topic: String) async throws(ClientError) -> TopicRouteData {
        try await core.routes.refresh(topic)
    }

    /// DELETE_TOPIC_IN_NAMESRV on every NameServer (`cluster`: only that cluster's queues).
    /// - Returns: the NameServers that accepted.
    public func deleteTopicInNameServers(_ topic: String, cluster: String? = nil) async throws(ClientError) -> [String] {
        var done: [String] = []
        for address in core.options.nameServers {
            let h = DeleteTopicFromNamesrvRequestHeader(topic: topic, clusterName: cluster)
            _ = try await core.invoke(core.request(.deleteTopicInNameServer, header: h), to: address).require()
            done.append(address)
        }
        return done
    }

    /// The master of every broker group, by broker name; only `cluster`'s when given.
    /// - Throws: ``ClientError/illegalState(_:)`` naming the known clusters when `cluster` is unknown.
    public func masters(cluster: String? = nil) async throws(ClientError) -> [(brokerName: String, address: String)] {
        let info = try await clusterInfo()
        var names = Array(info.brokerAddrTable.keys)
        if let cluster {
            guard let members = info.clusterAddrTable[cluster] else {
                let known = info.clusterAddrTable.keys.sorted().joined(separator: ", ")
                throw .illegalState("cluster '\(cluster)' not found (known: \(known.isEmpty ? "none" : known))")
            }
            names = members
        }
        return names.sorted().compactMap { n in info.brokerAddrTable[n]?.masterAddress.map { (n, $0) } }
    }

    /// The masters serving `topic`, from its route.
    func masters(of route: TopicRouteData) -> [(brokerName: String, address: String)] {
        route.brokerDatas.sorted { $0.brokerName < $1.brokerName }.compactMap { b in b.masterAddress.map { (b.brokerName, $0) } }
    }

    // MARK: brokers

    /// GET_BROKER_RUNTIME_INFO of the broker at `address`.
    public func brokerRuntimeInfo(_ address: String) async throws(ClientError) -> [String: String] {
        let response = try await core.invoke(core.request(.getBrokerRuntimeInfo, header: EmptyHeader()), to: address).require()
        do { return try KVTable(bodyOf: response).table } catch { throw ClientError(error) }
    }

    /// UPDATE_AND_CREATE_TOPIC on the broker at `address`.
    public func createTopic(_ config: TopicConfig, brokerAddress address: String) async throws(ClientError) {
        try TopicValidator.check(config.topicName)
        let h = CreateTopicRequestHeader(
            topic: config.topicName, defaultTopic: SendMessageRequestHeader.defaultTopicName,
            readQueueNums: config.readQueueNums, writeQueueNums: config.writeQueueNums, perm: config.perm,
            topicFilterType: config.topicFilterType, topicSysFlag: config.topicSysFlag, order: config.order)
        _ = try await core.invoke(core.request(.updateAndCreateTopic, header: h), to: address).require()
    }

    /// UPDATE_CONSUMER_OFFSET: stores `offset` as `group`'s consumed offset of
    /// `queue`, so that a clustering consumer of the group starts there.
    public func commitConsumerOffset(group: String, queue: MessageQueue, offset: Int64) async throws(ClientError) {
        try await core.updateConsumerOffset(group: group, queue: queue, offset: offset)
    }

    /// DELETE_TOPIC_IN_BROKER on the broker at `address`.
    public func deleteTopicInBroker(_ topic: String, brokerAddress address: String) async throws(ClientError) {
        _ = try await core.invoke(core.request(.deleteTopicInBroker, header: DeleteTopicRequestHeader(topic: topic)), to: address)
            .require()
    }

    /// GET_TOPIC_STATS_INFO from every master serving `topic`, merged.
    public func topicStats(_ topic: String) async throws(ClientError) -> TopicStatsTable {
        let route = try await topicRoute(topic)
        var table: [MessageQueue: TopicOffset] = [:]
        for (_, address) in masters(of: route) {
            let request = core.request(.getTopicStatsInfo, header: GetTopicStatsInfoRequestHeader(topic: topic))
            let response = try await core.invoke(request, to: address)
            // A broker in the route that lost the topic since its last registration.
            if response.responseCode == .topicNotExist { continue }
            let body = try response.require()
            do { table.merge(try TopicStatsTable(bodyOf: body).offsetTable) { $1 } } catch { throw ClientError(error) }
        }
        return TopicStatsTable(offsetTable: table)
    }

    /// GET_CONSUME_STATS of `group` (on `topic`, or every topic it consumed) from
    /// the masters serving `topic`, or every master when no topic is given, merged.
    public func consumeStats(group: String, topic: String? = nil) async throws(ClientError) -> ConsumeStats {
        let brokers = if let topic { masters(of: try await topicRoute(topic)) } else { try await masters() }
        var merged = ConsumeStats(offsetTable: [:])
        for (_, address) in brokers {
            let h = GetConsumeStatsRequestHeader(consumerGroup: group, topic: topic)
            let response = try await core.invoke(core.request(.getConsumeStats, header: h), to: address).require()
            do {
                let s = try ConsumeStats(bodyOf: response)
                merged.offsetTable.merge(s.offsetTable) { $1 }
                merged.consumeTps += s.consumeTps
            } catch { throw ClientError(error) }
        }
        return merged
    }

    // MARK: messages

    /// VIEW_MESSAGE_BY_ID: the message an offsetMsgId names (store address + commitlog offset).
    /// - Throws: ``ClientError/illegalMessage(_:)`` when `offsetMsgId` is not one.
    public func viewMessage(offsetMsgId: String) async throws(ClientError) -> StoredMessage {
        guard let (host, offset) = MessageID.decodeOffsetMessageId(offsetMsgId) else {
            throw .illegalMessage("'\(offsetMsgId)' is not an offset message id")
        }
        let h = ViewMessageRequestHeader(offset: offset)
        let response = try await core.invoke(core.request(.viewMessageById, header: h), to: host.description).require()
        guard let body = response.body else { throw .malformedResponse("VIEW_MESSAGE_BY_ID answered without a body") }
        let messages: [StoredMessage]
        do { messages = try PulledMessages.decode(body) } catch { throw ClientError(error) }
        guard let m = messages.first else { throw .malformedResponse("VIEW_MESSAGE_BY_ID answered with an empty body") }
        return m
    }

    /// QUERY_MESSAGE: messages of `topic` whose key (KEYS or UNIQ_KEY) is `key`,
    /// stored within `[begin, end]` ms, from every master serving the topic.
    public func queryMessages(topic: String, key: String, maxNum: Int32 = 64, begin: Int64 = 0,
                              end: Int64 = Int64.max) async throws(ClientError) -> [StoredMessage] {
        let route = try await topicRoute(topic)
        var found: [StoredMessage] = []
        for (_, address) in masters(of: route) {
            let h = QueryMessageRequestHeader(topic: topic, key: key, maxNum: maxNum, beginTimestamp: begin, endTimestamp: end)
            let response = try await core.invoke(core.request(.queryMessage, header: h), to: address)
            if response.responseCode == .queryNotFound { continue }
            guard let body = try response.require().body else { continue }
            do { found += try PulledMessages.decode(body) } catch { throw ClientError(error) }
        }
        return found.sorted { ($0.storeTimestamp, $0.physicalOffset) < ($1.storeTimestamp, $1.physicalOffset) }
    }
}
