import ArgumentParser
import Foundation
import LoadGen
import Metrics
import Profiles
import Report

/// `mqbench run`: the load generator proper (LoadGen's `Runner` does the work).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a load profile against an embedded or existing cluster and write results.json.",
        discussion: """
            Without --namesrv, mqbench starts mqnamesrv and mqbroker (found next to mqbench) on 127.0.0.1 \
            with a fresh store and a broker.conf from the profile's `broker` settings, and stops them at the end. \
            Progress goes to stderr every interval; DIR gets results.json, interval.log, the profile and the \
            broker and NameServer logs; the summary goes to stdout. See docs/RUN.md.

            Exit status: 0 when every SLO passed (verification's maxLost included), 1 otherwise, \
            130 when interrupted (SIGINT stops the run cleanly; a second SIGINT exits at once).

            Examples:
              mqbench run profiles/smoke.yaml
              mqbench run promotion-20000tps --duration 60s --out reports/promo-60s
              mqbench run profiles/normal-2000tps.yaml --rate 5k --warmup 10s
              mqbench run profiles/zero-loss.yaml --store /data/mqbench-store --keep-store
              mqbench run profiles/normal-2000tps.yaml --namesrv '10.0.0.5:9876;10.0.0.6:9876'
              # two load machines against one cluster, then merge their results:
              mqbench run promotion-20000tps --namesrv 10.0.0.5:9876 --agent 1/2 --start-at 2025-06-01T12:00:00Z
              mqbench run promotion-20000tps --namesrv 10.0.0.5:9876 --agent 2/2 --start-at 2025-06-01T12:00:00Z
            """)

    @Argument(help: "Profile file, or the name of a shipped profile (see `mqbench profiles`).")
    var profile: String

    @Option(help: "NameServers of an existing cluster, 'host:port;host:port' (default: start an embedded one).")
    var namesrv: String?

    @Option(help: "Measured duration, replacing the profile's (e.g. 60s, 5m); a shaped schedule is stretched to fit.",
            transform: DurationOption.parse)
    var duration: DurationOption?

    @Option(help: "Warm-up, replacing the profile's (e.g. 10s, 0).", transform: DurationOption.parse)
    var warmup: DurationOption?

    @Option(help: "Peak send rate in msg/s (e.g. 5000, 20k); every phase of the schedule is scaled alike.")
    var rate: String?

    @Option(help: "Output directory (default: reports/<profile>-<timestamp>).")
    var out: String?

    @Option(help: "Store directory of the embedded broker (kept; default: a fresh temporary one).")
    var store: String?

    @Flag(help: "Keep the fresh temporary store after the run.")
    var keepStore = false

    @Option(help: "This agent's share of a distributed run, I/N (1-based): producers and consumers with index ≡ I-1 mod N.")
    var agent: String?

    @Option(help: "When load starts on every agent: ISO 8601 time (2025-06-01T12:00:00Z) or Unix seconds.")
    var startAt: String?

    @Option(help: "Longest wait for consumers to drain after producers stop.", transform: DurationOption.parse)
    var drainTimeout = DurationOption(seconds: 120)

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func run() async throws {
        let logger = Startup.begin("run")
        let path = try resolveProfile()
        let parsed: Profile
        do { parsed = try ProfileParser.parse(contentsOf: path) } catch { throw ValidationError(error.description) }
        var rateValue: Double?
        if let rate {
            guard let r = Profile.parseRate(rate) else { throw ValidationError("--rate '\(rate)' is not a rate (e.g. 5000, 20k, 1.5M)") }
            rateValue = r
        }
        let overrides = ProfileOverrides(rate: rateValue, duration: duration?.seconds, warmup: warmup?.seconds)
        let (profile, dropped): (Profile, [String])
        do { (profile, dropped) = try overrides.apply(to: parsed) } catch { throw ValidationError(error.description) }
        var options = RunOptions(profile: profile, profilePath: path,
                                 outDirectory: out ?? RunOptions.defaultOutDirectory(profile: profile.name),
                                 binDirectory: RunOptions.executableDirectory)
        options.nameServers = namesrv
        options.storeDirectory = store
        options.keepStore = keepStore
        options.droppedByOverrides = dropped
        options.drainTimeout = drainTimeout.seconds
        options.progress = !quiet
        if let agent {
            guard let a = AgentSlice(parsing: agent) else { throw ValidationError("--agent '\(agent)' is not I/N with 1 ≤ I ≤ N") }
            guard a.count <= profile.producers.count else {
                throw ValidationError("--agent \(agent): the profile has only \(profile.producers.count) producers to share")
            }
            options.agent = a
        }
        if let startAt { options.startAt = try Self.parseTime(startAt) }
        if options.agent.count > 1 && namesrv == nil {
            throw ValidationError("--agent needs --namesrv: agents share one cluster")
        }
        let outcome = try await Runner(options: options, logger: logger).run()
        FileHandle.standardError.write(Data("results in \(outcome.outDirectory)\n".utf8))
        writeReport(outcome.outDirectory)
        for p in outcome.problems { FileHandle.standardError.write(Data("FAILED: \(p)\n".utf8)) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// The run report (report.md/html/json) next to results.json; a failure here
    /// is reported but does not change the run's outcome.
    func writeReport(_ directory: String) {
        do {
            try RunReport.write(try RunResults.read(from: directory), to: directory,
                                command: (["mqbench"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
            FileHandle.standardError.write(Data("report: \(directory)/report.html (also report.md, report.json)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("report not written: \(error)\n".utf8))
        }
    }

    func resolveProfile() throws -> String { try Self.resolveProfile(profile) }

    /// A path as given, else a shipped profile of that name.
    static func resolveProfile(_ profile: String) throws -> String {
        if FileManager.default.fileExists(atPath: profile) { return profile }
        if let dir = Profile.profilesDirectory(nil) {
            for candidate in ["\(dir)/\(profile).yaml", "\(dir)/\(profile).yml"] where FileManager.default.fileExists(atPath: candidate) {
                return candidate
            }
        }
        throw ValidationError("no profile file '\(profile)' and no shipped profile of that name (see `mqbench profiles`)")
    }

    static func parseTime(_ text: String) throws -> Double {
        if let s = Double(text) { return s }
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d.timeIntervalSince1970 }
        throw ValidationError("--start-at '\(text)' is neither ISO 8601 (2025-06-01T12:00:00Z) nor Unix seconds")
    }
}
