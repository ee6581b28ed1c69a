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
