import Planner
import Sampler

/// `mqbench plan`'s report: the cluster, the expected utilisation per target, what
/// changes at 10×, the assumptions with their sources, the measured basis and the
/// measured host's checklist.
public enum PlanReport {
    public static func make(_ plan: CapacityPlan, createdAt: String, command: String) -> Report {
        let c = plan.cluster
        var figures = [
            KeyFigure("broker groups", "\(c.masters) masters + \(c.slaves) slaves", note: "sized for \(c.sizedFor)"),
            KeyFigure("NameServers", "\(c.nameServers)"),
            KeyFigure("broker node", nodeText(c.node), note: "binding: \(c.binding.rawValue)"),
        ]
        if let k = plan.knee {
            figures.append(KeyFigure("measured host sustains", Format.value(k.sustainable.sendRate, .messagesPerSecond),
                                     note: k.firstBroken == nil ? "no step broke" : "limited by \(plan.bottleneck.resource.rawValue)"))
        }
        if let peak = plan.usl?.peakThroughput {
            figures.append(KeyFigure("USL predicted peak", Format.value(peak, .messagesPerSecond), note: "measured host"))
        }
        let targets = plan.loads.map { "\($0.target.name) \(Format.grouped($0.target.rate)) msg/s" }.joined(separator: ", ")
        var sections: [Section] = []
        if !plan.warnings.isEmpty {
            sections.append(Section("Warnings", plan.warnings.map { .note(Note(.warning, $0)) }))
        }
        sections.append(Section("Cluster", [
            .paragraph("For \(targets): \(c.masters) broker groups of one master and \(plan.parameters.replicas - 1) slave(s) each, "
                       + "\(c.nameServers) NameServers. Why \(c.masters) masters: \(c.reason)."),
            .table(clusterTable(c, plan.parameters)),
            .table(utilisationTable(plan.loads, failoverCeiling: plan.parameters.failoverCeiling)),
            .paragraph("Utilisation is need ÷ node capacity for one master; \"one master lost\" spreads a failed group's load over the others "
                       + "(ceiling \(Format.share(plan.parameters.failoverCeiling))). Slaves need the same memory, disk and disk bandwidth, "
                       + "and less CPU: " + plan.loads.map { "\(Format.significant($0.slaveCores)) cores at \($0.target.name)" }.joined(separator: ", ") + "."),
            .list(plan.loads.compactMap { l in
                l.inFlightSends.map { "\(l.target.name): producers keep about \(Format.significant($0)) sends in flight (Little's law: rate × mean send latency); the async window must exceed it." }
            }),
        ]))
        let ten = plan.tenfold
        sections.append(Section("At 10 × (\(Format.grouped(ten.target.rate)) msg/s)", [
            .list(ten.changes),
            .table(clusterTable(ten.cluster, plan.parameters, id: "cluster-10x")),
            .table(utilisationTable([ten.load], failoverCeiling: plan.parameters.failoverCeiling, id: "utilisation-10x")),
        ]))
        sections.append(Section("Assumptions", [.table(Table(id: "assumptions", columns: [
            .init("input"), .init("value", .right), .init("source", .center), .init("basis"),
        ], rows: plan.parameters.assumptions.map { [$0.name, value($0), $0.source.rawValue, $0.basis] }))]))
        sections += MeasurementSections.blocks(plan.input.steps, costs: plan.costs, knee: plan.knee, bottleneck: plan.bottleneck,
                                              usl: plan.usl, uslError: plan.uslError)
        if let checks = plan.checks, !checks.isEmpty { sections.append(checkSection(checks)) }
        sections.append(Section("Measured host", [.table(hostTable(plan.input))]))
        if let doctor = plan.input.doctor { sections.append(DoctorSection.make(doctor)) }
        sections.append(Section("Reproduce", [.code(command)]))
        return Report(name: "plan", title: "Capacity plan: " + targets, subtitle: command, createdAt: createdAt,
                      keyFigures: figures, sections: sections)
    }

    static func nodeText(_ n: NodeSpec) -> String {
        "\(n.cores) cores · \(Format.value(n.memoryBytes, .bytes)) · \(Format.value(n.diskBytes, .bytes)) disk"
    }

    /// A numeric assumption in the report's units; text ones as they are.
    static func value(_ a: Assumption) -> String {
        guard let v = a.amount, let unit = a.unit else { return a.value }
        switch unit {
        case .bytes: return Format.value(v, .bytes)
        case .bytesPerSecond: return Format.value(v, .bytesPerSecond)
        case .bitsPerSecond: return Format.bits(v)
        case .seconds: return Format.duration(v)
        case .microseconds: return Format.significant(v) + " µs"
        case .cores: return Format.significant(v) + " cores"
        case .count: return Format.significant(v)
        case .share: return Format.share(v)
        }
    }

    static func clusterTable(_ c: ClusterPlan, _ p: SizingParameters, id: String = "cluster") -> Table {
        let n = c.node
        return Table(id: id, caption: "Nodes", columns: [
            .init("role"), .init("count", .right), .init("cores", .right), .init("memory", .right), .init("disk", .right),
            .init("disk bandwidth", .right), .init("NIC", .right),
        ], rows: [
            ["master", "\(c.masters)", "\(n.cores)", Format.value(n.memoryBytes, .bytes), Format.value(n.diskBytes, .bytes),
             Format.value(n.diskBandwidthBytesPerSecond, .bytesPerSecond), Format.bits(n.nicBitsPerSecond)],
            ["slave", "\(c.slaves)", "\(n.cores)", Format.value(n.memoryBytes, .bytes), Format.value(n.diskBytes, .bytes),
             Format.value(n.diskBandwidthBytesPerSecond, .bytesPerSecond), Format.bits(n.nicBitsPerSecond)],
            ["NameServer", "\(c.nameServers)", "2", "4 GiB", "-", "-", "-"],  // see the "NameServer node" assumption
        ])
    }

    static func utilisationTable(_ loads: [LoadAtTarget], failoverCeiling: Double, id: String = "utilisation") -> Table {
        var rows: [[String]] = []
        for load in loads {
            for u in load.resources {
                let over = u.utilisation > u.ceiling + 1e-9 || (u.failoverUtilisation ?? 0) > failoverCeiling + 1e-9
                rows.append([load.target.name, Format.value(load.ratePerMaster, .messagesPerSecond), u.resource.rawValue,
                             amount(u.need, u.unit), amount(u.capacity, u.unit), Format.share(u.utilisation),
                             u.failoverUtilisation.map(Format.share) ?? "-",
                             Format.share(u.ceiling) + (u.failoverUtilisation == nil ? "" : " (\(Format.share(failoverCeiling)))"),
                             over ? "OVER" : "ok", u.formula])
            }
        }
        return Table(id: id, caption: "Expected use per master", columns: [
            .init("target"), .init("per master", .right), .init("resource"), .init("need", .right), .init("node", .right),
            .init("utilisation", .right), .init("one master lost", .right), .init("ceiling (lost)", .right), .init("", .center), .init("how"),
        ], rows: rows)
    }

    static func amount(_ v: Double, _ unit: String) -> String {
        switch unit {
        case "cores": Format.significant(v) + " cores"
        case "bytes": Format.value(v, .bytes)
        case "bytes/s": Format.value(v, .bytesPerSecond)
        case "bits/s": Format.bits(v)
        default: Format.significant(v) + " " + unit
        }
    }

    /// Predicted against measured at rates the costs were not fitted on.
    static func checkSection(_ checks: [PredictionCheck]) -> Section {
        var blocks: [Block] = []
        for (i, c) in checks.enumerated() {
            let verdict = c.passed ? "within" : "NOT within"
            var caption = "\(c.label): \(Format.grouped(c.rate)) msg/s, \(verdict) ± \(Format.grouped(c.tolerancePercent)) %"
            if c.extrapolated { caption += " (outside the fitted steps: extrapolation)" }
            if c.rateWasMeasured { caption += " (a fitted step had this rate: the check proves little)" }
            blocks.append(.table(Table(id: "check-\(i + 1)", caption: caption, columns: [
                .init("resource"), .init("predicted", .right), .init("measured", .right), .init("error", .right), .init("", .center),
            ], rows: c.rows.map { r in
                let unit: ValueUnit = r.unit == "cores" ? .cores : .bytesPerSecond
                return [r.resource, Format.value(r.predicted, unit), Format.value(r.measured, unit),
                        (r.errorPercent >= 0 ? "+" : "") + TextFormat.fixed(r.errorPercent, 1) + " %", r.withinTolerance ? "ok" : "off"]
            })))
            if !c.skipped.isEmpty { blocks.append(.list(c.skipped)) }
        }
        return Section("Accuracy check", blocks)
    }

    static func hostTable(_ input: PlannerInput) -> Table {
        let h = input.host, w = input.workload
        return Table(id: "host", columns: [.init("fact"), .init("value")], rows: [
            ["host", h.hostname], ["CPU", (h.cpuModel ?? "?") + ", \(h.logicalCPUs) logical CPUs"],
            ["memory", h.memoryBytes.map { Format.value($0, .bytes) } ?? "-"], ["kernel", h.kernel ?? "-"],
            ["NIC speed", h.nicSpeedMbps.map { "\($0) Mb/s" } ?? "unknown (virtual NIC or loopback)"],
            ["measured load", "\(Format.value(w.messageBytes, .bytes)) bodies, \(w.consumerGroups) consumer group(s), "
                + "\(w.flush?.rawValue ?? "?") flush, \(w.replicas) cop\(w.replicas == 1 ? "y" : "ies")"],
            ["sources", input.sources.isEmpty ? "-" : input.sources.joined(separator: ", ")],
        ])
    }
}
