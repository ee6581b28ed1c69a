import Logging
import Protocol
import Remoting

/// The administration a load generator needs before it sends: create topics
/// on the brokers (RocketMQ `MQAdmin.createTopic`), wait until the NameServers
/// publish them, and read queue offsets.
public final class TopicAdmin: Sendable {
    let core: ClientCore

    public init(options: ClientOptions, logger: Logger = Logger(label: "peakmq.admin")) {
        core = ClientCore(options: options, logger: logger)
    }

    /// Closes the connections.
    public func shutdown() async { await core.close() }

    /// The master addresses of every broker the NameServers know (GET_BROKER_CLUSTER_INFO).
    public func masterAddresses() async throws(ClientError) -> [String] {
        var lastError = ClientError.nameServerUnavailable("no NameServer address configured")
        for address in core.options.nameServers {
            do throws(ClientError) {
                let response = try await core.invoke(core.request(.getBrokerClusterInfo, header: EmptyHeader()), to: address).require()
                let info: ClusterInfo
                do { info = try ClusterInfo(bodyOf: response) } catch { throw ClientError(error) }
                return info.brokerAddrTable.values.compactMap(\.masterAddress).sorted()
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Creates (or updates) `topic` with `queueNums` read and write queues on
    /// every master broker (UPDATE_AND_CREATE_TOPIC), then waits up to
    /// `timeout` until a NameServer route shows that many writable queues on each.
    /// - Returns: the broker addresses the topic was created on.
    @discardableResult
    public func createTopic(_ topic: String, queueNums: Int32, timeout: Duration = .seconds(30)) async throws(ClientError) -> [String] {
        try TopicValidator.check(topic)
        let masters = try await masterAddresses()
        guard !masters.isEmpty else { throw .brokerNotFound("no master broker is registered with the NameServers") }
        let header = CreateTopicRequestHeader(topic: topic, defaultTopic: SendMessageRequestHeader.defaultTopicName,
                                              readQueueNums: queueNums, writeQueueNums: queueNums,
                                              perm: Perm.readWrite.rawValue, topicFilterType: "SINGLE_TAG")
        for address in masters {
            _ = try await core.invoke(core.request(.updateAndCreateTopic, header: header), to: address).require()
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            if let route = try? await core.routes.refresh(topic) {
                let writable = route.queueDatas.filter { Perm(rawValue: $0.perm).isWriteable && $0.writeQueueNums == queueNums }
                if writable.count >= masters.count { return masters }
            }
            guard ContinuousClock.now < deadline else {
                throw .timeout("the NameServers did not publish topic \(topic) within \(timeout)")
            }
            do { try await Task.sleep(for: .milliseconds(100)) } catch { throw .illegalState("cancelled") }
        }
    }

    /// A queue, the address of its master broker and an offset in it.
    public struct QueueOffset: Sendable, Hashable {
        public var queue: MessageQueue
        public var brokerAddress: String
        public var offset: Int64
    }

    /// The offset after the last message of each readable queue of `topic` (GET_MAX_OFFSET).
    public func maxOffsets(_ topic: String) async throws(ClientError) -> [QueueOffset] {
        var result: [QueueOffset] = []
        for q in try await core.subscribableQueues(topic, refresh: true) {
            let address = try await core.masterAddress(q.brokerName, topic: topic)
            result.append(QueueOffset(queue: q, brokerAddress: address, offset: try await core.queueOffset(q, max: true)))
        }
        return result
    }

    /// Stores `offset` as `group`'s consumed offset of `queue` (UPDATE_CONSUMER_OFFSET),
    /// so that a clustering consumer of the group starts there.
    public func commitOffset(group: String, queue: MessageQueue, offset: Int64) async throws(ClientError) {
        try await core.updateConsumerOffset(group: group, queue: queue, offset: offset)
    }
}
