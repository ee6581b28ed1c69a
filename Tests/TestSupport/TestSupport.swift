import Foundation
import Testing

// Helpers every test target uses: one copy instead of one per target.

/// A fresh directory under the system temp dir, removed by `cleanup()`.
public struct TempDir: Sendable {
    public let path: String
    public init(_ tag: String = "test") {
        path = FileManager.default.temporaryDirectory.path + "/peakmq-\(tag)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// The directory holding the test binaries and the package's executables.
public var productsDirectory: String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = (exe as NSString).deletingLastPathComponent
    // On Linux the test runner is `<products>/PeakMQPackageTests.xctest`.
    if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
    return dir
}

/// The thrown error when a polled condition never held.
public struct TimedOut: Error {
    public init() {}
}

/// Polls `condition` until it holds or `timeout` passes (for state with no event to await).
public func waitUntil(timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(10),
                      _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw TimedOut() }
        try await Task.sleep(for: interval)
    }
}

/// Waits until `condition` holds, polling every 10 ms; records an issue naming
/// `what` at the caller's location and throws when `timeout` passes.
public func eventually(
    _ what: String, timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}

/// What a finished child process printed, and how it ended.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs `path` with `arguments` to completion, on dispatch threads (never a
/// cooperative-pool thread), collecting both output streams whole.
public func runProcess(_ path: String, _ arguments: [String]) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            do { try process.run() } catch {
                continuation.resume(throwing: error)
                return
            }
            // Both pipes drain at once, so neither can fill and stall the child.
            let stderr = DataBox()
            let drained = DispatchGroup()
            drained.enter()
            DispatchQueue.global().async {
                stderr.value = err.fileHandleForReading.readDataToEndOfFile()
                drained.leave()
            }
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            drained.wait()
            process.waitUntilExit()
            continuation.resume(returning: ProcessResult(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr.value, as: UTF8.self)))
        }
    }
}

/// Hands bytes from the thread that read them to the one that waited for it.
private final class DataBox: @unchecked Sendable {
    // @unchecked: written once before `DispatchGroup.leave`, read after `wait`.
    var value = Data()
}

/// A deterministic random generator (SplitMix64), so that randomised tests
/// ("random garbage", fuzz runs, sampled latencies) are the same every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs an executable to completion: exit status, stdout, stderr (for tests of
/// command lines with small outputs).
public func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let o = Pipe(), e = Pipe()
    p.standardOutput = o
    p.standardError = e
    try p.run()
    let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, out, err)
}
