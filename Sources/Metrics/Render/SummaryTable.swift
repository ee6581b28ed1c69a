import Sampler

/// The final summary of a run for people: rates, counts, latency percentiles,
/// SLO outcomes, verification, faults and the verdict. Everything in it is also
/// in results.json.
public enum SummaryTable {
    public static func render(_ r: RunResults) -> String {
        var lines: [String] = []
        let s = r.summary
        let agents = r.agents.count == 1 ? "" : ", \(r.agents.count) agents"
        lines.append("mqbench \(r.profile.name) (\(r.mode.rawValue)\(agents)): measured \(TextFormat.fixed(r.window.seconds, 1)) s"
            + (r.window.warmupSeconds > 0 ? " after \(TextFormat.fixed(r.window.warmupSeconds, 1)) s warm-up" : ""))
        lines.append("")
        lines.append("  send      \(pad(NumberText.rate(s.sendRate) + " msg/s", 16)) \(TextFormat.bytes(s.sendBytesPerSecond))/s"
            + "   sent \(NumberText.grouped(s.sent))   errors \(NumberText.grouped(s.errors)) (\(TextFormat.fixed(s.errorRate * 100, 3)) %)")
        lines.append("  consume   \(pad(NumberText.rate(s.consumeRate) + " msg/s", 16)) received \(NumberText.grouped(s.received))"
            + "   max backlog \(NumberText.grouped(s.maxBacklog))")
        let seconds = r.window.seconds > 0 ? r.window.seconds : 1
        for g in r.groups {
            let n = r.totals.receivedByGroup[g.name] ?? 0
            let model = g.model == .broadcasting ? " (broadcast × \(g.consumers))" : ""
            lines.append("    \(pad(g.name + model, 24)) \(NumberText.rate(Double(n) / seconds)) msg/s")
        }
        if !r.totals.errorsByCode.isEmpty {
            lines.append("  errors by code")
            for e in r.totals.errorsByCode.prefix(5) {
                lines.append("    \(TextFormat.pad(NumberText.grouped(e.count), 10))  code \(e.code)  \(e.reason)")
            }
        }
        lines.append("")
        lines.append(contentsOf: latencyTable(r))
        lines.append("")
        if let v = r.verification?.counts {
            lines.append("  verification  lost \(NumberText.grouped(v.lost))   duplicated \(NumberText.grouped(v.duplicated))"
                + "   reordered \(NumberText.grouped(v.reordered))   received unacknowledged \(NumberText.grouped(v.receivedUnacknowledged))"
                + "   (\(NumberText.grouped(v.received)) of \(NumberText.grouped(v.expected)) expected deliveries)")
            for l in r.verification?.lostSample.prefix(3) ?? [] {
                let who = l.group + (l.consumer.map { " consumer \($0)" } ?? "")
                let ranges = l.ranges.map { $0[0] == $0[1] ? "\($0[0])" : "\($0[0])-\($0[1])" }.joined(separator: ", ")
                lines.append("    lost by \(who) from producer \(l.producer): \(NumberText.grouped(l.count)) (\(ranges))")
            }
        } else {
            lines.append("  verification  off")
        }
        if !r.faults.isEmpty {
            lines.append("  faults")
            for f in r.faults {
                let at = f.elapsed.map { "+" + TextFormat.fixed($0, 1) + " s" } ?? NumberText.timestamp(f.wallTime)
                lines.append("    \(TextFormat.pad(at, 9))  \(f.succeeded ? "" : "FAILED ")\(f.action): \(f.detail) → \(f.outcome)")
            }
        }
        if let g = r.generator {
            lines.append("  generator     \(TextFormat.fixed(g.cpuSecondsPer1000Messages * 1000, 2)) ms CPU per 1000 messages,"
                + " \(TextFormat.fixed(g.coresUsed, 2)) of \(g.cores) cores")
        }
        for w in r.warnings { lines.append("  warning: \(w)") }
        lines.append("")
        if r.slo.outcomes.isEmpty {
            lines.append("  SLO           none set")
        } else {
            lines.append("  SLO")
            for o in r.slo.outcomes {
                let note = o.note.map { " (\($0))" } ?? ""
                lines.append("    \(o.passed ? "PASS" : "FAIL")  \(pad(o.title, 40)) \(value(o.actual, o.unit)) ≤ \(value(o.limit, o.unit))\(note)")
            }
        }
        let failed = r.slo.outcomes.filter { !$0.passed }.count
        lines.append("")
        lines.append(r.passed ? "RESULT: PASSED" : "RESULT: FAILED (\(failed) of \(r.slo.outcomes.count) thresholds)")
        return lines.joined(separator: "\n")
    }

    static func latencyTable(_ r: RunResults) -> [String] {
        let columns = ["p50", "p90", "p99", "p99.9", "p99.99", "max", "count"]
        var lines = ["  latency (ms)       " + columns.map { TextFormat.pad($0, 9) }.joined()]
        func row(_ name: String, _ l: LatencySummary) {
            guard l.count > 0 else { return }
            let cells = [l.p50, l.p90, l.p99, l.p999, l.p9999, l.max].map { TextFormat.pad(NumberText.ms($0), 9) }
            lines.append("  " + pad(name, 17) + cells.joined() + TextFormat.pad(NumberText.grouped(Int(l.count)), 9))
        }
        row("send", r.latency.sendLatency)
        row("send delay", r.latency.sendDelay)
        row("end-to-end", r.latency.endToEnd)
        for g in r.groups {
            if let l = r.latency.endToEndByGroup[g.name], r.groups.count > 1 { row("  " + g.name, l) }
        }
        row("consume time", r.latency.consumeTime)
        return lines
    }

    private static func pad(_ text: String, _ width: Int) -> String { TextFormat.padRight(text, width) }

    private static func value(_ v: Double, _ unit: String) -> String {
        switch unit {
        case "ms": return NumberText.ms(v) + " ms"
        case "ratio": return TextFormat.fixed(v * 100, 3) + " %"
        default: return NumberText.grouped(Int(v.rounded())) + (unit == "messages" ? "" : " " + unit)
        }
    }
}
