import Foundation
import Metrics
import Planner
import TestSupport
import Testing

/// `mqbench sweep` as a user runs it: a child process whose steps each start
/// their own mqnamesrv and mqbroker on 127.0.0.1. Steps are a few seconds at
/// low rates, so both tests together stay well under a minute.
@Suite struct SweepCommandTests {
    func mqbench(_ args: [String]) async throws -> ProcessResult {
        try await runProcess(productsDirectory + "/mqbench", args)
    }

    /// A small verified workload: two producers, one consumer group.
    func tinyProfile(in dir: TempDir) throws -> String {
        let path = dir.path + "/tiny.yaml"
        try """
            name: tiny
            duration: 10s
            warmup: 1s
            sampleInterval: 1s
            topics: {count: 1, prefix: SweepTiny, queuesPerTopic: 2}
            message: {size: 256B}
            producers: {count: 2, rate: 100, mode: async, window: 16}
            consumers: [{group: sink, count: 1}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func sweep(_ out: String) throws -> SweepResult {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(SweepResult.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/sweep.json")))
    }

    @Test func rampsFromTheGivenEstimateAndWritesStepsAndReport() async throws {
        let dir = TempDir("sweep"); defer { dir.cleanup() }
        let out = dir.path + "/out"
        // Estimate 500 → the ramp offers 100, 200, 300 msg/s (bisecting instead once a step breaks).
        let r = try await mqbench(["sweep", try tinyProfile(in: dir), "--estimate", "500", "--step", "2s", "--warmup", "1s",
                                   "--max-steps", "3", "--out", out])
        let result = try sweep(out)
        #expect(r.status == (result.sustainableRate != nil ? 0 : 1), "\(r.stderr)")
        #expect(result.estimate == 500 && result.stopped == "reached the step limit (3)")
        let rates = result.verdicts.map(\.rate)
        #expect(rates.count == 3 && rates.first == 100, "\(rates)")
        // Up to the first broken step the ramp only climbs, by the estimate's 20 %.
        let ramp = rates.prefix((result.verdicts.firstIndex { !$0.held } ?? rates.count - 1) + 1)
        #expect(zip(ramp, ramp.dropFirst()).allSatisfy { $1 == $0 + 100 }, "\(rates)")
        // One directory per step, numbered in run order, each with a results.json that reads back.
        let steps = try FileManager.default.contentsOfDirectory(atPath: out + "/steps").sorted()
        #expect(steps == rates.enumerated().map { "0\($0 + 1)-\(Int($1))" })
        for (name, rate) in zip(steps, rates) {
            let run = try RunResults.read(from: out + "/steps/" + name)
            #expect(run.mode == .openLoop && run.profile.producers.schedule.map(\.peakRate) == [rate])
            #expect(run.summary.sent > 0 && run.summary.lost == 0, "\(name): \(run.summary)")
            #expect(FileManager.default.fileExists(atPath: out + "/steps/" + name + "/report.html"))
        }
        #expect(result.input.sources == steps.map { out + "/steps/" + $0 })
        #expect(result.input.steps.map(\.rate) == rates.sorted())
        for f in ["report.md", "report.html", "report.json", "profile.yaml"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + f), "missing \(f)")
        }
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(md.contains("| 1 | 100 msg/s |") && md.contains("Closed-loop estimate 500 msg/s"))
        // A line per step on stderr; the summary on stdout.
        for (i, rate) in rates.enumerated() {
            #expect(r.stderr.contains("step \(i + 1)  \(Int(rate)) msg/s  sent "), "\(r.stderr)")
        }
        #expect(r.stdout.contains("Bottleneck: ") && r.stdout.contains("USL: ") && r.stdout.contains("report: \(out)/report.html"))
        // The steps are what `mqbench plan --from` reads. The plan needs a positive broker CPU cost
        // from steps that kept up — exactly when the sweep's own costs have one (the fit, or the
        // average when broker CPU did not follow the rate on a busy host).
        let plan = try await mqbench(["plan", "--from"] + steps.map { out + "/steps/" + $0 } + ["--target", "t=1000", "--out", dir.path + "/plan"])
        if let cpu = result.costs.brokerCPUForSizing, cpu.slope > 0 {
            #expect(plan.status == 0, "\(plan.stderr)")
        } else {
            #expect(plan.status == 64 && plan.stderr.contains("needs at least two steady steps with broker CPU sampled"), "\(plan.stderr)")
        }
    }

    @Test func aCeilingBelowIdleBreaksTheFirstStepOfAClosedLoopEstimate() async throws {
        let dir = TempDir("sweep-ceiling"); defer { dir.cleanup() }
        let out = dir.path + "/out"
        let r = try await mqbench(["sweep", try tinyProfile(in: dir), "--estimate-duration", "2s", "--step", "2s", "--warmup", "1s",
                                   "--cpu-ceiling", "0.1", "--max-steps", "1", "--out", out, "--json"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("no step held, so there is no sustainable maximum"))
        let result = try sweep(out)
        // The closed-loop run measured the estimate; the first step offered 20 % of it.
        let estimate = try #require(result.estimate)
        #expect(estimate > 50 && FileManager.default.fileExists(atPath: out + "/estimate/results.json"))
        let verdict = try #require(result.verdicts.first)
        #expect(result.verdicts.count == 1 && !verdict.held && verdict.rate == (estimate * 0.2).rounded())
        #expect(verdict.reasons.contains { $0.hasPrefix("host CPU ") && $0.hasSuffix("≥ 0 %") }, "\(verdict.reasons)")
        #expect(result.knee == nil && result.settings?.ceilings.cpuPercent == 0.1)
        // --json: the same sweep on stdout, with where it went and the exit status.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["outDirectory"] as? String == out && json["exitCode"] as? Int == 1 && json["sweep"] is [String: Any])
    }
}
