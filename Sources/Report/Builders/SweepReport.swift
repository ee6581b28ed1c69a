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
        if let cpu = s.costs.brokerCPU {
            figures.append(KeyFigure("broker CPU per message", Format.significant(cpu.slope * 1e6) + " µs", note: "R² " + Format.significant(cpu.rSquared)))
        }
        if let peak = s.usl?.peakThroughput { figures.append(KeyFigure("USL predicted peak", Format.value(peak, .messagesPerSecond))) }
        var sections: [Section] = []
        if !s.verdicts.isEmpty {
            sections.append(Section("Search", [
                .paragraph(s.estimate.map { "Closed-loop estimate \(Format.value($0, .messagesPerSecond)); ramp, then bisection near the knee." } ?? "Steps as given."),
                .table(Table(id: "search", columns: [.init("#", .right), .init("offered", .right), .init("", .center), .init("why")],
                             rows: s.verdicts.enumerated().map { i, v in
                                 ["\(i + 1)", Format.value(v.rate, .messagesPerSecond), v.held ? "held" : "broke", v.reasons.joined(separator: "; ")]
                             })),
            ]))
        }
        sections += MeasurementSections.blocks(s.input.steps, costs: s.costs, knee: s.knee, bottleneck: s.bottleneck, usl: s.usl, uslError: s.uslError)
        sections.append(Section("Measured host", [.table(PlanReport.hostTable(s.input))]))
        if let doctor = s.input.doctor { sections.append(DoctorSection.make(doctor)) }
        sections.append(Section("Reproduce", [.code(command)]))
        return Report(name: "sweep", title: "Sweep: capacity of the measured host", subtitle: command, createdAt: createdAt,
                      keyFigures: figures, sections: sections)
    }
}
