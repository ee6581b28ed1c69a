import Planner

/// The measured basis shared by sweep and plan reports: the steps, the sweep
/// curves with the knee and the USL fit, and per-message costs with their regressions.
enum MeasurementSections {
    static func stepsTable(_ steps: [MeasuredStep]) -> Table {
        func f(_ v: Double?, _ unit: ValueUnit) -> String { v.map { Format.value($0, unit) } ?? "-" }
        return Table(id: "steps", caption: "Measured steps (averages over each step's window, warm-up excluded)", columns: [
            .init("step"), .init("offered", .right), .init("achieved", .right), .init("consumed", .right),
            .init("p99 send", .right), .init("broker CPU", .right), .init("generator CPU", .right),
            .init("disk write", .right), .init("disk util", .right), .init("NIC tx", .right), .init("SLO", .center),
        ], rows: steps.map { s in
            let r = s.resources
            return [s.label, f(s.offeredRate, .messagesPerSecond), Format.value(s.sendRate, .messagesPerSecond),
                    f(s.consumeRate, .messagesPerSecond), f(s.latencyP99Ms, .milliseconds),
                    r.brokerCores.map { Format.significant($0) + " cores" } ?? "-",
                    r.generatorCores.map { Format.significant($0) + " cores" } ?? "-",
                    f(r.diskWriteBytesPerSecond, .bytesPerSecond), r.diskUtilisationPercent.map(Format.percent) ?? "-",
                    f(r.nicTxBytesPerSecond, .bytesPerSecond), s.sloMet.map { $0 ? "met" : "broken" } ?? "-"]
        })
    }

    /// Offered against achieved rate with the ideal diagonal and the knee.
    static func rateChart(_ steps: [MeasuredStep], knee: Knee?) -> Chart? {
        let measured = steps.filter { $0.offeredRate != nil }.sorted { $0.offeredRate! < $1.offeredRate! }
        guard measured.count >= 2 else { return nil }
        return Chart(id: "sweep-rate", title: "Offered against achieved rate",
                     x: Axis(title: "offered", unit: .messagesPerSecond, min: 0), y: Axis(title: "achieved", unit: .messagesPerSecond, min: 0),
                     series: [Series("achieved (send)", style: .linePoints, xy: measured.map { ($0.offeredRate!, $0.sendRate) })],
                     highlights: knee.map { [Highlight(x: $0.sustainable.offeredRate ?? $0.sustainable.sendRate, y: $0.sustainable.sendRate,
                                                       label: "knee " + Format.value($0.sustainable.sendRate, .messagesPerSecond))] } ?? [],
                     diagonal: true, caption: "Points on the diagonal kept up with the schedule; the knee is the last step that did.")
    }

    /// Latency percentiles against achieved rate.
    static func latencyChart(_ steps: [MeasuredStep], knee: Knee?) -> Chart? {
        let sorted = steps.sorted { $0.sendRate < $1.sendRate }
        guard sorted.filter({ $0.latencyP99Ms != nil }).count >= 2 else { return nil }
        var highlights: [Highlight] = []
        if let k = knee?.sustainable, let p99 = k.latencyP99Ms { highlights.append(Highlight(x: k.sendRate, y: p99, label: "knee")) }
        return Chart(id: "sweep-latency", title: "Send latency against rate",
                     x: Axis(title: "achieved", unit: .messagesPerSecond, min: 0), y: Axis(title: "latency", unit: .milliseconds, min: 0),
                     series: [Series("p50", style: .linePoints, xy: sorted.map { ($0.sendRate, $0.latencyP50Ms) }),
                              Series("p99", style: .linePoints, xy: sorted.map { ($0.sendRate, $0.latencyP99Ms) })],
                     highlights: highlights)
    }

    /// Throughput against Little's-law concurrency with the fitted USL curve and its peak.
    static func uslChart(_ fit: USLFit) -> Chart {
        let maxN = max(fit.points.map(\.concurrency).max() ?? 1, min(fit.peakConcurrency ?? 0, 3 * (fit.points.map(\.concurrency).max() ?? 1)))
        let curve = (0...60).map { i -> (Double, Double?) in
            let n = max(0.01, maxN * 1.1 * Double(i) / 60)
            return (n, fit.model.throughput(n))
        }
        var highlights: [Highlight] = []
        if let n = fit.peakConcurrency, let x = fit.peakThroughput, n <= maxN * 1.1 {
            highlights.append(Highlight(x: n, y: x, label: "predicted peak " + Format.value(x, .messagesPerSecond)))
        }
        return Chart(id: "usl", title: "Universal Scalability Law fit",
                     x: Axis(title: "concurrency N = X·R", unit: .count, min: 0), y: Axis(title: "throughput", unit: .messagesPerSecond, min: 0),
                     series: [Series("measured", style: .linePoints, xy: fit.points.map { ($0.concurrency, $0.throughput) }),
                              Series("USL fit", style: .dashed, xy: curve)],
                     highlights: highlights,
                     caption: "σ \(Format.significant(fit.model.sigma)), κ \(Format.significant(fit.model.kappa)), R² \(String(format: "%.3f", fit.rSquared))")
    }

    /// One resource against rate, measured points and the regression line.
    static func costChart(id: String, title: String, unit: ValueUnit, _ steps: [MeasuredStep], _ fit: LinearFit?,
                          pick: (StepResources) -> Double?) -> Chart? {
        let points = steps.compactMap { s in pick(s.resources).map { (s.sendRate, Optional($0)) } }.sorted { $0.0 < $1.0 }
        guard points.count >= 2 else { return nil }
        var series = [Series("measured", style: .linePoints, xy: points)]
        if let fit { series.append(Series("regression", style: .dashed, xy: [(0, fit.predict(0)), (fit.xMax, fit.predict(fit.xMax))])) }
        return Chart(id: id, title: title, x: Axis(title: "achieved", unit: .messagesPerSecond, min: 0),
                     y: Axis(title: title.lowercased(), unit: unit, min: 0), series: series)
    }

    static func costsTable(_ c: ResourceCosts) -> Table {
        func row(_ name: String, _ fit: LinearFit?, per: (Double) -> String, idle: (Double) -> String) -> [String] {
            guard let fit else { return [name, "not measured", "-", "-", "-"] }
            return [name, per(fit.slope), idle(fit.intercept), String(format: "%.3f", fit.rSquared), "\(fit.points)"]
        }
        let bytes = { (v: Double) in Format.value(v, .bytes) }
        let rate = { (v: Double) in Format.value(v, .bytesPerSecond) }
        return Table(id: "costs", caption: "Per-message cost (regression slope) and idle cost (intercept)", columns: [
            .init("resource"), .init("per message", .right), .init("idle", .right), .init("R²", .right), .init("steps", .right),
        ], rows: [
            row("broker CPU", c.brokerCPU, per: { String(format: "%.1f µs", $0 * 1e6) }, idle: { Format.significant($0) + " cores" }),
        ] + (c.brokerCPUAverage.map { avg in
            [row("broker CPU, average (sizing: CPU did not rise with the rate)", avg, per: { String(format: "%.1f µs", $0 * 1e6) },
                 idle: { _ in "included" })]
        } ?? []) + [
            row("generator CPU", c.generatorCPU, per: { String(format: "%.1f µs", $0 * 1e6) }, idle: { Format.significant($0) + " cores" }),
            row("disk write", c.diskWrite, per: bytes, idle: rate),
            row("NIC tx (all interfaces)", c.nicTx, per: bytes, idle: rate),
            row("NIC rx (all interfaces)", c.nicRx, per: bytes, idle: rate),
            row("page-cache growth", c.pageCache, per: bytes, idle: rate),
        ])
    }

    /// The measured basis: steps, curves, costs, USL.
    static func blocks(_ steps: [MeasuredStep], costs: ResourceCosts, knee: Knee?, bottleneck: Bottleneck, usl: USLFit?,
                       uslError: String?) -> [Section] {
        var curves: [Block] = [.table(stepsTable(steps))]
        if let k = knee {
            var text = "Sustainable on the measured host: \(Format.value(k.sustainable.sendRate, .messagesPerSecond)) (step \(k.sustainable.label))."
            if let broken = k.firstBroken { text += " Step \(broken.label) broke: \(k.reasons.joined(separator: "; "))." }
            else { text += " No step broke: the limit is higher than the last step." }
            curves.append(.paragraph(text))
        }
        curves.append(.paragraph("Limited by: \(bottleneck.resource.rawValue)."))
        curves.append(.list(bottleneck.evidence))
        curves += [rateChart(steps, knee: knee), latencyChart(steps, knee: knee)].compactMap { $0.map(Block.chart) }
        var costBlocks: [Block] = [.table(costsTable(costs)),
                                   .paragraph("Regressions use the steps that kept up with their offered rate: \(costs.stepsUsed.joined(separator: ", ")).")]
        let steady = ResourceCosts.steadySteps(steps)
        costBlocks += [
            costChart(id: "cost-cpu", title: "Broker CPU", unit: .cores, steady, costs.brokerCPU) { $0.brokerCores },
            costChart(id: "cost-disk", title: "Disk write", unit: .bytesPerSecond, steady, costs.diskWrite) { $0.diskWriteBytesPerSecond },
            costChart(id: "cost-nic", title: "NIC transmit", unit: .bytesPerSecond, steady, costs.nicTx) { $0.nicTxBytesPerSecond },
        ].compactMap { $0.map(Block.chart) }
        var uslBlocks: [Block] = []
        if let usl {
            uslBlocks.append(.table(Table(id: "usl", columns: [.init("parameter"), .init("value", .right), .init("meaning")], rows: [
                ["σ", Format.significant(usl.model.sigma), "contention (serial share)"],
                ["κ", Format.significant(usl.model.kappa), "coherency (crosstalk)"],
                ["λ", Format.value(usl.model.lambda, .messagesPerSecond), "throughput per unit of concurrency"],
                ["R²", String(format: "%.4f", usl.rSquared), "fit quality"],
                ["RMSE", Format.value(usl.rmse, .messagesPerSecond), "throughput error"],
                ["N*", usl.peakConcurrency.map(Format.significant) ?? "none (κ = 0)", "concurrency at the peak, √((1 − σ)/κ)"],
                ["X(N*)", usl.peakThroughput.map { Format.value($0, .messagesPerSecond) } ?? "unbounded", "predicted peak throughput"],
            ])))
            uslBlocks.append(.chart(uslChart(usl)))
            uslBlocks += usl.warnings.map { .note(Note(.warning, $0)) }
        } else {
            uslBlocks.append(.paragraph("No USL fit: \(uslError ?? "no steps with latency")."))
        }
        return [Section("Measured steps", curves), Section("Per-message costs", costBlocks), Section("Scalability (USL)", uslBlocks)]
    }
}
