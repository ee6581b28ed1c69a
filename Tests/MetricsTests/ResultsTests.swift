import Foundation
import Profiles
import Sampler
import Testing
import TestSupport
@testable import Metrics

@Suite struct ResultsTests {
    @Test func resultsFileHasTheDocumentedSummary() throws {
        let run = SyntheticRun(profile: try SyntheticRun.profile())
        let results = run.wholeResults()
        let dir = TempDir("results")
        defer { dir.cleanup() }
        let path = try results.write(to: dir.path + "/run")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Pretty and key-sorted, so runs diff cleanly.
        #expect(text.hasPrefix("{\n  \"agents\" : ["))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        let summary = try #require(object["summary"] as? [String: Any])
        for key in ["sendRate", "consumeRate", "sent", "received", "lost", "duplicated", "reordered", "errors"] {
            #expect(summary[key] is NSNumber, "summary.\(key)")
        }
        for key in ["sendLatencyMs", "endToEndLatencyMs"] {
            let l = try #require(summary[key] as? [String: Any], "summary.\(key)")
            #expect(Set(l.keys).isSuperset(of: ["p50", "p99", "p999", "max"]))
        }
        // The 3 s window holds 300 slots × 4 producers.
        #expect(results.summary.sent + results.summary.errors == 1200)
        #expect(results.summary.errors == results.totals.errorsByCode.reduce(0) { $0 + $1.count })
        #expect(abs(results.summary.sendRate - Double(results.summary.sent) / 3) < 1e-9)
        #expect(results.mode == .openLoop)

        // Reading back: from the directory or the file, every derived figure identical.
        let fromDir = try RunResults.read(from: dir.path + "/run")
        let fromFile = try RunResults.read(from: path)
        #expect(fromDir.summary == results.summary)
        #expect(fromFile.histograms == results.histograms)
        #expect(fromFile.intervals == results.intervals)
        #expect(fromFile.verification == results.verification)
        #expect(fromFile.slo == results.slo)
    }

    @Test func verificationAndSLOFollowTheRun() throws {
        let results = SyntheticRun(profile: try SyntheticRun.profile()).wholeResults()
        let v = try #require(results.verification).counts
        // audit consumer 1 missed sequence 7 of each producer that was acknowledged.
        #expect(v.byGroup["audit"]?.lost == 4)
        #expect(v.lost > 4 && v.duplicated > 0 && v.reordered == 0)
        #expect(results.summary.lost == v.lost && results.summary.verified)
        #expect(results.slo.outcomes.map(\.name) == ["sendP99", "endToEndP99", "maxErrorRate", "maxLost"])
        #expect(results.slo.passed == results.summary.passed)
        // The warm-up intervals stay in the series; the measured ones are 3.
        #expect(results.intervals.map(\.phase) == [.warmup, .measured, .measured, .measured])
    }

    /// The acceptance test for `mqbench merge`: two agents' results, through
    /// their files, merge into what one generator seeing everything recorded.
    @Test func mergedAgentsEqualTheWhole() throws {
        let run = SyntheticRun(profile: try SyntheticRun.profile())
        let dir = TempDir("merge")
        defer { dir.cleanup() }
        let parts = try [2, 1].map { i in
            try RunResults.read(from: try run.agentResults(i).write(to: "\(dir.path)/agent\(i)"))
        }
        let merged = try RunResults.merge(parts)
        let whole = run.wholeResults()
        #expect(merged.agents.map(\.index) == [1, 2])
        #expect(merged.totals == whole.totals)
        #expect(merged.histograms == whole.histograms)
        #expect(merged.latency == whole.latency)
        #expect(merged.verification?.counts == whole.verification?.counts)
        #expect(merged.slo == whole.slo)
        #expect(merged.window == whole.window)
        #expect(merged.intervals.count == whole.intervals.count)
        for (m, w) in zip(merged.intervals, whole.intervals) {
            #expect(m.sent == w.sent && m.errors == w.errors && m.received == w.received)
            #expect(m.histograms == w.histograms)
            #expect(m.backlog == w.backlog && m.phase == w.phase)
            #expect(m.cumulative == w.cumulative)
        }
        var a = merged.summary, b = whole.summary
        #expect(abs(a.sendRate - b.sendRate) < 1e-9 && abs(a.consumeRate - b.consumeRate) < 1e-9)
        #expect(abs(a.sendBytesPerSecond - b.sendBytesPerSecond) < 1e-6)
        (a.sendRate, a.consumeRate, a.sendBytesPerSecond) = (0, 0, 0)
        (b.sendRate, b.consumeRate, b.sendBytesPerSecond) = (0, 0, 0)
        #expect(a == b)
        // The generators' costs add up.
        #expect(merged.generator?.messages == 6000)
    }

    @Test func mergeRefusesResultsOfDifferentRuns() throws {
        let run = SyntheticRun(profile: try SyntheticRun.profile())
        let other = try SyntheticRun.profile(SyntheticRun.yaml.replacingOccurrences(of: "sampleInterval: 1s", with: "sampleInterval: 500ms"))
        func message(_ parts: [RunResults]) -> String {
            do { _ = try RunResults.merge(parts); return "merged" } catch { return error.description }
        }
        #expect(message([run.agentResults(1), run.agentResults(2, profile: other)]).contains("sampleInterval is 1 vs 0.5"))
        #expect(message([run.agentResults(1), run.agentResults(1)]) == "agent 1/2 appears twice (on bench-1 and on bench-1)")
        #expect(message([run.agentResults(2)]) == "results of agent 1/2 missing")
        #expect(message([]) == "nothing to merge")
        #expect(message([run.agentResults(1), run.wholeResults()]).contains("number of agents"))
    }

    @Test func unreadableResultsSayWhy() throws {
        let dir = TempDir("bad-results")
        defer { dir.cleanup() }
        func message(_ path: String) -> String {
            do { _ = try RunResults.read(from: path); return "read" } catch { return "\(error)" }
        }
        #expect(message(dir.path + "/nothing").hasSuffix("no such file or directory"))
        #expect(message(dir.path).contains("no results.json in the directory"))
        try #"{"schemaVersion": 2}"#.write(toFile: dir.path + "/v2.json", atomically: true, encoding: .utf8)
        #expect(message(dir.path + "/v2.json").contains("schema version 2; this mqbench reads version 1"))
        // A hand-edited histogram is caught with its place in the file.
        let good = try SyntheticRun(profile: try SyntheticRun.profile()).wholeResults().write(to: dir.path + "/run")
        let edited = try String(contentsOfFile: good, encoding: .utf8)
            .replacingOccurrences(of: "\"significantDigits\" : 3", with: "\"significantDigits\" : 2")
        try edited.write(toFile: dir.path + "/edited.json", atomically: true, encoding: .utf8)
        #expect(message(dir.path + "/edited.json").contains("2 significant digits"))
    }

    @Test func environmentOfThisHost() throws {
        let dir = TempDir("env")
        defer { dir.cleanup() }
        let env = EnvironmentCollector.collect(storeDirectory: dir.path)
        #expect(env.cores >= 1)
        #expect(env.kernel?.isEmpty == false)
        #expect((env.memoryBytes ?? 0) > 0)
        #expect(env.store?.filesystem?.isEmpty == false)
        #expect(!env.hostname.isEmpty)
        #expect(EnvironmentCollector.collect(storeDirectory: nil).store == nil)
    }

    @Test func generatorSaturation() {
        let idle = GeneratorCost.assess(cpuSeconds: 3, wallSeconds: 10, messages: 30_000, cores: 2)
        #expect(!idle.saturated && idle.cpuSecondsPer1000Messages == 0.1 && idle.coresUsed == 0.3)
        let alone = GeneratorCost.assess(cpuSeconds: 17.5, wallSeconds: 10, messages: 1, cores: 2)
        #expect(alone.saturated && alone.warning?.contains("1.8 of 2 CPUs") == true)
        let shared = GeneratorCost.assess(cpuSeconds: 9, wallSeconds: 10, messages: 1, cores: 2, hostBusyPercent: 98)
        #expect(shared.saturated && shared.warning?.contains("compete") == true)
        let busyBroker = GeneratorCost.assess(cpuSeconds: 4, wallSeconds: 10, messages: 1, cores: 2, hostBusyPercent: 98)
        #expect(!busyBroker.saturated)
    }

    @Test func resourceSeriesTellsProcessesApart() async {
        let me = getpid()
        let sampler = Sampler(reader: SnapshotReader(pids: [me]), interval: 0.05, count: 2)
        sampler.start()
        await sampler.finished()
        let series = ResourceSeries(agent: 1, series: SampleSeries(intervalSeconds: 0.05, storeDisks: [], samples: sampler.series,
                                                                    samplerCost: sampler.cost),
                                    processes: [ProcessRole(pid: me, role: .generator)])
        #expect(series.series.samples.count == 2)
        #expect((series.meanCores(of: .generator) ?? -1) >= 0)
        #expect(series.meanCores(of: .broker) == nil)
        #expect(series.meanHostBusyPercent != nil)
    }
}
