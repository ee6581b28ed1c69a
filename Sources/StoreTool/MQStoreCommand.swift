import Allocator
import Config
import ArgumentParser
import Foundation
import Logging
import MessageFormat
import Store
import ToolSupport

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
