import Planner
import Report

/// What `mqbench sweep` prints: a line as each step starts and ends, a loud
/// line for message loss, and the summary at the end.
public enum SweepText {
    /// `step 3: offering 4,800 msg/s (10 s warm-up + 60 s) …`
    public static func starting(number: Int, rate: Double, warmup: Double, seconds: Double) -> String {
        "step \(number): offering \(Format.grouped(rate)) msg/s (\(Format.duration(warmup)) warm-up + \(Format.duration(seconds))) …"
    }

    /// `step 3  4,800 msg/s  sent 4,790/s  consumed 4,788/s  p99 send 3.21 ms  e2e 8.1 ms  delay 0.4 ms  backlog +0/s  CPU 45 %  held`
    public static func finished(number: Int, step: MeasuredStep, verdict: SweepSearch.Verdict) -> String {
        func ms(_ v: Double?) -> String { v.map { Format.value($0, .milliseconds) } ?? "-" }
        var line = "step \(number)  \(Format.grouped(verdict.rate)) msg/s"
        line += "  sent \(Format.grouped(step.sendRate))/s  consumed \(step.consumeRate.map(Format.grouped) ?? "-")/s"
        line += "  p99 send \(ms(step.latencyP99Ms))  e2e \(ms(step.endToEndP99Ms))  delay \(ms(step.sendDelayP99Ms))"
        if let g = step.backlogGrowthPerSecond?.rounded() { line += "  backlog \(g > 0 ? "+" : "")\(Format.grouped(g == 0 ? 0 : g))/s" }
        if let cpu = step.resources.hostCPUPercent {
            line += "  CPU \(Format.percent(cpu))"
            if let g = step.resources.generatorCores { line += " (generator \(Format.value(g, .cores)))" }
        }
        line += verdict.held ? "  held" : "  BROKE: " + verdict.reasons.joined(separator: "; ")
        return line
    }

    /// The loud line for a step that lost acknowledged messages.
    public static func loss(number: Int, lost: Int, directory: String) -> String {
        "!!! step \(number) LOST \(Format.grouped(Double(lost))) acknowledged messages (verification): see \(directory)/results.json"
    }

    /// The end: sustainable maximum, bottleneck with evidence, per-message costs, USL.
    public static func summary(_ s: SweepResult) -> String {
        var lines: [String] = []
        let h = s.input.host
        let stopped = s.stopped.map { ", \($0)" } ?? ""
        let n = s.input.steps.count
        lines.append("Sweep on \(h.hostname) (\(h.logicalCPUs) CPUs): \(n) step\(n == 1 ? "" : "s")\(stopped).")
        if let k = s.knee {
            var text = "Sustainable maximum: \(Format.grouped(k.sustainable.sendRate)) msg/s (offered \(Format.grouped(k.sustainable.rate)) msg/s)"
            if let b = k.firstBroken {
                text += "; broke at \(Format.grouped(b.rate)) msg/s: \(k.reasons.joined(separator: "; "))"
            } else {
                text += "; no step broke, so the limit is higher"
            }
            lines.append(text + ".")
        } else {
            lines.append("No sustainable maximum: no step held.")
        }
        lines.append("Bottleneck: \(s.bottleneck.resource.rawValue)")
        lines += s.bottleneck.evidence.map { "  - " + $0 }
        lines.append("Per-message cost: " + costs(s.costs))
        if let u = s.usl {
            var text = "USL: σ \(Format.significant(u.model.sigma)), κ \(Format.significant(u.model.kappa)), "
            text += "R² \(String(format: "%.3f", u.rSquared)), RMSE \(Format.value(u.rmse, .messagesPerSecond))"
            if let peak = u.peakThroughput, let n = u.peakConcurrency {
                text += ", predicted peak \(Format.grouped(peak)) msg/s at N = \(Format.significant(n))"
            } else {
                text += ", no peak (κ = 0)"
            }
            lines.append(text)
        } else {
            lines.append("USL: no fit (\(s.uslError ?? "no steps with latency")).")
        }
        for step in s.lossySteps {
            lines.append("!!! MESSAGE LOSS: \(step.label) lost \(Format.grouped(Double(step.lostMessages ?? 0))) acknowledged messages")
        }
        return lines.joined(separator: "\n")
    }

    private static func costs(_ c: ResourceCosts) -> String {
        var parts: [String] = []
        if let f = c.brokerCPUForSizing {
            parts.append("broker CPU \(Format.significant(f.slope * 1e6)) µs" + (f.throughOrigin == true ? " (average: it did not rise with the rate)" : ""))
        }
        if let f = c.diskWrite { parts.append("disk \(Format.value(f.slope, .bytes))") }
        if let f = c.nicTx { parts.append("NIC tx \(Format.value(f.slope, .bytes))") }
        if let f = c.nicRx { parts.append("NIC rx \(Format.value(f.slope, .bytes))") }
        if let f = c.pageCache { parts.append("page cache \(Format.value(f.slope, .bytes))") }
        return parts.isEmpty ? "not measured (needs two steps that kept up)" : parts.joined(separator: ", ") + " (regression over \(c.stepsUsed.count) steps)"
    }
}
