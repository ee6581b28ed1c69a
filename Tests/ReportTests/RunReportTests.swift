import BenchFixtures
import Foundation
import Metrics
import Testing
@testable import Report

@Suite struct RunReportTests {
    static func report() throws -> (RunResults, Report) {
        let results = try SyntheticResults.make(rate: 1000, groups: 2, measured: 4, stallAt: 3)
        return (results, RunReport.make(results, createdAt: "2026-11-22T07:00:00Z", command: "mqbench run step.yaml"))
    }

    @Test func timeChartsMarkFaultsAndWarmUp() throws {
        let (results, report) = try Self.report()
        let throughput = try #require(report.charts.first { $0.id == "throughput" })
        // Load started at wall0; the fault was noted 3 s in, the warm-up took the first second.
        #expect(throughput.markers == [Marker(x: 3, label: "stop-broker")])
        #expect(throughput.bands.first == Band(from: 0, to: 1, label: "warm-up"))
        #expect(throughput.series.map(\.name) == ["sent", "consumed g0", "consumed g1"])
        #expect(throughput.series[0].points.count == results.intervals.count)
        // The stalled second shows in the interval p99.
        let latency = try #require(report.charts.first { $0.id == "latency" })
        let p99 = latency.series[1].points.compactMap(\.y)
        #expect(p99.max()! >= 150 && p99.min()! < 3)
    }

    @Test func spectrumStopsWhereTheDataStops() throws {
        let (results, report) = try Self.report()
        let spectrum = try #require(report.charts.first { $0.id == "spectrum" })
        #expect(spectrum.x.scale == .percentile)
        let send = try #require(spectrum.series.first { $0.name == "send" })
        // 4,000 measured sends: nothing finer than 1 in 4,000 (99.975 %).
        #expect(send.points.last!.x == 99.95)
        #expect(send.points.last!.y! >= 150 && send.points.first!.y! < 3)
        #expect(results.histograms.sendLatency.count == 4000)
    }

    @Test func resourcesKeepBrokerAndGeneratorApart() throws {
        let (_, report) = try Self.report()
        let cpu = try #require(report.charts.first { $0.id == "cpu" })
        // Broker 0.1 + 1000 × 100 µs = 0.2 core = 10 % of 2 CPUs; generator 30 % of a core = 15 %.
        #expect(cpu.series.first { $0.name == "broker" }?.points.first?.y == 10)
        #expect(cpu.series.first { $0.name == "generator" }?.points.first?.y == 15)
        #expect(Set(report.charts.map(\.id)).isSuperset(of: ["disk", "disk-util", "nic", "memory"]))
        let md = MarkdownWriter.render(report)
        #expect(md.contains("| stop-broker |"))
        #expect(md.contains("| g1 | 5,000 | 0 | 0 | 0 |"))
    }
}
