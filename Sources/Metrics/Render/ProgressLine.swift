import Sampler

/// The live progress line `mqbench run` writes to stderr every interval.
public enum ProgressLine {
    /// `[ 1m05s/5m00s] send 19,998/s  consume 79,990/s  p99 send 3.210 ms  backlog 1,234  errors 0`,
    /// with ` (warm-up)` or ` (drain)` outside the measured window.
    public static func render(_ s: IntervalStats, elapsed: Double, total: Double) -> String {
        let clock = "[\(TextFormat.pad(NumberText.duration(elapsed), 6))/\(NumberText.duration(total))]"
        var line = "\(clock) send \(NumberText.rate(s.sendRate))/s  consume \(NumberText.rate(s.consumeRate))/s"
        line += "  p99 send \(s.sendLatencyMs.count == 0 ? "-" : NumberText.ms(s.sendLatencyMs.p99) + " ms")"
        line += "  backlog \(NumberText.grouped(max(0, s.backlogTotal)))  errors \(NumberText.grouped(s.errors))"
        switch s.phase {
        case .warmup: line += " (warm-up)"
        case .drain: line += " (drain)"
        case .measured: break
        }
        return line
    }
}

/// Interval lines in the shape of RocketMQ's own benchmark tools
/// (`distribution/benchmark/producer.sh`, `consumer.sh`), for people used to them.
/// Failure counts are cumulative, as RocketMQ prints them; times are UTC.
public enum RocketMQLogLine {
    /// `Current Time: 2026-11-20 10:00:01,000 | Send TPS: 19998 | Max RT(ms): 12 | Average RT(ms):   1.234 | Send Failed: 0 | Response Failed: 0`
    public static func send(_ s: IntervalStats) -> String {
        let avg = TextFormat.pad(TextFormat.fixed(s.sendLatencyMs.mean, 3), 7)
        return "Current Time: \(NumberText.timestamp(s.endWall)) | Send TPS: \(Int(s.sendRate.rounded())) | Max RT(ms): \(Int(s.sendLatencyMs.max.rounded(.up))) | Average RT(ms): \(avg) | Send Failed: \(s.cumulative.sendFailed) | Response Failed: \(s.cumulative.responseFailed)"
    }

    /// `Current Time: … | Consume TPS: 79990 | AVG(B2C) RT(ms):   3.120 | MAX(B2C) RT(ms): 41`
    /// (born-to-consume: the stamp's send time to delivery).
    public static func consume(_ s: IntervalStats) -> String {
        let avg = TextFormat.pad(TextFormat.fixed(s.endToEndLatencyMs.mean, 3), 7)
        return "Current Time: \(NumberText.timestamp(s.endWall)) | Consume TPS: \(Int(s.consumeRate.rounded())) | AVG(B2C) RT(ms): \(avg) | MAX(B2C) RT(ms): \(Int(s.endToEndLatencyMs.max.rounded(.up)))"
    }
}
