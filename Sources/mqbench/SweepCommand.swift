import ArgumentParser
import Foundation
import LoadGen
import Planner
import Profiles
import Sweep

/// `mqbench sweep`: the capacity of the hardware under test (the Sweep module does the work).
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Step a profile's offered rate up to the knee: the sustainable maximum on this hardware, its bottleneck, per-message costs, USL.",
        discussion: """
            Without --estimate or --start-rate, a short closed-loop run of the profile estimates the host's \
            throughput; the ramp starts at 20 % of it and climbs by 20 %, then bisects between the last step \
            that held and the first that broke. Each step is a `mqbench run` at a constant rate (its own \
            embedded mqnamesrv + mqbroker and fresh store, unless --namesrv or --store) with the warm-up \
            discarded. A step breaks when it achieves < 95 % of the offered rate, its backlog grows, an SLO \
            fails, p99 blows up, messages are lost, or a resource passes its ceiling. See docs/SWEEP.md.

            OUT gets steps/<n>-<rate>/results.json (so `mqbench plan --from OUT/steps/*` works), sweep.json, \
            report.md, report.html and report.json. A line per step goes to stderr, the summary to stdout.

            Exit status: 0 when a sustainable maximum was found; 1 when no step held or a step failed to run; \
            2 when a step lost acknowledged messages; 130 when interrupted (SIGINT stops the step under way and \
            writes the report of the finished steps; a second SIGINT exits at once).

            Examples:
              mqbench sweep profiles/max-throughput.yaml
              mqbench sweep promotion-20000tps --step 30s --warmup 5s --estimate 25k
              mqbench sweep profiles/normal-2000tps.yaml --start-rate 1000 --max-steps 8 --cpu-ceiling 70
              mqbench sweep profiles/normal-2000tps.yaml --namesrv 10.0.0.5:9876 --out reports/sweep-prod-like
              mqbench plan --from reports/sweep-normal-2000tps-20261122-080000/steps/* --target peak=20000
            """)

    @Argument(help: "Profile file, or the name of a shipped profile (see `mqbench profiles`).")
    var profile: String

    @Option(help: "NameServers of an existing cluster, 'host:port;host:port' (default: an embedded cluster per step).")
    var namesrv: String?

    @Option(help: "Store directory of the embedded broker, kept and reused by every step (default: a fresh one per step).")
    var store: String?

    @Flag(help: "Keep each step's fresh temporary store.")
    var keepStore = false

    @Option(help: "Measured time of each step (default 60s; e.g. 30s, 2m).", transform: DurationOption.parse)
    var step = DurationOption(seconds: 60)

    @Option(help: "Warm-up of each step, discarded (default 10s).", transform: DurationOption.parse)
    var warmup = DurationOption(seconds: 10)

    @Option(help: "Closed-loop throughput in msg/s to ramp from (e.g. 25k); skips the closed-loop run.", transform: RateOption.parse)
    var estimate: RateOption?

    @Option(help: "Measured time of the closed-loop estimate run (default 20s).", transform: DurationOption.parse)
    var estimateDuration = DurationOption(seconds: 20)

    @Option(help: "First offered rate in msg/s (default 20 % of the estimate); alone, the ramp also climbs by it.", transform: RateOption.parse)
    var startRate: RateOption?

    @Option(help: "Most steps to run (default 16).")
    var maxSteps: Int?

    @Option(help: "Stop bisecting when the held and broken rates are within this many percent (default 5).")
    var resolution: Double?

    @Option(help: "Host CPU busy ceiling, percent of all CPUs (default 85).")
    var cpuCeiling: Double?

    @Option(help: "Store disk %util ceiling (default 90).")
    var diskCeiling: Double?

    @Option(help: "NIC utilisation ceiling, percent of link speed (default 70).")
    var nicCeiling: Double?

    @Option(help: "Generator CPU ceiling, percent of all CPUs (default 85): past it the generator, not the broker, may be the limit.")
    var generatorCeiling: Double?

    @Option(help: "Longest wait for consumers to drain after each step (default 60s).", transform: DurationOption.parse)
    var drainTimeout = DurationOption(seconds: 60)

    @Option(help: "Output directory (default reports/sweep-<profile>-<timestamp>).")
    var out: String?

    @Flag(help: "Print the sweep (sweep.json's content, with the output directory) as JSON instead of the summary.")
    var json = false

    @Flag(help: "Show each run's interval progress lines and notices.")
    var verbose = false

    func validate() throws {
        guard step.seconds > 0 else { throw ValidationError("--step must be positive") }
        guard estimateDuration.seconds > 0 else { throw ValidationError("--estimate-duration must be positive") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let resolution, !(resolution > 0 && resolution < 100) { throw ValidationError("--resolution is a percentage between 0 and 100") }
        for (name, value) in [("--cpu-ceiling", cpuCeiling), ("--disk-ceiling", diskCeiling), ("--nic-ceiling", nicCeiling),
                              ("--generator-ceiling", generatorCeiling)] {
            if let value, !(value > 0 && value <= 100) { throw ValidationError("\(name) is a percentage in (0, 100], got \(value)") }
        }
    }

    /// The search settings: defaults with the command line's overrides.
    var settings: SweepSearch.Settings {
        var s = SweepSearch.Settings()
        if let maxSteps { s.maxSteps = maxSteps }
        if let resolution { s.resolution = resolution / 100 }
        if let cpuCeiling { s.ceilings.cpuPercent = cpuCeiling }
        if let diskCeiling { s.ceilings.diskUtilisationPercent = diskCeiling }
        if let nicCeiling { s.ceilings.nicPercent = nicCeiling }
        if let generatorCeiling { s.ceilings.generatorShare = generatorCeiling / 100 }
        return s
    }

    /// What `--json` prints.
    struct Output: Encodable {
        var outDirectory: String
        var interrupted: Bool
        var failure: String?
        var exitCode: Int32
        var sweep: SweepResult?
    }

    func run() async throws {
        let logger = Startup.begin("sweep")
        let path = try RunCommand.resolveProfile(profile)
        let parsed: Profile
        do { parsed = try ProfileParser.parse(contentsOf: path) } catch { throw ValidationError(error.description) }
        let start: SweepStart
        do { start = try SweepStart(estimate: estimate?.rate, startRate: startRate?.rate) } catch { throw ValidationError(error.description) }
        var options = SweepOptions(profile: parsed, profilePath: path,
                                   outDirectory: out ?? SweepOptions.defaultOutDirectory(profile: parsed.name),
                                   binDirectory: RunOptions.executableDirectory, start: start)
        options.nameServers = namesrv
        options.storeDirectory = store
        options.keepStore = keepStore
        options.stepSeconds = step.seconds
        options.warmupSeconds = warmup.seconds
        options.estimateSeconds = estimateDuration.seconds
        options.settings = settings
        options.drainTimeout = drainTimeout.seconds
        options.verbose = verbose
        let driver = SweepDriver(options: options, logger: logger, doctor: { PlanCommand.doctor(for: $0) }) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let outcome: SweepDriver.Outcome
        do { outcome = try await driver.run() } catch let error as SweepError {
            FileHandle.standardError.write(Data("mqbench sweep: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            try printJSON(Output(outDirectory: outcome.outDirectory, interrupted: outcome.interrupted, failure: outcome.failure,
                                 exitCode: outcome.exitCode, sweep: outcome.result))
        } else if let result = outcome.result {
            print(SweepText.summary(result))
            print("\nreport: \(outcome.outDirectory)/report.html (also report.md, report.json, sweep.json; steps in \(outcome.outDirectory)/steps/)")
        }
        if let failure = outcome.failure { FileHandle.standardError.write(Data("mqbench sweep: \(failure)\n".utf8)) }
        if outcome.result != nil && outcome.result?.sustainableRate == nil {
            FileHandle.standardError.write(Data("mqbench sweep: no step held, so there is no sustainable maximum; give a lower --start-rate or --estimate, or check the ceilings\n".utf8))
        }
        if let lossy = outcome.result?.lossySteps, !lossy.isEmpty {
            FileHandle.standardError.write(Data("mqbench sweep: MESSAGE LOSS in \(lossy.map(\.label).joined(separator: ", ")): acknowledged messages were never delivered\n".utf8))
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

/// `--estimate 25k` style options (msg/s).
struct RateOption: Sendable {
    let rate: Double

    static func parse(_ text: String) throws -> RateOption {
        guard let r = Profile.parseRate(text), r > 0 else { throw ValidationError("'\(text)' is not a rate in msg/s (e.g. 5000, 20k, 1.5M)") }
        return RateOption(rate: r)
    }
}
