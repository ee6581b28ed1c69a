import Broker
import Client
import Foundation
import Logging
import NameServer
import TestSupport

/// A real NameServer and broker in this process on 127.0.0.1 (ephemeral ports),
/// with small store files.
struct InProcessCluster {
    let dir: TempDir
    let nameServer: NameServer
    let broker: Broker
    let nameServerAddress: String

    static func start() async throws -> InProcessCluster {
        var quiet = Logger(label: "test")
        quiet.logLevel = .warning
        var nc = NamesrvConfig()
        nc.listenPort = 0
        nc.bindAddress = "127.0.0.1"
        let ns = NameServer(config: nc, logger: quiet)
        let nsPort = try await ns.start()
        let dir = TempDir("loadgen")
        var c = BrokerConfig()
        c.listenPort = 0
        c.bindAddress = "127.0.0.1"
        c.namesrvAddrs = ["127.0.0.1:\(nsPort)"]
        c.store.storePathRootDir = dir.path
        c.store.mappedFileSizeCommitLog = 16 << 20
        c.store.mappedFileSizeConsumeQueue = 20_000 * 20
        c.store.maxHashSlotNum = 1024
        c.store.maxIndexNum = 16_384
        c.store.warmMapedFileEnable = false
        let broker = try Broker(config: c, logger: quiet)
        _ = try await broker.start()
        let cluster = InProcessCluster(dir: dir, nameServer: ns, broker: broker, nameServerAddress: "127.0.0.1:\(nsPort)")
        let admin = AdminClient(options: cluster.options)
        try await waitUntil { (try? await admin.masters())?.isEmpty == false }
        await admin.shutdown()
        return cluster
    }

    var options: ClientOptions { ClientOptions(nameServers: [nameServerAddress]) }

    func stop() async {
        await broker.shutdown()
        await nameServer.shutdown()
        dir.cleanup()
    }
}
