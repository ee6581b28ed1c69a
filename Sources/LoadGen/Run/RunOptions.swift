import Foundation
import Profiles

/// Everything `mqbench run` decided before the run starts.
public struct RunOptions: Sendable {
    /// The profile with command-line overrides applied.
    public var profile: Profile
    /// The profile file as given (copied into the output directory).
    public var profilePath: String
    /// `host:port;host:port` of an existing cluster's NameServers; nil = start an embedded cluster.
    public var nameServers: String?
    /// Where results.json, the profile copy and the logs go.
    public var outDirectory: String
    /// The embedded broker's store; nil = a fresh directory under the temp dir, removed after a clean run.
    public var storeDirectory: String?
    /// Keep a fresh store after the run.
    public var keepStore = false
    public var agent: AgentSlice = .single
    /// Unix time (seconds) at which every agent starts load; nil = as soon as ready.
    public var startAt: Double?
    /// Directory holding mqnamesrv and mqbroker.
    public var binDirectory: String
    /// Longest wait for consumers to drain after producers stop.
    public var drainTimeout: Double = 120
    /// Draining stops early when nothing was received for this long.
    public var drainQuietTimeout: Double = 15
    /// Print the progress line on stderr every interval.
    public var progress = true
    /// Print the summary table on stdout at the end (a sweep prints its own line per step).
    public var printSummary = true
    /// Turn SIGINT/SIGTERM into a clean stop; off when the caller (a sweep) watches
    /// signals itself and calls `Runner.requestStop()`.
    public var watchSignals = true
    /// Faults and pauses the overrides pushed past the end (reported, not run).
    public var droppedByOverrides: [String] = []

    public init(profile: Profile, profilePath: String, outDirectory: String, binDirectory: String) {
        self.profile = profile
        self.profilePath = profilePath
        self.outDirectory = outDirectory
        self.binDirectory = binDirectory
    }

    /// `reports/<profile>-<yyyyMMdd-HHmmss>` under the current directory.
    public static func defaultOutDirectory(profile: String, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "reports/\(profile)-\(f.string(from: now))"
    }

    /// The directory of the running executable (where `swift build` puts mqbroker and mqnamesrv too).
    public static var executableDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }
}
