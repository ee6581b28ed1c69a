import Protocol
import Remoting
import Synchronization

/// Producers and consumers known from HEART_BEAT, per connection (RocketMQ's
/// `ProducerManager` and `ConsumerManager` in one table). A connection's
/// registrations go when it closes or sends UNREGISTER_CLIENT.
public final class ClientManager: Sendable {
    struct Registration {
        var clientID: String
        var producerGroups: Set<String> = []
        var consumers: [String: ConsumerData] = [:]
    }

    private let table = Mutex<[ObjectIdentifier: Registration]>([:])

    public init() {}

    /// Records a heartbeat's groups for `connection` (replacing the previous ones).
    public func heartbeat(_ data: HeartbeatData, connection: RemotingConnection) {
        var r = Registration(clientID: data.clientID)
        r.producerGroups = Set(data.producerDataSet.map(\.groupName))
        for c in data.consumerDataSet { r.consumers[c.groupName] = c }
        table.withLock { $0[ObjectIdentifier(connection)] = r }
    }

    /// UNREGISTER_CLIENT: removes the named groups of `connection`.
    public func unregister(producerGroup: String?, consumerGroup: String?, connection: RemotingConnection) {
        table.withLock { t in
            let id = ObjectIdentifier(connection)
            guard var r = t[id] else { return }
            if let p = producerGroup { r.producerGroups.remove(p) }
            if let c = consumerGroup { r.consumers[c] = nil }
            t[id] = r.producerGroups.isEmpty && r.consumers.isEmpty ? nil : r
        }
    }

    /// The connection closed.
    public func connectionClosed(_ connection: RemotingConnection) {
        _ = table.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Client ids of the consumers of `group`, sorted.
    public func consumerIDs(group: String) -> [String] {
        table.withLock { t in t.values.filter { $0.consumers[group] != nil }.map(\.clientID) }.sorted()
    }

    /// Whether some connection has `group` as a producer group.
    public func hasProducer(group: String) -> Bool {
        table.withLock { t in t.values.contains { $0.producerGroups.contains(group) } }
    }
}
