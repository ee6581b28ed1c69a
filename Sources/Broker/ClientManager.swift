import Protocol
import Remoting
import Synchronization

/// Producers and consumers known from HEART_BEAT, per connection (RocketMQ's
/// `ProducerManager` and `ConsumerManager` in one table). A connection's
/// registrations go when it closes (the server closes connections idle for
/// 120 s, which is RocketMQ's channel expiry) or sends UNREGISTER_CLIENT.
///
/// The mutating calls return the consumer groups whose membership changed, so
/// the broker can send NOTIFY_CONSUMER_IDS_CHANGED to their members.
public final class ClientManager: Sendable {
    struct Registration {
        var connection: RemotingConnection
        var clientID: String
        var producerGroups: Set<String> = []
        var consumers: [String: ConsumerData] = [:]
    }

    private let table = Mutex<[ObjectIdentifier: Registration]>([:])

    public init() {}

    /// Records a heartbeat's groups for `connection` (replacing the previous ones).
    @discardableResult
    public func heartbeat(_ data: HeartbeatData, connection: RemotingConnection) -> Set<String> {
        var r = Registration(connection: connection, clientID: data.clientID)
        r.producerGroups = Set(data.producerDataSet.map(\.groupName))
        for c in data.consumerDataSet { r.consumers[c.groupName] = c }
        let before = table.withLock { t in
            let old = t[ObjectIdentifier(connection)]
            t[ObjectIdentifier(connection)] = r
            return old
        }
        let now = Set(r.consumers.keys)
        let was = Set(before?.consumers.keys ?? [:].keys)
        return before?.clientID == r.clientID ? now.symmetricDifference(was) : now.union(was)
    }

    /// UNREGISTER_CLIENT: removes the named groups of `connection`.
    @discardableResult
    public func unregister(producerGroup: String?, consumerGroup: String?, connection: RemotingConnection) -> Set<String> {
        table.withLock { t in
            let id = ObjectIdentifier(connection)
            guard var r = t[id] else { return [] }
            if let p = producerGroup { r.producerGroups.remove(p) }
            var changed: Set<String> = []
            if let c = consumerGroup, r.consumers.removeValue(forKey: c) != nil { changed.insert(c) }
            t[id] = r.producerGroups.isEmpty && r.consumers.isEmpty ? nil : r
            return changed
        }
    }

    /// The connection closed. - Returns: the consumer groups it was in.
    @discardableResult
    public func connectionClosed(_ connection: RemotingConnection) -> Set<String> {
        let r = table.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
        return Set(r?.consumers.keys ?? [:].keys)
    }

    /// Client ids of the consumers of `group`, sorted.
    public func consumerIDs(group: String) -> [String] {
        table.withLock { t in t.values.filter { $0.consumers[group] != nil }.map(\.clientID) }.sorted()
    }

    /// The connections of the consumers of `group`.
    public func consumerConnections(group: String) -> [RemotingConnection] {
        table.withLock { t in t.values.filter { $0.consumers[group] != nil }.map(\.connection) }
    }

    /// Whether some connection has `group` as a producer group.
    public func hasProducer(group: String) -> Bool {
        table.withLock { t in t.values.contains { $0.producerGroups.contains(group) } }
    }

    /// Sends NOTIFY_CONSUMER_IDS_CHANGED (one-way) to every member of each group.
    func notifyChanged(_ groups: Set<String>) {
        for g in groups {
            let request = RemotingCommand.request(.notifyConsumerIdsChanged, header: ConsumerGroupHeader(consumerGroup: g),
                                                  opaque: 0, oneway: true)
            for c in consumerConnections(group: g) where c.isActive {
                Task { try? await c.invokeOneway(request) }
            }
        }
    }
}
