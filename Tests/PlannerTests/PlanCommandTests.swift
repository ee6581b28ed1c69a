import BenchFixtures
import Foundation
import Testing
import TestSupport
@testable import Planner

/// `mqbench plan` as a user runs it on run directories.
@Suite struct PlanCommandTests {
    var mqbench: String { productsDirectory + "/mqbench" }

    @Test func plansFromRunDirectoriesAndWritesTheReport() async throws {
        let dir = TempDir("plan-cmd")
        defer { dir.cleanup() }
        var runs: [String] = []
        for rate in [500, 1000, 1500, 2000] {
            runs.append(try SyntheticResults.make(rate: rate).write(to: dir.path + "/run-\(rate)"))
        }
        let out = dir.path + "/report"
        let r = try await runProcess(mqbench, ["plan", "--from"] + runs + ["--target", "normal=2000", "--target", "promotion=20k",
                                                                              "--retention", "48h", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Cluster for promotion: 2 masters + 2 slaves, 2 NameServers"))
        #expect(r.stdout.contains("report: \(out)/report.html"))
        for file in ["report.md", "report.html", "report.json", "charts/sweep-rate.svg", "charts/cost-cpu.svg"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(md.contains("| retention | 48 h | configured |"))
        #expect(md.contains("mqbench plan --from"))
        // Broker CPU 0.1 + 100 µs × rate was sampled: the plan says so.
        #expect(md.contains("| broker CPU | 100.0 µs |"))

        let json = try await runProcess(mqbench, ["plan", "--from"] + runs + ["--target", "normal=2000", "--json", "--out", out + "-2"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["cluster"] as? [String: Any])?["masters"] as? Int == 2)
    }

    /// `--check`: a run the costs were not fitted on, compared with their predictions.
    @Test func checksThePredictionsAgainstAnUnmeasuredRun() async throws {
        let dir = TempDir("plan-check")
        defer { dir.cleanup() }
        var runs: [String] = []
        for rate in [500, 1000, 2000] {
            runs.append(try SyntheticResults.make(rate: rate).write(to: dir.path + "/run-\(rate)"))
        }
        let check = try SyntheticResults.make(rate: 1500).write(to: dir.path + "/check-1500")
        let r = try await runProcess(mqbench, ["plan", "--from"] + runs + ["--target", "normal=2000", "--check", check, "--out", dir.path + "/report"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Accuracy check at 1500 msg/s (\(check)): within ± 15 %"), "\(r.stdout)")
        #expect(r.stdout.contains("broker CPU"))
        let md = try String(contentsOfFile: dir.path + "/report/report.md", encoding: .utf8)
        #expect(md.contains("## Accuracy check"))
        // A run whose broker burnt 1.5 times the CPU: that prediction is off, exit status 3.
        let bigger = try SyntheticResults.make(rate: 1500, cpuScale: 1.5).write(to: dir.path + "/check-hot")
        let off = try await runProcess(mqbench, ["plan", "--from"] + runs + ["--target", "normal=2000", "--check", bigger,
                                                                             "--json", "--out", dir.path + "/off"])
        #expect(off.status == 3, "\(off.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(off.stdout.utf8)) as? [String: Any])
        let checks = try #require(object["checks"] as? [[String: Any]])
        let rows = try #require(checks.first?["rows"] as? [[String: Any]])
        #expect(rows.filter { $0["withinTolerance"] as? Bool == false }.compactMap { $0["resource"] as? String } == ["broker CPU"], "\(rows)")
    }

    @Test func badInputIsExplained() async throws {
        let dir = TempDir("plan-cmd-bad")
        defer { dir.cleanup() }
        let run = try SyntheticResults.make(rate: 1000).write(to: dir.path + "/run")
        let noTarget = try await runProcess(mqbench, ["plan", "--from", run])
        #expect(noTarget.status != 0 && noTarget.stderr.contains("give at least one --target NAME=RATE"))
        let badTarget = try await runProcess(mqbench, ["plan", "--from", run, "--target", "promotion"])
        #expect(badTarget.status != 0 && badTarget.stderr.contains("expected NAME=RATE"))
        let missing = try await runProcess(mqbench, ["plan", "--from", dir.path + "/nope", "--target", "a=1"])
        #expect(missing.status != 0 && missing.stderr.contains("nope: no such file or directory"))
        // One step cannot give a per-message cost.
        let oneStep = try await runProcess(mqbench, ["plan", "--from", run, "--target", "a=1000", "--out", dir.path + "/r"])
        #expect(oneStep.status != 0 && oneStep.stderr.contains("not enough measurements"))
        let headroom = try await runProcess(mqbench, ["plan", "--from", run, run, "--target", "a=1", "--headroom", "2"])
        #expect(headroom.status != 0 && headroom.stderr.contains("--headroom must be in (0, 1]"))
    }
}

/// `mqbench report` on a run directory.
@Suite struct ReportCommandTests {
    @Test func writesTheRunReport() async throws {
        let dir = TempDir("report-cmd")
        defer { dir.cleanup() }
        let run = try SyntheticResults.make(rate: 1000, stallAt: 2).write(to: dir.path + "/run")
        let r = try await runProcess(productsDirectory + "/mqbench", ["report", run, "--out", dir.path + "/rep"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: dir.path + "/rep/report.md", encoding: .utf8)
        #expect(md.hasPrefix("# Run: step"))
        #expect(md.contains("![Throughput](charts/throughput.svg)"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/rep/charts/spectrum.svg"))
        let bad = try await runProcess(productsDirectory + "/mqbench", ["report", dir.path + "/nothing"])
        #expect(bad.status != 0 && bad.stderr.contains("no such file or directory"))
    }
}
