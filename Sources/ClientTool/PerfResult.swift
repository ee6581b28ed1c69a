import Foundation
import Metrics

/// The outcome of one perf run, as printed (`--json`: this object, keys sorted).
struct PerfResult: Codable, Equatable {
    /// "produce" or "consume".
    var kind: String
    /// produce: "window" (async sends, closed loop), "batch" (batch sends, closed
    /// loop) or "rate" (async sends paced at `targetRate`); consume: "pull" or "push".
    var mode: String
    var topic: String
    var bodySize: Int
    var window: Int?
    var batch: Int?
    var targetRate: Double?
    var pullBatch: Int?
    /// Messages acknowledged (produce) or received (consume).
    var messages: Int
    var failed: Int
    /// From the first send (or pull) to the last answer.
    var seconds: Double
    var messagesPerSecond: Double
    /// Body bytes per second, 10^6.
    var megabytesPerSecond: Double
    /// Send to acknowledgement, per message (a batch's latency counts once per message).
    var latencyMs: LatencySummary?
    /// Open loop: from the time each send was scheduled (includes any lag of the pacer).
    var scheduledLatencyMs: LatencySummary?
    /// CPU (user + system) of this client process during the run.
    var clientCPUSeconds: Double
    /// The first distinct errors, with counts.
    var errors: [String: Int]
    /// produce: the run cut into `--interval`s (the last one ends at the last answer).
    var intervals: [PerfInterval]? = nil

    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// A few aligned lines for people.
    var text: String {
        var lines: [String] = []
        var what = "\(kind) \(mode), \(bodySize) B bodies"
        if let window { what += ", window \(window)" }
        if let batch { what += ", batch \(batch)" }
        if let targetRate { what += ", rate \(Int(targetRate))/s" }
        if let pullBatch { what += ", pull batch \(pullBatch)" }
        lines.append(what)
        lines.append("  messages   \(messages) in \(String(format: "%.3f", seconds)) s, failed \(failed)")
        lines.append("  throughput \(String(format: "%.0f", messagesPerSecond)) msg/s, \(String(format: "%.1f", megabytesPerSecond)) MB/s")
        if let l = latencyMs { lines.append("  latency ms " + Self.percentiles(l)) }
        if let l = scheduledLatencyMs { lines.append("  from schedule ms " + Self.percentiles(l)) }
        lines.append("  client CPU \(String(format: "%.2f", clientCPUSeconds)) s")
        for (e, n) in errors.sorted(by: { $0.value > $1.value }) { lines.append("  error ×\(n): \(e)") }
        return lines.joined(separator: "\n")
    }

    static func percentiles(_ l: LatencySummary) -> String {
        func f(_ v: Double) -> String { String(format: "%.3f", v) }
        return "p50 \(f(l.p50))  p90 \(f(l.p90))  p99 \(f(l.p99))  p99.9 \(f(l.p999))  max \(f(l.max))"
    }
}
