import Foundation
import LoadGen
import Logging
import Metrics
import Planner
import Profiles
import Report
import Sampler
import Synchronization

/// `mqbench sweep`: finds the capacity of the hardware under test. Each step is
/// one `mqbench run` of the profile at a constant offered rate (LoadGen's
/// `Runner`, with its own embedded cluster and fresh store unless `--namesrv` or
/// `--store`), judged by `SweepSearch`, which picks the next rate: a ramp from a
/// closed-loop estimate, then bisection near the knee. The steps are analysed
/// by `SweepResult` (knee, bottleneck, per-message costs, USL) and written as
/// sweep.json and the sweep report.
public final class SweepDriver: Sendable {
    public struct Outcome: Sendable {
        /// The analysis (nil when no step finished).
        public var result: SweepResult?
        public var outDirectory: String
        public var interrupted: Bool
        /// Why the sweep could not go on (a step failed to run), nil otherwise.
        public var failure: String?

        /// 0: a sustainable maximum was found; 1: none (or a step failed to run);
        /// 2: a step lost acknowledged messages; 130: interrupted.
        public var exitCode: Int32 {
            if interrupted { return 130 }
            if result?.lossySteps.isEmpty == false { return 2 }
            return failure == nil && result?.sustainableRate != nil ? 0 : 1
        }
    }

    public let options: SweepOptions
    private let logger: Logger
    private let doctor: @Sendable (RunEnvironment) -> DoctorReport?
    private let say: @Sendable (String) -> Void
    private let stopRequested = Atomic<Bool>(false)
    private let current = Mutex<Runner?>(nil)

    /// - Parameters:
    ///   - doctor: the host checklist for the report, given the measured environment.
    ///   - say: where the per-step progress lines go (stderr for the command).
    public init(options: SweepOptions, logger: Logger, doctor: @escaping @Sendable (RunEnvironment) -> DoctorReport? = { _ in nil },
                say: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.logger = logger
        self.doctor = doctor
        self.say = say
    }

    /// Stops the step under way (cleanly, its partial figures not used) and the sweep.
    public func requestStop() {
        stopRequested.store(true, ordering: .relaxed)
        current.withLock { $0 }?.requestStop()
    }

    private var stopping: Bool { stopRequested.load(ordering: .relaxed) }

    public func run() async throws -> Outcome {
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        // A given estimate is checked before anything is created or run.
        let given = options.start.needsClosedLoopRun ? nil : try options.start.search(measured: nil, settings: options.settings, logicalCPUs: cpus)
        let watch = SignalWatch { [self] sig in
            if stopping {
                logger.warning("signal \(sig) again: exiting without cleaning up")
                exit(130)
            }
            say("signal \(sig): stopping the step under way, then writing the report of the finished steps (again to exit at once)")
            requestStop()
        }
        defer { watch.cancel() }
        let out = options.outDirectory
        try FileManager.default.createDirectory(atPath: out + "/steps", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: out + "/profile.yaml")
        try FileManager.default.copyItem(atPath: options.profilePath, toPath: out + "/profile.yaml")
        let dropped = StepProfiles.step(options.profile, rate: 1, warmup: 0, seconds: 1).dropped
        if !dropped.isEmpty { say("not run in a sweep (it measures steady load): \(dropped.joined(separator: ", "))") }

        var search: SweepSearch
        if let given {
            search = given
        } else {
            guard let measured = try await estimateRun() else { return Outcome(result: nil, outDirectory: out, interrupted: true) }
            search = try options.start.search(measured: measured, settings: options.settings, logicalCPUs: cpus)
        }
        var results: [RunResults] = []
        var sources: [String] = []
        var failure: String?
        var next: Double? = search.firstRate
        while let rate = next, !stopping {
            let number = search.verdicts.count + 1
            let dir = options.stepDirectory(number: number, rate: rate)
            say(SweepText.starting(number: number, rate: rate, warmup: options.warmupSeconds, seconds: options.stepSeconds))
            let r: RunResults
            do {
                guard let done = try await runStep(rate: rate, directory: dir, number: number) else {
                    setAside(dir, in: "interrupted")
                    break
                }
                r = done
            } catch {
                failure = "step \(number) (\(Int(rate)) msg/s) failed: \(error)"
                say(failure!)
                setAside(dir, in: "failed")
                break
            }
            let step = MeasuredStep(results: r)
            next = search.record(step)
            results.append(r)
            sources.append(dir)
            say(SweepText.finished(number: number, step: step, verdict: search.verdicts.last!))
            if let lost = step.lostMessages, lost > 0 { say(SweepText.loss(number: number, lost: lost, directory: dir)) }
        }
        let stopped = stopping ? "interrupted" : failure.map { _ in "a step failed" } ?? search.finished
        guard !results.isEmpty else { return Outcome(result: nil, outDirectory: out, interrupted: stopping, failure: failure) }
        let input = try PlannerInput(results: results, sources: sources, doctor: doctor(results[0].environment))
        let result = SweepResult(input: input, estimate: search.estimate, verdicts: search.verdicts, settings: search.settings,
                                 stopped: stopped)
        try write(result)
        return Outcome(result: result, outDirectory: out, interrupted: stopping, failure: failure)
    }

    /// Moves an unfinished step out of steps/, so `mqbench plan --from OUT/steps/*` reads finished steps only.
    private func setAside(_ directory: String, in folder: String) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory) else { return }
        let target = options.outDirectory + "/" + folder
        try? fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        let moved = target + "/" + (directory as NSString).lastPathComponent
        if (try? fm.moveItem(atPath: directory, toPath: moved)) != nil { say("unfinished step kept in \(moved)") }
    }

    /// The closed-loop run; returns its send rate, nil when interrupted.
    private func estimateRun() async throws -> Double? {
        let dir = options.estimateDirectory
        say("estimate: closed loop for \(Format.duration(options.warmupSeconds)) warm-up + \(Format.duration(options.estimateSeconds)) …")
        let (profile, _) = StepProfiles.estimate(options.profile, warmup: options.warmupSeconds, seconds: options.estimateSeconds)
        let ran: RunResults?
        do { ran = try await runProfile(profile, directory: dir, note: "the closed-loop estimate") } catch {
            throw SweepError("the closed-loop estimate run failed: \(error) (give --estimate N to skip it)")
        }
        guard let r = ran else { return nil }
        say("estimate: \(Format.grouped(r.summary.sendRate)) msg/s closed loop (p99 send \(Format.value(r.summary.sendLatencyMs.p99, .milliseconds))); results in \(dir)")
        return r.summary.sendRate
    }

    /// One step at `rate`; nil when interrupted (its partial figures are not a step).
    private func runStep(rate: Double, directory: String, number: Int) async throws -> RunResults? {
        let (profile, _) = StepProfiles.step(options.profile, rate: rate, warmup: options.warmupSeconds, seconds: options.stepSeconds)
        return try await runProfile(profile, directory: directory, note: "step \(number) at \(Int(rate)) msg/s")
    }

    /// Runs one profile into `directory` (results.json and its run report); nil when interrupted.
    private func runProfile(_ profile: Profile, directory: String, note: String) async throws -> RunResults? {
        var run = RunOptions(profile: profile, profilePath: options.profilePath, outDirectory: directory, binDirectory: options.binDirectory)
        run.nameServers = options.nameServers
        run.storeDirectory = options.storeDirectory
        run.keepStore = options.keepStore
        run.drainTimeout = options.drainTimeout
        run.progress = options.verbose
        run.printSummary = false
        run.watchSignals = false
        var quiet = logger
        if !options.verbose { quiet.logLevel = max(quiet.logLevel, .warning) }
        let runner = Runner(options: run, logger: quiet)
        current.withLock { $0 = runner }
        defer { current.withLock { $0 = nil } }
        // A stop that arrived before the runner was current.
        if stopping { return nil }
        let outcome = try await runner.run()
        if outcome.interrupted { return nil }
        let results = try RunResults.read(from: directory)
        do {
            try RunReport.write(results, to: directory, command: "\(Self.command)  # \(note)")
        } catch {
            logger.warning("run report of \(directory) not written: \(error)")
        }
        return results
    }

    /// The command line that started the sweep, for the reports' "Reproduce".
    static var command: String { (["mqbench"] + CommandLine.arguments.dropFirst()).joined(separator: " ") }

    /// sweep.json and the sweep report (report.md/html/json, charts) into the output directory.
    private func write(_ result: SweepResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(result).write(to: URL(fileURLWithPath: options.outDirectory + "/sweep.json"), options: .atomic)
        let report = SweepReport.make(result, createdAt: ReportFiles.isoTime(Date()), command: Self.command)
        try ReportFiles.write(report, data: result, to: options.outDirectory)
    }
}
