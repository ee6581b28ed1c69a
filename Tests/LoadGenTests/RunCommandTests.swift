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

    /// The "done:" line's counts: sent, failed, received[group], not-started.
    func counts(_ err: String) -> [String: Int] {
        guard let line = err.split(separator: "\n").last(where: { $0.hasPrefix("done: ") }) else { return [:] }
        var r: [String: Int] = [:]
        for pair in line.dropFirst(6).split(separator: " ") {
            let kv = pair.split(separator: "=")
            if kv.count == 2, let n = Int(kv[1]) { r[String(kv[0])] = n }
        }
        return r
    }

    @Test func smokeProfileRunsEndToEndAgainstTheEmbeddedCluster() async throws {
        let dir = TempDir("run"); defer { dir.cleanup() }
        let out = dir.path + "/out"
        let r = try await mqbench(["run", profiles + "/smoke.yaml", "--duration", "4s", "--warmup", "1s", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let fm = FileManager.default
        for f in ["profile.yaml", "profile.effective.json", "broker.conf", "broker.log", "namesrv.log", "interval.log"] {
            #expect(fm.fileExists(atPath: out + "/" + f), "missing \(f)")
        }
        let c = counts(r.stderr)
        #expect((c["sent"] ?? 0) == 2500, "\(c)")  // 500 msg/s over 1 s warm-up + 4 s
        #expect(c["received[smoke]"] == c["sent"] && c["failed"] == 0 && c["not-started"] == 0, "\(c)")
        let intervals = try String(contentsOfFile: out + "/interval.log", encoding: .utf8).split(separator: "\n")
        #expect(intervals.count >= 5 && intervals.allSatisfy { $0.hasPrefix("Current Time: ") && $0.contains("Send TPS: ") })
        #expect(r.stderr.contains("s/5s warm-up] send ") && r.stderr.contains("s/5s measure] send "))
        // The children are gone and the fresh store was removed.
        #expect(r.stderr.contains("removed (--keep-store keeps it)"))
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
        #expect(r.status == 0, "\(r.stderr)")
        for line in ["fault: pause-consumers all groups", "fault: kill-broker broker pid", "fault: restart-broker broker pid",
                     "answered after", "fault: resume-consumers all groups"] {
            #expect(r.stderr.contains(line), "no '\(line)' in:\n\(r.stderr)")
        }
        let c = counts(r.stderr)
        // Every acknowledged message reached the group; sends while the broker was down failed.
        #expect((c["sent"] ?? 0) > 500 && (c["received[audit]"] ?? 0) >= (c["sent"] ?? .max), "\(c)")
        #expect((c["failed"] ?? 0) > 0, "\(c)")
    }
}
