import Planner

/// `mqbench sweep`'s report: the sustainable maximum on the measured hardware,
/// the bottleneck with its evidence, the curves, costs and USL fit.
public enum SweepReport {
    public static func make(_ s: SweepResult, createdAt: String, command: String) -> Report {
        var figures: [KeyFigure] = []
        if let k = s.knee {
            figures.append(KeyFigure("sustainable maximum", Format.value(k.sustainable.sendRate, .messagesPerSecond),
                                     note: k.firstBroken.map { "broke at \(Format.value($0.offeredRate ?? $0.sendRate, .messagesPerSecond))" } ?? "no step broke"))
        }
        figures.append(KeyFigure("bottleneck", s.bottleneck.resource.rawValue))
        if let cpu = s.costs.brokerCPUForSizing {
            let note = cpu.throughOrigin == true ? "average: CPU did not rise with the rate" : "R² " + Format.significant(cpu.rSquared)
            figures.append(KeyFigure("broker CPU per message", Format.significant(cpu.slope * 1e6) + " µs", note: note))
        }
        if let peak = s.usl?.peakThroughput { figures.append(KeyFigure("USL predicted peak", Format.value(peak, .messagesPerSecond))) }
        var sections: [Section] = []
        if !s.verdicts.isEmpty {
            var blocks: [Block] = s.lossySteps.map { step in
                .note(Note(.warning, "MESSAGE LOSS: step \(step.label) lost \(Format.grouped(Double(step.lostMessages ?? 0))) acknowledged messages (verification)."))
            }
            var intro = s.estimate.map { "Closed-loop estimate \(Format.value($0, .messagesPerSecond)); ramp, then bisection near the knee." } ?? "Steps as given."
            if let stopped = s.stopped { intro += " Stopped: \(stopped)." }
            blocks.append(.paragraph(intro))
            blocks.append(.table(searchTable(s)))
            sections.append(Section("Search", blocks))
        }
        sections += MeasurementSections.blocks(s.input.steps, costs: s.costs, knee: s.knee, bottleneck: s.bottleneck, usl: s.usl, uslError: s.uslError)
        sections.append(Section("Measured host", [.table(PlanReport.hostTable(s.input))]))
        if let doctor = s.input.doctor { sections.append(DoctorSection.make(doctor)) }
        sections.append(Section("Reproduce", [.code(command)]))
        return Report(name: "sweep", title: "Sweep: capacity of the measured host", subtitle: command, createdAt: createdAt,
                      keyFigures: figures, sections: sections)
    }

    /// The steps in the order run: what was offered and achieved, and the verdict.
    static func searchTable(_ s: SweepResult) -> Table {
        func ms(_ v: Double?) -> String { v.map { Format.value($0, .milliseconds) } ?? "-" }
        return Table(id: "search", columns: [
            .init("#", .right), .init("offered", .right), .init("achieved", .right), .init("consumed", .right),
            .init("p99 send", .right), .init("p99 end-to-end", .right), .init("p99 send delay", .right),
            .init("backlog growth", .right), .init("", .center), .init("why"),
        ], rows: s.verdicts.enumerated().map { i, v in
            let step = s.input.steps.last { $0.rate == v.rate }
            return ["\(i + 1)", Format.value(v.rate, .messagesPerSecond),
                    step.map { Format.value($0.sendRate, .messagesPerSecond) } ?? "-",
                    step?.consumeRate.map { Format.value($0, .messagesPerSecond) } ?? "-",
                    ms(step?.latencyP99Ms), ms(step?.endToEndP99Ms), ms(step?.sendDelayP99Ms),
                    step?.backlogGrowthPerSecond.map { ($0 > 0 ? "+" : "") + Format.significant($0) + " msg/s" } ?? "-",
                    v.held ? "held" : "broke", v.reasons.joined(separator: "; ")]
        })
    }
}
