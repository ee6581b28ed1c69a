import Foundation
import Planner
import Profiles
import Report

/// Everything `mqbench sweep` decided before the sweep starts.
public struct SweepOptions: Sendable {
    /// The profile as parsed; each step runs `StepProfiles.step` of it.
    public var profile: Profile
    /// The profile file (copied into the output directory and each step's).
    public var profilePath: String
    /// Where steps/, estimate/, sweep.json and the report go.
    public var outDirectory: String
    /// Directory holding mqnamesrv and mqbroker.
    public var binDirectory: String
    /// `host:port;host:port` of an existing cluster; nil = an embedded cluster per step.
    public var nameServers: String?
    /// The embedded broker's store (kept, reused by every step); nil = a fresh one per step.
    public var storeDirectory: String?
    public var keepStore = false
    /// Measured seconds of each step, after `warmupSeconds` that are discarded.
    public var stepSeconds = 60.0
    public var warmupSeconds = 10.0
    /// Measured seconds of the closed-loop estimate run (same warm-up).
    public var estimateSeconds = 20.0
    public var start: SweepStart
    public var settings = SweepSearch.Settings()
    /// Longest wait for consumers to drain after each step.
    public var drainTimeout = 60.0
    /// Interval progress lines and the runs' notices on stderr.
    public var verbose = false

    public init(profile: Profile, profilePath: String, outDirectory: String, binDirectory: String, start: SweepStart) {
        self.profile = profile
        self.profilePath = profilePath
        self.outDirectory = outDirectory
        self.binDirectory = binDirectory
        self.start = start
    }

    /// `reports/sweep-<profile>-<yyyyMMdd-HHmmss>` (UTC).
    public static func defaultOutDirectory(profile: String, now: Date = Date()) -> String {
        ReportFiles.directory(base: "reports", name: "sweep-" + profile, date: now)
    }

    /// `OUT/steps/03-4800`: numbered in run order, so a listing follows the search.
    public func stepDirectory(number: Int, rate: Double) -> String {
        outDirectory + "/steps/" + Self.stepName(number: number, rate: rate)
    }

    static func stepName(number: Int, rate: Double) -> String {
        (number < 10 ? "0" : "") + "\(number)-\(Int(rate.rounded()))"
    }

    public var estimateDirectory: String { outDirectory + "/estimate" }
}
