import Foundation
import Sampler
import Synchronization

/// Lines on stdout, written whole and unbuffered (a reader of the pipe sees
/// each message as it arrives), and a progress line on stderr when that is a
/// terminal.
final class Output: Sendable {
    private let lock = Mutex(ContinuousClock.now)
    private let showProgress = isatty(STDERR_FILENO) == 1

    func line(_ text: String) {
        lock.withLock { _ in FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    /// "sent 120/1000" on stderr, at most once a second.
    func progress(_ verb: String, _ done: Int, of total: Int?) {
        guard showProgress else { return }
        lock.withLock { last in
            let now = ContinuousClock.now
            guard now - last >= .seconds(1) else { return }
            last = now
            let text = total.map { "\r\(verb) \(done)/\($0)" } ?? "\r\(verb) \(done)"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Ends the progress line before the summary.
    func endProgress() {
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// A failure the tool reports as `Error: <description>` with exit status 1.
struct ToolFailure: Error, CustomStringConvertible {
    let description: String
}

/// `--timeout 30s` / `--body-size 4K` style values (DurationText, ByteSizeText).
enum TextValues {
    static func duration(_ text: String) throws -> Duration {
        do { return .milliseconds(Int64(try DurationText.seconds(text) * 1000)) } catch {
            throw ToolFailure(description: error.description)
        }
    }

    static func bytes(_ text: String) throws -> Int {
        do {
            let n = try ByteSizeText.bytes(text)
            guard n <= UInt64(Int32.max) else { throw ToolFailure(description: "size '\(text)' is too large") }
            return Int(n)
        } catch let e as DurationText.ParseError {
            throw ToolFailure(description: e.description)
        }
    }
}

/// Seconds with millisecond precision, for summaries.
func seconds(_ d: Duration) -> String {
    String(format: "%.3f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}
