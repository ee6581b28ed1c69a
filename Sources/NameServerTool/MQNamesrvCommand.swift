import ArgumentParser
import Config
import Foundation
import Logging
import NameServer
import ToolSupport

/// `mqnamesrv [-c namesrv.conf] [-p]`: the NameServer, like RocketMQ's namesake.
public struct MQNamesrvCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqnamesrv",
        abstract: "Run a PeakMQ NameServer (RocketMQ remoting protocol).",
        discussion: """
            Keys (namesrv.conf, Java properties): listenPort (9876; 0 = ephemeral), bindAddress (0.0.0.0),
            scanNotActiveBrokerInterval (ms, 10000), brokerChannelExpiredTime (ms, 120000),
            serverChannelMaxIdleTimeSeconds (120), serverWorkerThreads (8), orderMessageEnable (false).
            Other RocketMQ namesrv keys are accepted and ignored; unknown keys are warned about.
            On start it prints "The Name Server boot success. serializeType=JSON, listening on HOST:PORT".
            SIGTERM or SIGINT shut it down gracefully.
            """)

    @Option(name: .customShort("c"), help: "Config file (namesrv.conf).")
    var configFile: String?

    @Flag(name: .customShort("p"), help: "Print the effective configuration and exit.")
    var printConfig = false

    public init() {}

    public func run() async throws {
        let logger = makeLogger("mqnamesrv")
        var config = NamesrvConfig()
        if let configFile {
            do {
                let (loaded, unknown) = try NamesrvConfig.load(try PropertiesFile(contentsOf: configFile))
                config = loaded
                for u in unknown { logger.warning("\(configFile):\(u.line): unknown key '\(u.key)' ignored") }
            } catch {
                FileHandle.standardError.write(Data("mqnamesrv: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        if printConfig {
            print(config.printed)
            return
        }
        startupLog(logger, "mqnamesrv")
        let nameServer = NameServer(config: config, logger: logger)
        let port = try await nameServer.start()
        // RocketMQ's start line, plus the bound port (listenPort=0 picks one).
        print("The Name Server boot success. serializeType=JSON, listening on \(config.bindAddress):\(port)")
        fflush(nil)
        let sig = await waitForTerminationSignal()
        logger.info("received signal \(sig), shutting down")
        await nameServer.shutdown()
        logger.info("mqnamesrv stopped")
    }
}
