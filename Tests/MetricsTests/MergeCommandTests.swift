import Foundation
import Testing
import TestSupport
@testable import Metrics

/// `mqbench merge` as a user runs it on the agents' run directories.
@Suite struct MergeCommandTests {
    var mqbench: String { productsDirectory + "/mqbench" }

    @Test func mergesAgentDirectoriesIntoOneResult() throws {
        let run = SyntheticRun(profile: try SyntheticRun.profile())
        let dir = TempDir("merge-cmd")
        defer { dir.cleanup() }
        try run.agentResults(1).write(to: dir.path + "/a1")
        try run.agentResults(2).write(to: dir.path + "/a2")

        let (status, out, _) = try runProcess(mqbench, ["merge", dir.path + "/a1", dir.path + "/a2/results.json", "--out", dir.path + "/m"])
        let whole = run.wholeResults()
        #expect(status == (whole.passed ? 0 : 1))
        #expect(out.contains("mqbench fixture (open-loop, 2 agents)"))
        #expect(out.contains("merged results: \(dir.path)/m/results.json"))
        let merged = try RunResults.read(from: dir.path + "/m")
        #expect(merged.totals == whole.totals && merged.histograms == whole.histograms)

        let (jsonStatus, json, _) = try runProcess(mqbench, ["merge", dir.path + "/a1", dir.path + "/a2", "--out", dir.path + "/m2", "--json"])
        #expect(jsonStatus == status)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["sent"] as? Int == whole.summary.sent)
        #expect((object["verification"] as? [String: Any])?["lost"] as? Int == whole.summary.lost)
    }

    @Test func refusesResultsOfDifferentRuns() throws {
        let run = SyntheticRun(profile: try SyntheticRun.profile())
        let dir = TempDir("merge-cmd-bad")
        defer { dir.cleanup() }
        try run.agentResults(1).write(to: dir.path + "/a1")
        try run.agentResults(1).write(to: dir.path + "/again")
        let (status, _, err) = try runProcess(mqbench, ["merge", dir.path + "/a1", dir.path + "/again", "--out", dir.path + "/m"])
        #expect(status == 64)
        #expect(err.contains("agent 1/2 appears twice"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/m"))
        let (missing, _, missingErr) = try runProcess(mqbench, ["merge", dir.path + "/nope"])
        #expect(missing != 0 && missingErr.contains("\(dir.path)/nope: no such file or directory"))
    }
}
