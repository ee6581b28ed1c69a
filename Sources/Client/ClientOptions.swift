import Foundation
import NIOCore
import Protocol

/// Settings shared by producers and consumers.
public struct ClientOptions: Sendable {
    /// NameServer addresses, `host:port` each.
    public var nameServers: [String]
    /// Identifies this client to brokers (RocketMQ `ip@instanceName`); unique per instance by default.
    public var clientID: String
    /// Timeout of NameServer and broker administration requests.
    public var requestTimeout: Duration = .seconds(3)
    /// How often routes of used topics are refreshed (RocketMQ pollNameServerInterval 30 s).
    public var routeRefreshInterval: Duration = .seconds(30)
    /// Header serialisation of requests (RocketMQ binary by default).
    public var serializeType: SerializeType = .rocketMQ
    /// Event loops the client's connections run on; nil = a one-thread group of
    /// its own (as RocketMQ's client). Many clients in one process (a load
    /// generator) share one group so that their I/O does not need a thread each.
    public var eventLoopGroup: (any EventLoopGroup)?
    /// Where the client's own tasks (sends in flight, pull loops, consumer tasks,
    /// timers) prefer to run; nil = Swift's global concurrent executor. A load
    /// generator passes an executor on the connection's event loop, so that
    /// responses continue on the thread that read them.
    public var taskExecutor: (any TaskExecutor)?

    public init(nameServers: [String], clientID: String? = nil) {
        self.nameServers = nameServers
        self.clientID = clientID ?? "127.0.0.1@\(getpid())#\(UUID().uuidString.prefix(8))"
    }

    /// Parses RocketMQ's `host:port;host:port` form.
    public init(nameServerList: String, clientID: String? = nil) {
        self.init(nameServers: nameServerList.split(separator: ";").map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }, clientID: clientID)
    }
}
