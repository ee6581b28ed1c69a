import Sampler
import Allocator
import ArgumentParser
import Foundation
import Logging

/// `mqbench`: the load generator's command line. Subcommands live in their own
/// files; `run` is the load generator proper.
@main
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench",
        abstract: "PeakMQ load generator, resource sampler and host checklist.",
        subcommands: [RunCommand.self, SweepCommand.self, ProfilesCommand.self, ValidateCommand.self, SampleCommand.self, DoctorCommand.self, MergeCommand.self, PlanCommand.self, ReportCommand.self]
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

/// Pretty, key-sorted JSON on stdout (stable diffs between runs).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `--duration 30s` style options.
struct DurationOption: Sendable {
    let seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    /// Used as the option's transform so a bad value reports DurationText's message.
    static func parse(_ text: String) throws -> DurationOption {
        do { return DurationOption(seconds: try DurationText.seconds(text)) } catch { throw ValidationError(error.description) }
    }
}

/// `--retention 200G` style options.
struct SizeOption: Sendable {
    let bytes: UInt64

    static func parse(_ text: String) throws -> SizeOption {
        do { return SizeOption(bytes: try ByteSizeText.bytes(text)) } catch { throw ValidationError(error.description) }
    }
}
