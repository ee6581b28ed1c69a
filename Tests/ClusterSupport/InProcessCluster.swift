import Broker
import Client
import Foundation
import Logging
import NameServer
import TestSupport

/// A real NameServer and a broker registered with it, in this process on
/// 127.0.0.1 (ephemeral ports), with small store files in a temporary directory:
/// the cluster the tool and load-generator tests run against.
public struct InProcessCluster: Sendable {
    public let dir: TempDir
    public let nameServer: NameServer
    public let broker: Broker
    /// host:port of the NameServer, for `-n` and `ClientOptions`.
    public let nameServerAddress: String
    public let brokerAddress: String

    /// Starts both and returns once the NameServer lists the broker as live.
    /// - Parameters:
    ///   - name: prefix of the store's temporary directory.
    ///   - configure: changes to the broker's configuration (after the defaults here).
    public static func start(_ name: String, configure: (inout BrokerConfig) -> Void = { _ in }) async throws -> InProcessCluster {
        var logger = Logger(label: "test.cluster")
        logger.logLevel = .critical
        var nc = NamesrvConfig()
        nc.listenPort = 0
        nc.bindAddress = "127.0.0.1"
        nc.serverWorkerThreads = 1
        let ns = NameServer(config: nc, logger: logger)
        let nsAddress = "127.0.0.1:\(try await ns.start())"
        let dir = TempDir(name)
        var c = BrokerConfig()
        c.listenPort = 0
        c.bindAddress = "127.0.0.1"
        c.namesrvAddrs = [nsAddress]
        c.store.storePathRootDir = dir.path
        c.store.mappedFileSizeCommitLog = 16 << 20
        c.store.mappedFileSizeConsumeQueue = 1000 * 20
        c.store.maxHashSlotNum = 1024
        c.store.maxIndexNum = 4096
        configure(&c)
        let broker = try Broker(config: c, logger: logger)
        let port = try await broker.start()
        let cluster = InProcessCluster(dir: dir, nameServer: ns, broker: broker, nameServerAddress: nsAddress,
                                       brokerAddress: "127.0.0.1:\(port)")
        try await waitUntil(timeout: .seconds(30)) { ns.routes.liveBrokers.contains(cluster.brokerAddress) }
        return cluster
    }

    public var options: ClientOptions { ClientOptions(nameServers: [nameServerAddress]) }

    /// Waits until the NameServer routes `topic` (the broker re-registers when its topics change).
    public func waitForRoute(_ topic: String) async throws {
        try await waitUntil(timeout: .seconds(30)) { nameServer.routes.route(topic: topic) != nil }
    }

    public func stop() async {
        await broker.shutdown()
        await nameServer.shutdown()
        dir.cleanup()
    }
}
