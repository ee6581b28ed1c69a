import Client
import Foundation
import Logging
import Profiles
import Protocol
import Remoting
import Synchronization

/// A NameServer and a broker started as child processes on 127.0.0.1 for a run
/// without `--namesrv`: their own processes so that their resource use is
/// sampled apart from the generator's. The broker keeps its port and store over
/// restarts (a killed broker recovers from its store, and clients reconnect to
/// the same address).
public final class EmbeddedCluster: Sendable {
    public struct Configuration: Sendable {
        /// Directory holding the `mqnamesrv` and `mqbroker` executables.
        public var binDirectory: String
        /// Where broker.conf, namesrv.conf and the logs go.
        public var workDirectory: String
        /// The broker's storePathRootDir.
        public var storeDirectory: String
        public var broker: Profile.BrokerSettings
        /// How long each server may take to answer after start.
        public var startTimeout: Duration = .seconds(60)
        /// How long a SIGTERMed server may take before SIGKILL.
        public var stopGrace: Duration = .seconds(30)

        public init(binDirectory: String, workDirectory: String, storeDirectory: String, broker: Profile.BrokerSettings) {
            self.binDirectory = binDirectory
            self.workDirectory = workDirectory
            self.storeDirectory = storeDirectory
            self.broker = broker
        }
    }

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let configuration: Configuration
    public let nameServerAddress: String
    public let brokerAddress: String
    public var namesrvLog: String { configuration.workDirectory + "/namesrv.log" }
    public var brokerLog: String { configuration.workDirectory + "/broker.log" }
    public var brokerConf: String { configuration.workDirectory + "/broker.conf" }
    var namesrvConf: String { configuration.workDirectory + "/namesrv.conf" }

    private struct State {
        var namesrv: ChildProcess?
        var broker: ChildProcess?
    }
    private let state = Mutex(State())
    private let logger: Logger

    /// Picks ports and writes the configuration files; `start()` launches.
    public init(configuration: Configuration, logger: Logger = Logger(label: "mqbench.cluster")) throws {
        self.configuration = configuration
        self.logger = logger
        let fm = FileManager.default
        for exe in ["mqnamesrv", "mqbroker"] where !fm.isExecutableFile(atPath: configuration.binDirectory + "/" + exe) {
            throw StartError(description: "\(exe) not found in \(configuration.binDirectory) (build it with `swift build`, or drive an existing cluster with --namesrv)")
        }
        try fm.createDirectory(atPath: configuration.workDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: configuration.storeDirectory, withIntermediateDirectories: true)
        let nsPort = try FreePort.find()
        var brokerPort = try FreePort.find()
        while brokerPort == nsPort { brokerPort = try FreePort.find() }
        nameServerAddress = "127.0.0.1:\(nsPort)"
        brokerAddress = "127.0.0.1:\(brokerPort)"
        try "listenPort=\(nsPort)\nbindAddress=127.0.0.1\n".write(toFile: namesrvConf, atomically: true, encoding: .utf8)
        try Self.brokerProperties(configuration, port: brokerPort, namesrv: nameServerAddress)
            .write(toFile: brokerConf, atomically: true, encoding: .utf8)
    }

    /// broker.conf for the profile's `broker` settings (extra keys last, so they win).
    static func brokerProperties(_ c: Configuration, port: Int, namesrv: String) -> String {
        var lines = [
            "# Written by mqbench run for the profile's broker settings.",
            "brokerClusterName=MQBenchCluster", "brokerName=broker-a", "brokerId=0",
            "listenPort=\(port)", "brokerIP1=127.0.0.1", "bindAddress=127.0.0.1", "namesrvAddr=\(namesrv)",
            "storePathRootDir=\(c.storeDirectory)", "flushDiskType=\(c.broker.flushDiskType)",
            "defaultTopicQueueNums=\(c.broker.defaultTopicQueueNums)", "autoCreateTopicEnable=true",
        ]
        for (k, v) in c.broker.extra.sorted(by: { $0.key < $1.key }) { lines.append("\(k)=\(v)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Starts the NameServer, then the broker, and waits until both answer.
    public func start() async throws {
        let ns = try ChildProcess(executable: configuration.binDirectory + "/mqnamesrv", arguments: ["-c", namesrvConf], logPath: namesrvLog)
        state.withLock { $0.namesrv = ns }
        try await waitUntilAnswering(ns, what: "mqnamesrv", log: namesrvLog) { [nameServerAddress] in
            let admin = AdminClient(options: ClientOptions(nameServers: [nameServerAddress]))
            let answered = (try? await admin.clusterInfo()) != nil
            await admin.shutdown()
            return answered
        }
        try await startBroker()
    }

    /// Starts the broker (again) on the same port and store, and waits until it
    /// serves and is registered with the NameServer.
    public func startBroker() async throws {
        let b = try ChildProcess(executable: configuration.binDirectory + "/mqbroker", arguments: ["-c", brokerConf], logPath: brokerLog)
        state.withLock { $0.broker = b }
        try await waitUntilAnswering(b, what: "mqbroker", log: brokerLog) { [self] in await brokerAnswers() }
    }

    /// Kills the broker with `signal` (SIGKILL: a crash; SIGTERM: a clean stop, SIGKILL after the grace).
    public func stopBroker(signal: Int32) async {
        guard let b = state.withLock({ $0.broker }) else { return }
        if signal == SIGKILL {
            b.signal(SIGKILL)
            _ = await b.waitForExit(timeout: .seconds(10))
        } else {
            await b.terminate(grace: configuration.stopGrace)
        }
    }

    /// The PIDs running now: broker and NameServer.
    public var brokerPID: Int32? { state.withLock { $0.broker }.flatMap { $0.isRunning ? $0.pid : nil } }
    public var namesrvPID: Int32? { state.withLock { $0.namesrv }.flatMap { $0.isRunning ? $0.pid : nil } }

    /// Stops the broker, then the NameServer (SIGTERM, SIGKILL after the grace).
    public func shutdown() async {
        let (b, ns) = state.withLock { ($0.broker, $0.namesrv) }
        if let b { await b.terminate(grace: configuration.stopGrace) }
        if let ns { await ns.terminate(grace: configuration.stopGrace) }
        if let b, let d = b.exitDescription, d != "exit 0" { logger.warning("mqbroker ended with \(d); see \(brokerLog)") }
    }

    /// Whether the broker answers a request and the NameServer lists it.
    private func brokerAnswers() async -> Bool {
        let client = RemotingClient()
        let served = (try? await client.invoke(.request(.getAllTopicConfig, opaque: 0), to: brokerAddress, timeout: .seconds(2)))?
            .responseCode == .success
        await client.shutdown()
        guard served else { return false }
        let admin = AdminClient(options: ClientOptions(nameServers: [nameServerAddress]))
        let listed = (try? await admin.masters())?.contains { $0.address == brokerAddress } == true
        await admin.shutdown()
        return listed
    }

    private func waitUntilAnswering(_ p: ChildProcess, what: String, log: String, _ answers: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + configuration.startTimeout
        while true {
            if let ended = p.exitDescription {
                throw StartError(description: "\(what) ended (\(ended)) while starting:\n\(Self.tail(log))")
            }
            if await answers() { return }
            guard ContinuousClock.now < deadline else {
                p.signal(SIGKILL)
                throw StartError(description: "\(what) did not answer within \(configuration.startTimeout):\n\(Self.tail(log))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The last lines of a log, for error messages.
    static func tail(_ path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log at \(path))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).map { "  | " + $0 }.joined(separator: "\n")
    }
}
