import Sampler
import Allocator
import ArgumentParser
import Logging

/// `mqbench`: the load generator's command line. Subcommands live in their own
/// files; `run` (the load generator proper) will join `sample` and `doctor`.
@main
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench",
        abstract: "PeakMQ load generator, resource sampler and host checklist.",
        subcommands: [SampleCommand.self, DoctorCommand.self]
    )
}

/// Process-wide start-up shared by the subcommands.
enum Startup {
    /// Logs the allocator line once, to stderr so `--json` output stays clean.
    static func begin(_ label: String) -> Logger {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "mqbench.\(label)")
        logger.info("\(Allocator.startupLine)")
        return logger
    }
}

/// `--duration 30s` style options.
struct DurationOption: ExpressibleByArgument, Sendable {
    let seconds: Double

    init?(argument: String) {
        guard let s = try? DurationText.seconds(argument) else { return nil }
        seconds = s
    }

    init(seconds: Double) { self.seconds = seconds }
}

/// `--retention 200G` style options.
struct SizeOption: ExpressibleByArgument, Sendable {
    let bytes: UInt64

    init?(argument: String) {
        guard let b = try? ByteSizeText.bytes(argument) else { return nil }
        bytes = b
    }
}
