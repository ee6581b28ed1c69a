import Allocator
import ArgumentParser
import Foundation
import Logging

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

/// A logger with a level (swift-log's default handler writes to stderr).
public func makeLogger(_ label: String, level: Logger.Level = .info) -> Logger {
    var l = Logger(label: label)
    l.logLevel = level
    return l
}

/// The start-up line every executable logs: which allocator is live.
public func startupLog(_ logger: Logger, _ name: String) {
    logger.info("\(name) starting: \(Allocator.startupLine)")
}

/// The start-up line at info level whatever the command's own log level.
public func startupLog(_ name: String) {
    startupLog(makeLogger("peakmq.\(name)", level: .info), name)
}
