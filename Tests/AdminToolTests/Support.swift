import Broker
import Client
import Foundation
import Logging
import NameServer
import Protocol
import ClusterSupport
import TestSupport

var quietLogger: Logger {
    var l = Logger(label: "test.admin")
    l.logLevel = .critical
    return l
}

extension InProcessCluster {
    /// The admin tests' cluster: 1 MiB CommitLog segments, messages up to 64 KiB, no
    /// periodic clean-up.
    static func start() async throws -> InProcessCluster {
        try await start("admin") { c in
            c.brokerName = "broker-adm"
            c.store.mappedFileSizeCommitLog = 1 << 20
            c.store.maxMessageSize = 64 * 1024
            c.store.cleanResourceInterval = 3_600_000
        }
    }

    /// Waits (off the cooperative pool) until the broker has indexed every append.
    func dispatched() async throws {
        let store = broker.store
        guard try await blocking({ store.waitForDispatch(timeoutMillis: 30_000) }) else { throw TimedOut() }
    }

    func producer() async throws -> Producer {
        let p = Producer(configuration: .init(group: "admin-pg", options: options), logger: quietLogger)
        try await p.start()
        return p
    }

    /// Runs `mqadmin args` with `-n` pointing at this NameServer.
    func mqadmin(_ args: [String]) async throws -> AdminRun {
        try await runMQAdmin(Array(args.prefix(1)) + ["-n", nameServerAddress] + args.dropFirst())
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
