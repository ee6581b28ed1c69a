import Foundation
@testable import Report

/// A report with every kind of chart and block, from deterministic synthetic data
/// (a 120 s run at 2000 msg/s with a fault at 60 s, a sweep with a knee).
enum SampleReport {
    static func make() -> Report {
        let seconds = (1...120).map(Double.init)
        // Throughput dips after the fault at 60 s and recovers by 75 s.
        func rate(_ t: Double) -> Double { t < 60 || t > 75 ? 2000 + 40 * sin(t / 3) : 600 + 90 * (t - 60) }
        let throughput = Chart.timeSeries(
            id: "throughput", title: "Throughput", unit: .messagesPerSecond, yTitle: "rate",
            series: [Series("sent", xy: seconds.map { ($0, rate($0)) }),
                     Series("consumed", xy: seconds.map { ($0, $0 == 90 ? nil : rate($0) - 15) })],
            markers: [Marker(x: 60, label: "kill broker-a"), Marker(x: 75, label: "broker-a back")],
            bands: [Band(from: 0, to: 10, label: "warm-up")])
        let latency = Chart.timeSeries(
            id: "latency", title: "Send latency", unit: .milliseconds, yTitle: "latency",
            series: [Series("p50", xy: seconds.map { ($0, 1.2 + 0.1 * sin($0)) }),
                     Series("p99", xy: seconds.map { ($0, $0 > 60 && $0 < 75 ? 180 : 4.5 + sin($0 / 2)) })],
            markers: [Marker(x: 60, label: "kill broker-a")], bands: [Band(from: 0, to: 10, label: "warm-up")])
        let cpu = Chart.timeSeries(
            id: "cpu", title: "CPU: broker and generator", unit: .percent, yTitle: "CPU", series: [
                Series("broker user", style: .area, xy: seconds.map { ($0, 22 + 3 * sin($0 / 5)) }),
                Series("broker system", style: .area, xy: seconds.map { ($0, 11 + 2 * cos($0 / 4)) }),
                Series("broker softirq", style: .area, xy: seconds.map { ($0, 3) }),
                Series("generator", style: .area, xy: seconds.map { ($0, 18 + 2 * sin($0 / 7)) }),
            ], stacked: true, yMax: 100)
        let spectrum = Chart.percentileSpectrum(id: "spectrum", title: "Send latency by percentile", series: [
            Series("send", points: [0, 50, 90, 99, 99.9, 99.99, 99.999].map { Point(x: $0, y: 1 + pow(10, PercentileMap.position($0)) / 20) }),
            Series("end-to-end", points: [0, 50, 90, 99, 99.9, 99.99].map { Point(x: $0, y: 2 + pow(10, PercentileMap.position($0)) / 10) }),
        ])
        let offered = [2000.0, 4000, 6000, 8000, 10000, 12000, 14000]
        let achieved = offered.map { min($0, 11000 + ($0 - 11000) * 0.1) }
        let sweep = Chart(
            id: "sweep-rate", title: "Offered against achieved rate",
            x: Axis(title: "offered", unit: .messagesPerSecond, min: 0),
            y: Axis(title: "achieved", unit: .messagesPerSecond, min: 0),
            series: [Series("achieved", style: .linePoints, xy: Array(zip(offered, achieved.map { Optional($0) }))),
                     Series("USL fit", style: .dashed, xy: stride(from: 0.0, through: 14000, by: 500).map { ($0, 11500 * $0 / (11500 + $0 * 0.9)) })],
            highlights: [Highlight(x: 10000, y: 10000, label: "knee 10k msg/s")], diagonal: true)
        let table = Table(id: "plan", caption: "Cluster", columns: [.init("target"), .init("rate", .right), .init("masters", .right)],
                          rows: [["normal", "2,000 msg/s", "2"], ["promotion", "20,000 msg/s", "2"], ["10× promotion", "200,000 msg/s"]])
        return Report(
            name: "sample", title: "Sample report <&>", subtitle: "mqbench plan --target normal=2000", createdAt: "2026-11-22T05:00:00Z",
            keyFigures: [KeyFigure("sustainable", "10.0k msg/s", note: "knee of the sweep"), KeyFigure("bottleneck", "broker CPU")],
            sections: [
                Section("Run", [.paragraph("Two minutes at 2000 msg/s."), .chart(throughput), .chart(latency), .chart(cpu)]),
                Section("Latency", [.chart(spectrum)]),
                Section("Sweep", [.chart(sweep), .note(Note(.warning, "20,000 msg/s is beyond the measured range."))]),
                Section("Plan", [.table(table), .list(["headroom 0.6 (default)", "retention 72 h"]), .code("ok  vm.swappiness  1")]),
            ])
    }
}
