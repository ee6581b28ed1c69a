import Foundation
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
