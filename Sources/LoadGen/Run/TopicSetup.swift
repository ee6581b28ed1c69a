import Client
import MessageFormat
import Profiles
import Protocol

/// Makes a profile's topics ready before load: created with the profile's
/// queue count on every master (UPDATE_AND_CREATE_TOPIC), published by the
/// NameServers, and where this run's messages start in each queue noted, so
/// that a reused store or cluster does not count older messages.
public struct TopicSetup: Sendable {
    public let admin: AdminClient

    public init(admin: AdminClient) { self.admin = admin }

    /// Creates `topic` on every master and waits until a NameServer route shows
    /// `queues` writable queues on each. - Returns: the masters' addresses.
    @discardableResult
    public func create(_ topic: String, queues: Int32, timeout: Duration = .seconds(30)) async throws -> [String] {
        let masters = try await admin.masters().map(\.address)
        guard !masters.isEmpty else { throw RunError("no master broker is registered with the NameServers") }
        for address in masters {
            try await admin.createTopic(TopicConfig(topicName: topic, readQueueNums: queues, writeQueueNums: queues),
                                        brokerAddress: address)
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            if let route = try? await admin.topicRoute(topic) {
                let writable = route.queueDatas.filter { Perm(rawValue: $0.perm).isWriteable && $0.writeQueueNums == queues }
                if writable.count >= masters.count { return masters }
            }
            guard ContinuousClock.now < deadline else {
                throw RunError("the NameServers did not publish topic \(topic) within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A queue, its master's address and the offset after its last message.
    public struct QueueEnd: Sendable {
        public var queue: MessageQueue
        public var brokerAddress: String
        public var offset: Int64
    }

    /// Where each queue of `topic` ends now (GET_TOPIC_STATS_INFO).
    public func ends(_ topic: String) async throws -> [QueueEnd] {
        let route = try await admin.topicRoute(topic)
        var addresses: [String: String] = [:]
        for b in route.brokerDatas { addresses[b.brokerName] = b.masterAddress }
        return try await admin.topicStats(topic).offsetTable.compactMap { q, o in
            addresses[q.brokerName].map { QueueEnd(queue: q, brokerAddress: $0, offset: o.maxOffset) }
        }.sorted { $0.queue < $1.queue }
    }

    /// Creates every topic of `profile` and returns where this run starts in each
    /// non-empty queue; the profile's clustering groups get those offsets committed.
    public func prepare(_ profile: Profile) async throws -> [ConsumerFleet.QueueKey: Int64] {
        var starts: [ConsumerFleet.QueueKey: Int64] = [:]
        for t in profile.topics.names {
            try await create(t, queues: Int32(profile.topics.queuesPerTopic))
            for end in try await ends(t) where end.offset > 0 {
                guard let host = HostAddress(parsing: end.brokerAddress) else { continue }
                starts[ConsumerFleet.QueueKey(topic: t, queueId: end.queue.queueId, storeHost: host)] = end.offset
                for g in profile.consumers where g.model == .clustering {
                    try await admin.commitConsumerOffset(group: g.name, queue: end.queue, offset: end.offset)
                }
            }
        }
        return starts
    }
}
