import Foundation
import Metrics
import Profiles
import Synchronization

/// The live view of a run: a progress line on stderr per interval (elapsed /
/// total, phase, send and consume rates, backlog, errors) and a plain interval
/// log in the output directory, one line per interval in the manner of
/// RocketMQ's benchmark tools.
final class RunProgress: Sendable {
    let profile: Profile
    let counters: CountingObserver
    let enabled: Bool
    let logPath: String

    private struct Last {
        var time = 0.0
        var sent = 0
        var failed = 0
        var received = 0
    }
    private let last = Mutex(Last())

    init(profile: Profile, counters: CountingObserver, outDirectory: String, enabled: Bool) {
        self.profile = profile
        self.counters = counters
        self.enabled = enabled
        logPath = outDirectory + "/interval.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    /// One interval ended `elapsed` seconds after load started.
    func interval(elapsed t: Double, draining: Bool) {
        let sent = counters.sent
        let failed = counters.failed.load(ordering: .relaxed)
        let received = counters.receivedTotal
        let prev = last.withLock { l in
            defer { l = Last(time: t, sent: sent, failed: failed, received: received) }
            return l
        }
        let dt = max(1e-3, t - prev.time)
        let sendRate = Double(sent - prev.sent) / dt
        let consumeRate = Double(received - prev.received) / dt
        let total = profile.warmup + profile.duration
        // The phase the interval began in: the one closed right at the end of warm-up is warm-up.
        let phase = draining ? "drain" : prev.time + 1e-3 < profile.warmup ? "warm-up" : "measure"
        let backlog = counters.maxBacklog
        if enabled {
            let line = String(format: "[%6.1fs/%.0fs %@] send %@ msg/s | consume %@ msg/s | backlog %@ | errors %@ | sent %@",
                              t, total, phase, Self.grouped(sendRate), Self.grouped(consumeRate), Self.grouped(Double(backlog)),
                              Self.grouped(Double(failed)), Self.grouped(Double(sent)))
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let stamp = Self.timestamp()
        let log = String(format: "Current Time: %@ | Send TPS: %.0f | Send Failed: %d | Consume TPS: %.0f | Backlog: %d | Phase: %@\n",
                         stamp, sendRate, failed - prev.failed, consumeRate, backlog, phase)
        if let h = FileHandle(forWritingAtPath: logPath) {
            h.seekToEndOfFile()
            h.write(Data(log.utf8))
            try? h.close()
        }
    }

    /// The end of the run, printed even when progress is off: `done: sent=N failed=N received[group]=N …`.
    func finish(dropped: Int) {
        var s = "done: sent=\(counters.sent) failed=\(counters.failed.load(ordering: .relaxed))"
        for g in counters.groups.values.sorted(by: { $0.name < $1.name }) {
            s += " received[\(g.name)]=\(g.received.load(ordering: .relaxed))"
        }
        s += " not-started=\(dropped)"
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static func grouped(_ v: Double) -> String {
        let n = Int(v.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
        return f.string(from: Date())
    }
}
