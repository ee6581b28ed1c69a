import Foundation
import TestSupport
import Testing

/// `mqbench run` as a user runs it: a child process that starts its own
/// mqnamesrv and mqbroker children.
@Suite struct RunCommandTests {
    struct Finished: Sendable {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs mqbench on a thread of its own (the wait blocks), killing it after `limit` seconds.
    func mqbench(_ args: [String], limit: Double = 120) async throws -> Finished {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Finished, any Error>) in
            Thread {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: productsDirectory + "/mqbench")
                p.arguments = args
                let out = Pipe(), err = Pipe()
                p.standardOutput = out
                p.standardError = err
                do { try p.run() } catch { c.resume(throwing: error); return }
                let pid = p.processIdentifier
                let watchdog = DispatchWorkItem { kill(pid, SIGINT) }
                DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
                let e = err.fileHandleForReading.readDataToEndOfFile()
                let o = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                watchdog.cancel()
                c.resume(returning: Finished(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self),
                                             err: String(decoding: e, as: UTF8.self)))
            }.start()
        }
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
        #expect(r.status == 0, "\(r.err)")
        let fm = FileManager.default
        for f in ["profile.yaml", "profile.effective.json", "broker.conf", "broker.log", "namesrv.log", "interval.log"] {
            #expect(fm.fileExists(atPath: out + "/" + f), "missing \(f)")
        }
        let c = counts(r.err)
        #expect((c["sent"] ?? 0) == 2500, "\(c)")  // 500 msg/s over 1 s warm-up + 4 s
        #expect(c["received[smoke]"] == c["sent"] && c["failed"] == 0 && c["not-started"] == 0, "\(c)")
        let intervals = try String(contentsOfFile: out + "/interval.log", encoding: .utf8).split(separator: "\n")
        #expect(intervals.count >= 5 && intervals.allSatisfy { $0.hasPrefix("Current Time: ") && $0.contains("Send TPS: ") })
        #expect(r.err.contains("s/5s warm-up] send ") && r.err.contains("s/5s measure] send "))
        // The children are gone and the fresh store was removed.
        #expect(r.err.contains("removed (--keep-store keeps it)"))
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
        #expect(r.status == 0, "\(r.err)")
        for line in ["fault: pause-consumers all groups", "fault: kill-broker broker pid", "fault: restart-broker broker pid",
                     "answered after", "fault: resume-consumers all groups"] {
            #expect(r.err.contains(line), "no '\(line)' in:\n\(r.err)")
        }
        let c = counts(r.err)
        // Every acknowledged message reached the group; sends while the broker was down failed.
        #expect((c["sent"] ?? 0) > 500 && (c["received[audit]"] ?? 0) >= (c["sent"] ?? .max), "\(c)")
        #expect((c["failed"] ?? 0) > 0, "\(c)")
    }
}
