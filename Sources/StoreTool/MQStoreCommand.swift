import Allocator
import ArgumentParser
import Foundation
import Logging
import MessageFormat
import Store

/// `mqstore`: the storage engine on its own, for operators and for tests —
/// append, verify and inspect a store directory, and benchmark the append path.
public struct MQStoreCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqstore",
        abstract: "Inspect, exercise and benchmark a PeakMQ store directory.",
        discussion: """
            Examples:
              mqstore bench --out reports/store-bench       # append/flush/dispatch figures + raw baseline
              mqstore append --store /tmp/s --count 1000 --flush SYNC_FLUSH
              mqstore verify --store /tmp/s --json
            """,
        subcommands: [Append.self, Verify.self, Bench.self])

    public init() {}
}

/// Options shared by subcommands that open a store.
struct StoreOptions: ParsableArguments {
    @Option(help: "Store root directory (storePathRootDir).")
    var store: String

    @Option(name: .customLong("config"), help: "A broker.conf-style properties file with store keys.")
    var configFile: String?

    @Option(help: "CommitLog segment size in bytes (mappedFileSizeCommitLog).")
    var segmentSize: Int?

    @Option(help: "ASYNC_FLUSH or SYNC_FLUSH (flushDiskType).")
    var flush: String?

    @Option(help: "Largest body accepted, in bytes (maxMessageSize); must fit a segment.")
    var maxMessageSize: Int?

    func makeConfig() throws -> StoreConfig {
        var c = StoreConfig()
        if let configFile {
            let (loaded, unknown) = try StoreConfig.load(try PropertiesFile(contentsOf: configFile))
            c = loaded
            for u in unknown {
                FileHandle.standardError.write(Data("warning: \(configFile):\(u.line): unknown key '\(u.key)' ignored\n".utf8))
            }
        }
        _ = try c.set("storePathRootDir", store)
        if let segmentSize { _ = try c.set("mappedFileSizeCommitLog", String(segmentSize)) }
        if let flush { _ = try c.set("flushDiskType", flush) }
        if let maxMessageSize { _ = try c.set("maxMessageSize", String(maxMessageSize)) }
        try c.validate()
        return c
    }
}

func makeLogger(_ label: String, level: Logger.Level = .info) -> Logger {
    var l = Logger(label: label)
    l.logLevel = level
    return l
}

/// The start-up line every PeakMQ executable logs: which allocator is live.
func startupLog(_ name: String) {
    var logger = Logger(label: "peakmq.\(name)")
    logger.logLevel = .info
    logger.info("\(name) starting: \(Allocator.startupLine)")
}

extension AsyncParsableCommand {
    /// Parses the process arguments and runs the chosen subcommand. Executables
    /// call this rather than `main()`, whose synchronous overload wins when the
    /// command type lives in another module.
    public static func runAsRoot() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
