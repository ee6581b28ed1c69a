import Foundation

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
    static func run(_ arguments: [String], url: String, profile: String, timeout: TimeInterval = 90) throws -> String {
        guard let path else { throw Failed(description: "chromium not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile)"] + arguments + [url]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read while it runs so a large DOM cannot fill the pipe and stall the browser.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            throw Failed(description: "chromium did not finish in \(Int(timeout)) s")
        }
        guard process.terminationStatus == 0 else {
            throw Failed(description: "chromium exited \(process.terminationStatus): \(String(decoding: errors.suffix(2000), as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
