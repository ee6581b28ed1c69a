import Allocator
import ArgumentParser
import Foundation
import Logging
import Synchronization

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

/// Waits for SIGTERM or SIGINT and returns which arrived. Both are ignored as
/// process-killing signals from the first call on, so the caller can shut
/// down gracefully.
public func waitForTerminationSignal() async -> Int32 {
    let queue = DispatchQueue(label: "peakmq.signals")
    return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
        let fired = SignalLatch(continuation)
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            // The handler holds its source: the source lives (and keeps
            // catching the signal) for the rest of the process.
            source.setEventHandler { [source] in
                withExtendedLifetime(source) { fired.fire(sig) }
            }
            source.resume()
        }
    }
}

/// Resumes the waiting task once, whichever signal comes first.
private final class SignalLatch: Sendable {
    private let continuation: Mutex<CheckedContinuation<Int32, Never>?>

    init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = Mutex(continuation) }

    func fire(_ sig: Int32) {
        let c = continuation.withLock { c in
            defer { c = nil }
            return c
        }
        c?.resume(returning: sig)
    }
}
