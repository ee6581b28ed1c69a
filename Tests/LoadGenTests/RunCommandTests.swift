import Foundation
import TestSupport
import Testing

/// `mqbench run` as a user runs it: a child process that starts its own
/// mqnamesrv and mqbroker children.
@Suite struct RunCommandTests {
    func mqbench(_ args: [String]) async throws -> ProcessResult {
        try await runProcess(productsDirectory + "/mqbench", args)
    }

    var profiles: String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("profiles").path }

    /// The `summary` object of DIR/results.json.
    func summary(_ dir: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["summary"] as? [String: Any])
    }

    /// Names of the SLO outcomes that failed.
    func failedSLOs(_ dir: String) throws -> Set<String> {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let outcomes = (json["slo"] as? [String: Any])?["outcomes"] as? [[String: Any]] ?? []
        return Set(outcomes.filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String })
    }

    @Test func smokeProfileRunsEndToEndAgainstTheEmbeddedCluster() async throws {
        let dir = TempDir("run"); defer { dir.cleanup() }
        let out = dir.path + "/out"
        let r = try await mqbench(["run", profiles + "/smoke.yaml", "--duration", "4s", "--warmup", "1s", "--out", out])
        // Exit status 0 means every SLO passed. A debug build on a busy machine can miss
        // smoke's latency limits; delivery (lost, duplicated, errors) must hold regardless.
        let failed = try failedSLOs(out)
        #expect(r.status == (failed.isEmpty ? 0 : 1), "\(r.stderr)")
        #expect(failed.subtracting(["sendP99", "sendP999", "endToEndP99"]).isEmpty, "failed: \(failed)")
        let fm = FileManager.default
        for f in ["profile.yaml", "profile.effective.json", "broker.conf", "broker.log", "namesrv.log", "interval.log",
                  "report.md", "report.html", "report.json"] {
            #expect(fm.fileExists(atPath: out + "/" + f), "missing \(f)")
        }
        // Measured window: sends of the 4 s after warm-up; verification covers all 2,500.
        let s = try summary(out)
        let sent = s["sent"] as? Int ?? 0
        // Counted by when they happened: deliveries lag sends by milliseconds at the window's edges.
        #expect(sent > 1500 && abs((s["received"] as? Int ?? 0) - sent) < 100, "\(s)")
        #expect(s["lost"] as? Int == 0 && s["duplicated"] as? Int == 0 && s["errors"] as? Int == 0)
        #expect(r.stdout.contains("RESULT: ") && r.stdout.contains("2,500 of 2,500 expected deliveries"), "\(r.stdout)")
        let intervals = try String(contentsOfFile: out + "/interval.log", encoding: .utf8).split(separator: "\n")
        #expect(intervals.count >= 10 && intervals.allSatisfy { $0.hasPrefix("Current Time: ") && $0.contains(" TPS: ") })
        #expect(r.stderr.contains("/5s] send ") && r.stderr.contains(" (warm-up)"))
        // The children are gone and the fresh store was removed.
        #expect(r.stderr.contains("removed (--keep-store keeps it)"))
        // The run report is written beside the results, its charts inline.
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && r.stderr.contains("report: \(out)/report.html"))
    }

    @Test func brokerKilledAndRestartedUnderSyncFlushLosesNothingAcknowledged() async throws {
        let dir = TempDir("fault"); defer { dir.cleanup() }
        let profile = dir.path + "/crash.yaml"
        try """
            name: crash
            duration: 6s
            warmup: 1s
            topics: {count: 1, prefix: Crash, queuesPerTopic: 4}
            message: {size: 256B}
            producers: {count: 2, rate: 200, mode: sync}
            consumers: [{group: audit, count: 1}]
            faults:
              - {at: 1500ms, action: pause-consumers}
              - {at: 2500ms, action: kill-broker, restartAfter: 1s}
              - {at: 4s, action: resume-consumers}
            broker: {flushDiskType: SYNC_FLUSH}
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let r = try await mqbench(["run", profile, "--out", dir.path + "/out", "--quiet"])
        let failed = try failedSLOs(dir.path + "/out")
        #expect(r.status == 0 && failed.isEmpty, "\(failed) \(r.stderr)")
        for line in ["fault: pause-consumers all groups", "fault: kill-broker broker pid", "fault: restart-broker broker pid",
                     "answered after", "fault: resume-consumers all groups"] {
            #expect(r.stderr.contains(line), "no '\(line)' in:\n\(r.stderr)")
        }
        // Verification: no acknowledged message lost; sends while the broker was down failed.
        let s = try summary(dir.path + "/out")
        #expect(s["verified"] as? Bool == true && s["lost"] as? Int == 0, "\(s)")
        #expect((s["sent"] as? Int ?? 0) > 500 && (s["errors"] as? Int ?? 0) > 0, "\(s)")
        let results = try String(contentsOfFile: dir.path + "/out/results.json", encoding: .utf8)
        #expect(results.contains("\"action\" : \"kill-broker\"") && results.contains("\"action\" : \"restart-broker\""))
    }
}
