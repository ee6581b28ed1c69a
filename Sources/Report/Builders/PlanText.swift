import Planner
import Sampler

/// The few lines `mqbench plan` prints; the full plan is in the report files.
public enum PlanText {
    public static func render(_ plan: CapacityPlan) -> String {
        let c = plan.cluster
        var out = ["Cluster for \(c.sizedFor): \(c.masters) masters + \(c.slaves) slaves, \(c.nameServers) NameServers",
                   "  broker node: " + PlanReport.nodeText(c.node) + ", binding \(c.binding.rawValue) (\(c.reason))", ""]
        out.append(pad("target", 14) + pad("per master", 14) + PlanResource.allCases.map { pad($0.rawValue, 16) }.joined())
        for load in plan.loads + [plan.tenfold.load] {
            let cells = PlanResource.allCases.map { r -> String in
                guard let u = load.resources.first(where: { $0.resource == r }) else { return pad("-", 16) }
                return pad(Format.share(u.utilisation) + (u.utilisation > u.ceiling + 1e-9 ? " OVER" : ""), 16)
            }
            out.append(pad(load.target.name, 14) + pad(Format.value(load.ratePerMaster, .messagesPerSecond), 14) + cells.joined())
        }
        let ten = plan.tenfold.cluster
        out.append("")
        out.append("At \(plan.tenfold.target.name): \(ten.masters) masters + \(ten.slaves) slaves, node " + PlanReport.nodeText(ten.node))
        if let k = plan.knee {
            out.append("Measured host sustains \(Format.value(k.sustainable.sendRate, .messagesPerSecond))"
                       + (plan.usl?.peakThroughput.map { "; USL predicts a peak of \(Format.value($0, .messagesPerSecond))" } ?? ""))
        }
        for c in plan.checks ?? [] {
            out.append("")
            out.append("Accuracy check at \(Format.value(c.rate, .messagesPerSecond)) (\(c.label)): "
                       + (c.passed ? "within" : "NOT within") + " ± \(Format.grouped(c.tolerancePercent)) %"
                       + (c.extrapolated ? " (extrapolated)" : "") + (c.rateWasMeasured ? " (rate already measured)" : ""))
            for r in c.rows {
                let unit: ValueUnit = r.unit == "cores" ? .cores : .bytesPerSecond
                out.append("  " + pad(r.resource, 16) + "predicted " + pad(Format.value(r.predicted, unit), 12)
                           + "measured " + pad(Format.value(r.measured, unit), 12)
                           + (r.errorPercent >= 0 ? "+" : "") + TextFormat.fixed(r.errorPercent, 1) + " %" + (r.withinTolerance ? "" : "  OFF"))
            }
            for s in c.skipped { out.append("  skipped: " + s) }
        }
        for w in plan.warnings { out.append("warning: " + w) }
        return out.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
