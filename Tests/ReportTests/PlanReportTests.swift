import Foundation
import Testing
@testable import Planner
@testable import Report
@testable import Sampler

/// A plan from a synthetic sweep whose broker saturates at 9,000 msg/s
/// (USL σ 0.02, κ 0.0004 over Little's-law concurrency).
enum SamplePlan {
    static func input() -> PlannerInput {
        let usl = USLModel(sigma: 0.02, kappa: 0.0004, lambda: 600)
        let steps = [2.0, 4, 6, 8, 12, 16, 24, 32].map { n -> MeasuredStep in
            let x = usl.throughput(n)
            let offered = x * (n > 20 ? 1.3 : 1)
            return MeasuredStep(label: "N\(Int(n))", seconds: 20, offeredRate: offered, sendRate: x, consumeRate: x,
                                latencyMeanMs: n / x * 1000, latencyP50Ms: n / x * 800, latencyP99Ms: n / x * 4000,
                                resources: StepResources(brokerCores: 0.08 + 1.5e-4 * x, generatorCores: 0.1 + 9e-5 * x,
                                                         diskWriteBytesPerSecond: 700 * x, diskUtilisationPercent: 700 * x / 2e8 * 100,
                                                         nicTxBytesPerSecond: 1000 * x, brokerRSSBytes: 4e8))
        }
        let doctor = DoctorReport(role: .broker, checks: [
            CheckResult(id: "vm.swappiness", title: "swappiness", category: "kernel", current: "60", recommended: "1",
                        severity: .warning, status: .fail, reason: "swapping broker memory costs more", fix: "sysctl -w vm.swappiness=1"),
        ])
        return PlannerInput(steps: steps, host: HostProfile(hostname: "bench-1", cpuModel: "AMD EPYC", logicalCPUs: 2, memoryBytes: 24e9),
                            workload: MeasuredWorkload(messageBytes: 512, topicBytes: 12, consumerGroups: 1, flush: .async),
                            doctor: doctor, sources: ["reports/sweep/results.json"])
    }

    static func plan() throws -> CapacityPlan {
        try Planner.plan(input(), SizingConfig(targets: [SizingTarget(name: "normal", rate: 2000), SizingTarget(name: "promotion", rate: 20000)]))
    }
}

@Suite struct PlanReportTests {
    @Test func planReportHasTheClusterTablesAndCharts() throws {
        let plan = try SamplePlan.plan()
        let report = PlanReport.make(plan, createdAt: "2026-11-22T06:00:00Z", command: "mqbench plan --target normal=2000")
        let titles = report.sections.map(\.title)
        #expect(titles.contains("Cluster") && titles.contains("Assumptions") && titles.contains("Host checklist (mqbench doctor)"))
        #expect(titles.contains { $0.hasPrefix("At 10 × (200,000 msg/s)") })
        #expect(Set(report.charts.map(\.id)) == ["sweep-rate", "sweep-latency", "cost-cpu", "cost-disk", "cost-nic", "usl"])
        let md = MarkdownWriter.render(report)
        #expect(md.contains("| master | \(plan.cluster.masters) |"))
        #expect(md.contains("| vm.swappiness |"))
        #expect(md.contains("sysctl -w vm.swappiness=1"))
        // Every assumption is listed with its source.
        for a in plan.parameters.assumptions { #expect(md.contains("| \(a.name) |")) }
        // The sweep's knee is marked on the rate chart.
        let rate = try #require(report.charts.first { $0.id == "sweep-rate" })
        #expect(rate.highlights.count == 1 && rate.diagonal)
        // 20,000 msg/s over 2 masters is 10k per master, beyond the measured 6.9k: flagged.
        #expect(md.contains("> **Warning:** promotion: 10000 msg/s per master is beyond"))
    }

    @Test func planJSONCarriesThePlan() throws {
        let plan = try SamplePlan.plan()
        let report = PlanReport.make(plan, createdAt: "2026-11-22T06:00:00Z", command: "mqbench plan")
        let text = try ReportFiles.json(report, data: plan)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let data = try #require(object?["data"] as? [String: Any])
        let cluster = try #require(data["cluster"] as? [String: Any])
        #expect(cluster["masters"] as? Int == plan.cluster.masters)
        #expect((data["usl"] as? [String: Any])?["model"] != nil)
    }
}

@Suite struct SweepReportTests {
    @Test func sweepReportStatesTheMaximumAndTheBottleneck() throws {
        var input = SamplePlan.input()
        // The broken steps ran the host's CPU to 99 %, the generator 10 % of it.
        for i in input.steps.indices where input.steps[i].offeredRate! > input.steps[i].sendRate * 1.05 {
            input.steps[i].resources.hostCPUPercent = 99
            input.steps[i].resources.generatorCores = 0.2
        }
        let broken = try #require(input.steps.first { $0.offeredRate! > $0.sendRate * 1.05 })
        let verdicts = [SweepSearch.Verdict(rate: input.steps[0].rate, held: true, reasons: []),
                        SweepSearch.Verdict(rate: broken.rate, held: false, reasons: ["achieved 8567 of 11137 msg/s offered"])]
        let result = SweepResult(input: input, estimate: 9000, verdicts: verdicts, stopped: "reached the step limit (2)")
        #expect(result.bottleneck.resource == .brokerCPU)
        let report = SweepReport.make(result, createdAt: "2026-11-22T08:00:00Z", command: "mqbench sweep p.yaml")
        #expect(report.keyFigures.first?.value == "6877 msg/s")
        #expect(report.keyFigures.contains(KeyFigure("bottleneck", "broker CPU")))
        let md = MarkdownWriter.render(report)
        #expect(md.contains("Limited by: broker CPU."))
        #expect(md.contains("| 2 | 11.1k msg/s | 8567 msg/s | 8567 msg/s | 11.2 ms | - | - | - | broke | achieved 8567 of 11137 msg/s offered |"), "\(md)")
        #expect(md.contains("Stopped: reached the step limit (2)."))
        #expect(report.charts.contains { $0.id == "usl" })
    }
}
