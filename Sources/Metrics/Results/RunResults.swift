import Foundation
import Profiles

/// Everything a run keeps: `DIR/results.json`, schema documented field by field
/// in docs/RESULTS.md. Raw data (histograms, ranges, counters) is stored beside
/// the figures derived from it, so that `merge` recomputes the figures exactly.
public struct RunResults: Codable, Sendable {
    public static let currentSchemaVersion = 1
    public static let fileName = "results.json"

    public var schemaVersion: Int
    /// Unix seconds when the results were built.
    public var createdAt: Double
    public var profile: Profile
    public var mode: LoadMode
    public var agents: [AgentInfo]
    /// The environment of the first agent (each agent's host is in `agents`).
    public var environment: RunEnvironment
    public var window: MeasurementWindow
    public var summary: RunSummary
    public var totals: RunTotals
    /// Percentiles of `histograms`.
    public var latency: LatencySummaries
    public var histograms: RunHistograms
    public var groups: [GroupSpec]
    public var intervals: [IntervalStats]
    public var resources: [ResourceSeries]
    public var slo: SLOReport
    /// Absent when the profile turned verification off.
    public var verification: VerificationReport?
    public var faults: [FaultEvent]
    /// The generators together (each agent's is in `agents`).
    public var generator: GeneratorCost?
    public var warnings: [String]

    /// Builds one agent's results from what its recorder holds.
    public init(profile: Profile, recorded: RecordedRun, agent: AgentInfo, environment: RunEnvironment,
                resources: ResourceSeries? = nil, generator: GeneratorCost? = nil, warnings: [String] = [],
                createdAt: Double = Date().timeIntervalSince1970) {
        var agent = agent
        agent.window = recorded.window
        let seconds = recorded.window.seconds
        agent.sendRate = seconds > 0 ? Double(recorded.totals.sent) / seconds : 0
        agent.consumeRate = seconds > 0 ? Double(recorded.totals.received) / seconds : 0
        agent.generator = generator
        schemaVersion = Self.currentSchemaVersion
        self.createdAt = createdAt
        self.profile = profile
        mode = profile.producers.closedLoop ? .closedLoop : .openLoop
        agents = [agent]
        self.environment = environment
        window = recorded.window
        totals = recorded.totals
        histograms = recorded.histograms
        groups = recorded.groups
        intervals = recorded.intervals
        self.resources = resources.map { [$0] } ?? []
        verification = recorded.verification
        faults = recorded.faults
        self.generator = generator
        var notes = warnings
        if let w = generator?.warning { notes.append(w) }
        self.warnings = notes
        // Placeholders, replaced by evaluate().
        latency = recorded.histograms.summaries
        slo = SLOReport(outcomes: [])
        summary = RunSummary(passed: false, mode: mode, measuredSeconds: 0, sendRate: 0, consumeRate: 0, sendBytesPerSecond: 0,
                             sent: 0, received: 0, errors: 0, errorRate: 0, verified: false, lost: 0, duplicated: 0, reordered: 0,
                             maxBacklog: 0, sendLatencyMs: latency.sendLatency.brief, endToEndLatencyMs: latency.endToEnd.brief,
                             sendDelayMs: latency.sendDelay.brief)
        evaluate()
    }

    /// Recomputes every derived figure (percentiles, SLO outcomes, summary) from
    /// the raw parts. Rates are the sum of the agents' own rates: each agent's
    /// sends over its own measured window.
    mutating func evaluate() {
        latency = histograms.summaries
        let measured = intervals.filter { $0.phase == .measured }
        let maxBacklog = measured.map { max(0, $0.backlogTotal) }.max()
        let counts = verification?.counts
        slo = SLOEvaluator.evaluate(profile.slo, .init(sendLatency: latency.sendLatency, endToEnd: latency.endToEnd,
                                                        errorRate: totals.errorRate, maxBacklog: maxBacklog, lost: counts?.lost))
        let sendRate = agents.reduce(0) { $0 + ($1.sendRate ?? 0) }
        let meanSize = totals.sent > 0 ? Double(totals.sentBytes) / Double(totals.sent) : 0
        summary = RunSummary(
            passed: slo.passed, mode: mode, measuredSeconds: window.seconds,
            sendRate: sendRate, consumeRate: agents.reduce(0) { $0 + ($1.consumeRate ?? 0) },
            sendBytesPerSecond: sendRate * meanSize,
            sent: totals.sent, received: totals.received, errors: totals.errors, errorRate: totals.errorRate,
            verified: counts != nil, lost: counts?.lost ?? 0, duplicated: counts?.duplicated ?? 0, reordered: counts?.reordered ?? 0,
            maxBacklog: maxBacklog ?? 0,
            sendLatencyMs: latency.sendLatency.brief, endToEndLatencyMs: latency.endToEnd.brief, sendDelayMs: latency.sendDelay.brief)
    }

    /// True when every SLO passed; `mqbench run` and `mqbench merge` exit non-zero otherwise.
    public var passed: Bool { summary.passed }

    // MARK: Files

    /// Writes `directory/results.json` (pretty, sorted keys) atomically, creating
    /// the directory; returns the file's path.
    @discardableResult
    public func write(to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// Reads results from a results.json file or a run directory holding one.
    public static func read(from path: String) throws -> RunResults {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ResultsError("\(path): no such file or directory")
        }
        let file = isDirectory.boolValue ? (path as NSString).appendingPathComponent(fileName) : path
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw ResultsError("\(file): cannot read (\(isDirectory.boolValue ? "no \(fileName) in the directory" : error.localizedDescription))")
        }
        struct Version: Decodable { var schemaVersion: Int? }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw ResultsError("\(file): not a JSON object")
        }
        guard let v = version.schemaVersion else { throw ResultsError("\(file): no schemaVersion; not mqbench results") }
        guard v == currentSchemaVersion else {
            throw ResultsError("\(file): results schema version \(v); this mqbench reads version \(currentSchemaVersion)")
        }
        do {
            return try JSONDecoder().decode(RunResults.self, from: data)
        } catch let error as DecodingError {
            throw ResultsError("\(file): \(Self.describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let c): return "missing \(path(c)).\(key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(path(c)): \(c.debugDescription)"
        case .dataCorrupted(let c): return "\(path(c).isEmpty ? "invalid JSON" : path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A results file that cannot be read, with the file and the reason.
public struct ResultsError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
