import Broker
import Client
import Foundation
import Logging
import NameServer
import Protocol
import TestSupport

var quietLogger: Logger {
    var l = Logger(label: "test.admin")
    l.logLevel = .critical
    return l
}

/// An in-process NameServer and a broker registered with it, on 127.0.0.1.
struct AdminCluster {
    let dir: TempDir
    let nameServer: NameServer
    let broker: Broker
    let namesrv: String
    let brokerAddress: String

    static func start() async throws -> AdminCluster {
        var nc = NamesrvConfig()
        nc.listenPort = 0
        nc.bindAddress = "127.0.0.1"
        nc.serverWorkerThreads = 1
        let ns = NameServer(config: nc, logger: quietLogger)
        let nsAddr = "127.0.0.1:\(try await ns.start())"
        let dir = TempDir("admin")
        var c = BrokerConfig()
        c.listenPort = 0
        c.bindAddress = "127.0.0.1"
        c.brokerName = "broker-adm"
        c.namesrvAddrs = [nsAddr]
        c.store.storePathRootDir = dir.path
        c.store.mappedFileSizeCommitLog = 1 << 20
        c.store.mappedFileSizeConsumeQueue = 1000 * 20
        c.store.maxMessageSize = 64 * 1024
        c.store.maxHashSlotNum = 1024
        c.store.maxIndexNum = 4096
        c.store.cleanResourceInterval = 3_600_000
        let broker = try Broker(config: c, logger: quietLogger)
        let port = try await broker.start()
        let cluster = AdminCluster(dir: dir, nameServer: ns, broker: broker, namesrv: nsAddr, brokerAddress: "127.0.0.1:\(port)")
        try await waitUntil(timeout: .seconds(30)) { ns.routes.liveBrokers.contains(cluster.brokerAddress) }
        return cluster
    }

    func stop() async {
        await broker.shutdown()
        await nameServer.shutdown()
        dir.cleanup()
    }

    /// Waits until the NameServer routes `topic` (the broker re-registers when its topics change).
    func waitForRoute(_ topic: String) async throws {
        try await waitUntil(timeout: .seconds(30)) { nameServer.routes.route(topic: topic) != nil }
    }

    /// Waits (off the cooperative pool) until the broker has indexed every append.
    func dispatched() async throws {
        let store = broker.store
        guard try await blocking({ store.waitForDispatch(timeoutMillis: 30_000) }) else { throw TimedOut() }
    }

    var options: ClientOptions { ClientOptions(nameServers: [namesrv]) }

    func producer() async throws -> Producer {
        let p = Producer(configuration: .init(group: "admin-pg", options: options), logger: quietLogger)
        try await p.start()
        return p
    }

    /// Runs `mqadmin args` with `-n` pointing at this NameServer.
    func mqadmin(_ args: [String]) async throws -> AdminRun {
        try await runMQAdmin(Array(args.prefix(1)) + ["-n", namesrv] + args.dropFirst())
    }
}

/// The outcome of one mqadmin run.
struct AdminRun: Sendable {
    let status: Int32
    let out: String
    let err: String

    /// stdout parsed as JSON.
    func json() throws -> JSONValue { try JSONValue.parse(Array(out.utf8)) }
}

/// Runs the mqadmin executable as a child process (without NAMESRV_ADDR from
/// this environment) and collects its exit status and output.
func runMQAdmin(_ args: [String], environment: [String: String] = [:]) async throws -> AdminRun {
    try await blocking {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: productsDirectory + "/mqadmin")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["NAMESRV_ADDR"] = nil
        env.merge(environment) { $1 }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Outputs are small (well under a pipe's 64 KiB), so reading one pipe to
        // its end before the other cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return AdminRun(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self),
                        err: String(decoding: e, as: UTF8.self))
    }
}

/// Runs blocking work (process I/O, store waits) on a dispatch queue, off the
/// cooperative pool that the in-process servers' tasks need.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}
