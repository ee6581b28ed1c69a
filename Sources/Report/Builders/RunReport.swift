import Foundation
import Metrics

/// `mqbench run`'s report: summary and SLOs, throughput and latency over time
/// with faults marked, the percentile spectrum, resources with the broker and the
/// generator apart, verification, errors and the environment.
public enum RunReport {
    /// Writes the run report (report.md/html/json, charts) into `directory`, beside its results.json.
    public static func write(_ r: RunResults, to directory: String, command: String, now: Date = Date()) throws {
        try ReportFiles.write(make(r, createdAt: ReportFiles.isoTime(now), command: command), data: r.summary, to: directory)
    }

    public static func make(_ r: RunResults, createdAt: String, command: String) -> Report {
        let s = r.summary
        let charts = RunCharts(r)
        var figures = [
            KeyFigure("send rate", Format.value(s.sendRate, .messagesPerSecond), note: r.mode.rawValue),
            KeyFigure("consume rate", Format.value(s.consumeRate, .messagesPerSecond), note: "all groups"),
            KeyFigure("send p99", Format.value(s.sendLatencyMs.p99, .milliseconds), note: "p99.9 " + Format.value(s.sendLatencyMs.p999, .milliseconds)),
            KeyFigure("end-to-end p99", Format.value(s.endToEndLatencyMs.p99, .milliseconds)),
            KeyFigure("SLOs", s.passed ? "passed" : "FAILED"),
        ]
        if s.verified { figures.append(KeyFigure("lost / duplicated", "\(s.lost) / \(s.duplicated)", note: "verified")) }
        var summary: [Block] = []
        summary += r.warnings.map { .note(Note(.warning, $0)) }
        summary.append(.table(Table(id: "summary", columns: [.init("figure"), .init("value", .right)], rows: [
            ["measured", Format.duration(s.measuredSeconds) + " after " + Format.duration(r.window.warmupSeconds) + " warm-up"],
            ["sent", Format.grouped(Double(s.sent))], ["received", Format.grouped(Double(s.received))],
            ["errors", "\(Format.grouped(Double(s.errors))) (\(Format.percent(s.errorRate * 100)))"],
            ["send bytes", Format.value(s.sendBytesPerSecond, .bytesPerSecond)],
            ["max backlog", Format.grouped(Double(s.maxBacklog))],
            ["send delay p99", Format.value(s.sendDelayMs.p99, .milliseconds)],
            ["reordered", s.verified ? "\(s.reordered)" : "not verified"],
        ])))
        if !r.slo.outcomes.isEmpty {
            summary.append(.table(Table(id: "slo", caption: "SLOs", columns: [
                .init("SLO"), .init("limit", .right), .init("actual", .right), .init("", .center), .init("note"),
            ], rows: r.slo.outcomes.map { [$0.title, "\(Format.significant($0.limit)) \($0.unit)", "\(Format.significant($0.actual)) \($0.unit)",
                                            $0.passed ? "pass" : "FAIL", $0.note ?? ""] })))
        }
        var sections = [Section("Summary", summary),
                        Section("Throughput and latency", [.chart(charts.throughput), .chart(charts.latency), .chart(charts.backlog)]),
                        Section("Latency distribution", [.chart(charts.spectrum), .table(latencyTable(r.latency))])]
        let resources = charts.resources
        if !resources.isEmpty { sections.append(Section("Resources", resources.map(Block.chart))) }
        if let g = r.generator {
            sections.append(Section("Generator cost", [.paragraph(
                "\(Format.significant(g.coresUsed)) of \(g.cores) cores, \(Format.significant(g.cpuSecondsPer1000Messages * 1000)) ms CPU per 1,000 messages"
                + (g.saturated ? " — saturated: \(g.warning ?? "")" : "."))]))
        }
        if !r.faults.isEmpty {
            sections.append(Section("Faults", [.table(Table(id: "faults", columns: [
                .init("at", .right), .init("action"), .init("detail"), .init("outcome"),
            ], rows: r.faults.map { [Format.clock($0.elapsed ?? 0), $0.action, $0.detail, $0.outcome] }))]))
        }
        if let v = r.verification?.counts {
            sections.append(Section("Delivery verification", [.table(Table(id: "verification", columns: [
                .init("group"), .init("received", .right), .init("lost", .right), .init("duplicated", .right), .init("reordered", .right),
            ], rows: v.byGroup.keys.sorted().map { g in
                let c = v.byGroup[g]!
                return [g, Format.grouped(Double(c.received)), "\(c.lost)", "\(c.duplicated)", "\(c.reordered)"]
            }))]))
        }
        if !r.totals.errorsByCode.isEmpty {
            sections.append(Section("Errors", [.table(Table(id: "errors", columns: [.init("code", .right), .init("reason"), .init("count", .right)],
                                                            rows: r.totals.errorsByCode.map { ["\($0.code)", $0.reason, Format.grouped(Double($0.count))] }))]))
        }
        sections.append(Section("Environment", [.table(environmentTable(r.environment))]))
        sections.append(Section("Reproduce", [.code(command)]))
        return Report(name: "run-" + r.profile.name, title: "Run: \(r.profile.name)", subtitle: r.profile.description.isEmpty ? command : r.profile.description,
                      createdAt: createdAt, keyFigures: figures, sections: sections)
    }

    static func latencyTable(_ l: LatencySummaries) -> Table {
        func row(_ name: String, _ s: LatencySummary) -> [String] {
            [name, Format.grouped(Double(s.count))] + [s.p50, s.p90, s.p99, s.p999, s.p9999, s.max].map { Format.value($0, .milliseconds) }
        }
        return Table(id: "latency", columns: [.init("latency"), .init("count", .right), .init("p50", .right), .init("p90", .right),
                                               .init("p99", .right), .init("p99.9", .right), .init("p99.99", .right), .init("max", .right)],
                     rows: [row("send", l.sendLatency), row("send delay", l.sendDelay), row("end-to-end", l.endToEnd)]
                        + l.endToEndByGroup.keys.sorted().map { row("end-to-end \($0)", l.endToEndByGroup[$0]!) })
    }

    static func environmentTable(_ e: RunEnvironment) -> Table {
        var rows = [["host", e.hostname], ["CPU", "\(e.cpuModel ?? "?"), \(e.cores) CPUs"],
                    ["memory", e.memoryBytes.map { Format.value(Double($0), .bytes) } ?? "-"],
                    ["kernel / OS", "\(e.kernel ?? "?") / \(e.os ?? "?")"], ["clock source", e.clocksource ?? "-"],
                    ["cluster", e.cluster ?? "-"], ["PeakMQ", [e.peakmqVersion, e.peakmqCommit].compactMap { $0 }.joined(separator: " ")]]
        if let s = e.store {
            rows.append(["store", "\(s.directory) on \(s.filesystem ?? "?") (\(s.disks.joined(separator: ", ")))"])
        }
        rows += e.brokerConfig.keys.sorted().map { ["broker.conf \($0)", e.brokerConfig[$0]!] }
        return Table(id: "environment", columns: [.init("fact"), .init("value")], rows: rows)
    }
}
