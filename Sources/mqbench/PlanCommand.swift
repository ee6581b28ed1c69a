import ArgumentParser
import Foundation
import Metrics
import Planner
import Report
import Sampler

/// `mqbench plan`: a cluster plan for target rates from measured runs.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Size a cluster for target rates from measured runs (results.json files or run directories).",
        discussion: """
            Each result is one load step; per-message costs come from regression over the steps, \
            the USL from their throughput and latency. Inputs not given are measured or defaulted, \
            and the report lists each with its source (docs/PLANNER.md).

            --check RUN...: the accuracy check. The costs fitted on --from predict broker CPU, \
            disk write and NIC bytes at each checked run's achieved rate; the plan reports \
            predicted against measured (within ±15 % passes; --check-tolerance). Give runs at \
            rates none of the --from steps had. Exit status 3 when a check is off.

            Examples:
              mqbench plan --from runs/2k runs/4k runs/8k runs/16k --target normal=2000 --target promotion=20000
              mqbench plan --from sweep/steps/* --target promotion=20000 --check runs/check-6000
            """)

    @Option(name: .customLong("from"), parsing: .upToNextOption, help: "Run directories or results.json files (one or more).")
    var from: [String] = []

    @Option(name: .customLong("target"), help: "NAME=RATE in msg/s, e.g. normal=2000 (repeatable).")
    var targets: [String] = []

    @Option(help: "Message body size, e.g. 1K (default: measured).", transform: SizeOption.parse)
    var messageSize: SizeOption?

    @Option(help: "Copies of each message: 1 master + (N − 1) slaves (default 2).")
    var replicas: Int?

    @Option(help: "SYNC or ASYNC (default: measured).")
    var flush: FlushMode?

    @Option(help: "How long messages are kept, e.g. 72h (default 72h).", transform: DurationOption.parse)
    var retention: DurationOption?

    @Option(help: "Consumer groups reading every message (default: measured).")
    var consumerGroups: Int?

    @Option(help: "Highest steady utilisation of any resource, 0–1 (default 0.6).")
    var headroom: Double?

    @Option(help: "How long a peak target lasts within the retention, e.g. 2h (default 2h).", transform: DurationOption.parse)
    var peakDuration: DurationOption?

    @Option(help: "Consumer lag to serve from page cache, e.g. 5m (default 5m).", transform: DurationOption.parse)
    var consumerLag: DurationOption?

    @Option(help: "Sustained disk write bandwidth per node per second, e.g. 250M (default: measured or 250M).", transform: SizeOption.parse)
    var diskBandwidth: SizeOption?

    @Option(help: "NIC speed per node in Gb/s (default 10).")
    var nicGbps: Double?

    @Option(help: "Largest node to plan for, in cores (default 64).")
    var maxNodeCores: Int?

    @Option(name: .customLong("check"), parsing: .upToNextOption,
            help: "Runs not in --from to compare with the costs' predictions at their rates (accuracy check).")
    var checks: [String] = []

    @Option(help: "Largest error of a checked prediction that passes, percent (default 15).")
    var checkTolerance: Double = 15

    @Option(help: "Report directory (default reports/plan-<timestamp>).")
    var out: String?

    @Flag(help: "Print the plan as JSON instead of the summary.")
    var json = false

    func validate() throws {
        guard !from.isEmpty else { throw ValidationError("give the measured runs with --from DIR|results.json ...") }
        guard !targets.isEmpty else { throw ValidationError("give at least one --target NAME=RATE, e.g. --target normal=2000") }
        if let nicGbps, !(nicGbps > 0) { throw ValidationError("--nic-gbps must be positive") }
        if !(checkTolerance > 0) { throw ValidationError("--check-tolerance must be a positive percentage") }
    }

    func run() throws {
        var results: [RunResults] = []
        for path in from {
            do { results.append(try RunResults.read(from: path)) } catch let error as ResultsError { throw ValidationError(error.description) }
        }
        var config = SizingConfig(targets: try targets.map { text in
            do { return try SizingTarget(parsing: text) } catch { throw ValidationError("\(error)") }
        })
        config.messageBytes = messageSize.map { Int($0.bytes) }
        config.replicas = replicas
        config.flush = flush
        config.retentionSeconds = retention?.seconds
        config.consumerGroups = consumerGroups
        config.headroom = headroom
        config.peakSeconds = peakDuration?.seconds
        config.consumerLagSeconds = consumerLag?.seconds
        config.diskBandwidthBytesPerSecond = diskBandwidth.map { Double($0.bytes) }
        config.nicBitsPerSecond = nicGbps.map { $0 * 1e9 }
        config.maxNodeCores = maxNodeCores
        var plan: CapacityPlan
        do {
            let input = try PlannerInput(results: results, sources: from, doctor: Self.doctor(for: results[0].environment))
            plan = try Planner.plan(input, config)
        } catch let error as PlannerError {
            throw ValidationError(error.description)
        }
        if !checks.isEmpty {
            let fitted = plan.input.steps.filter { plan.costs.stepsUsed.contains($0.label) }
            plan.checks = try checks.map { path in
                let run: RunResults
                do { run = try RunResults.read(from: path) } catch let error as ResultsError { throw ValidationError(error.description) }
                return PredictionCheck.make(costs: plan.costs, fitted: fitted, run: MeasuredStep(results: run, label: path),
                                            tolerancePercent: checkTolerance)
            }
        }
        let now = Date()
        let directory = out ?? ReportFiles.directory(base: "reports", name: "plan", date: now)
        let command = (["mqbench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report = PlanReport.make(plan, createdAt: ReportFiles.isoTime(now), command: command)
        try ReportFiles.write(report, data: plan, to: directory)
        if json {
            try printJSON(plan)
        } else {
            print(PlanText.render(plan))
            print("\nreport: \(directory)/report.html (also report.md, report.json)")
        }
        if let checks = plan.checks, checks.contains(where: { !$0.passed }) { throw ExitCode(3) }
    }

    /// The checklist of the measured host, when the plan is made on it.
    static func doctor(for environment: RunEnvironment) -> DoctorReport? {
        let here = HostFactsReader(fs: .live)
        let hostname = (try? String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ProcessInfo.processInfo.hostName
        guard hostname == environment.hostname else { return nil }
        let store = environment.store?.directory ?? (ProcessInfo.processInfo.environment["HOME"] ?? "/root") + "/store"
        let config = DoctorConfig(role: .broker, storeDirectory: store, retentionBytes: nil)
        return Doctor.evaluate(DoctorInput(host: here.read(storeDirectory: store), runtime: RuntimeProbe.current(), config: config))
    }
}

extension FlushMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(brokerSetting: argument) }
}
