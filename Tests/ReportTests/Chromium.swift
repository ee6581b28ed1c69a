import Foundation
import TestSupport

/// Headless Chromium (Debian package `chromium`) as the real browser a report
/// must render in.
enum Chromium {
    /// The browser on PATH, or nil (then the browser test is skipped and says how to install it).
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        }
        return nil
    }()

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the browser headless on `url` with `arguments`; returns its stdout.
    /// A private profile directory keeps concurrent runs apart; --no-sandbox because tests run as root in CI.
    static func run(_ arguments: [String], url: String, profile: String) async throws -> String {
        guard let path else { throw Failed(description: "chromium not installed") }
        let result = try await runProcess(path, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                                                 "--user-data-dir=\(profile)"] + arguments + [url])
        guard result.status == 0 else {
            throw Failed(description: "chromium exited \(result.status): \(result.stderr.suffix(2000))")
        }
        return result.stdout
    }
}
