import ArgumentParser
import Broker
import Config
import Foundation
import Logging
import ToolSupport

/// `mqbroker`: runs a broker as RocketMQ's `mqbroker` does.
///
/// Prints `mqbroker listening on <ip>:<port>` once it serves (tests read the
/// port from that line), and shuts down cleanly on SIGTERM or SIGINT (exit 0).
public struct MQBrokerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqbroker",
        abstract: "Run a PeakMQ broker (RocketMQ-compatible).",
        discussion: """
            Examples:
              mqbroker -c conf/broker.conf
              mqbroker -c conf/broker.conf -n 127.0.0.1:9876
              mqbroker -c conf/broker.conf -p      # print the effective configuration and exit
            """)

    @Option(name: .customShort("c"), help: "broker.conf (RocketMQ properties format).")
    var configFile: String?

    @Option(name: .customShort("n"), help: "NameServer addresses, ';'-separated (overrides namesrvAddr).")
    var namesrvAddr: String?

    @Flag(name: .customShort("p"), help: "Print the effective configuration and exit.")
    var printConfig = false

    public init() {}

    public func run() async throws {
        let logger = makeLogger("peakmq.broker")
        startupLog(logger, "mqbroker")
        var config = BrokerConfig()
        if let configFile {
            let loaded = try BrokerConfig.load(try PropertiesFile(contentsOf: configFile))
            config = loaded.config
            for u in loaded.unknown {
                logger.warning("\(configFile):\(u.line): unknown key '\(u.key)' ignored")
            }
        }
        if let namesrvAddr { _ = try config.set("namesrvAddr", namesrvAddr) }
        if printConfig {
            for line in config.printable { print(line) }
            return
        }
        let broker = try Broker(config: config, logger: logger)
        let port: Int
        do {
            port = try await broker.start()
        } catch {
            await broker.shutdown()
            throw error
        }
        FileHandle.standardOutput.write(Data("mqbroker listening on \(config.brokerIP1):\(port)\n".utf8))
        let sig = await waitForTerminationSignal()
        logger.info("signal \(sig): shutting down")
        await broker.shutdown()
    }
}
