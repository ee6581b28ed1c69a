import Foundation
import Testing
@testable import Report

@Suite struct TickTests {
    @Test func niceLinearTicksCoverTheData() {
        let t = Ticks.linear(0, 2037)
        #expect(t.values == [0, 500, 1000, 1500, 2000, 2500])
        #expect(Ticks.linear(0, 0.83).values == [0, 0.2, 0.4, 0.6, 0.8, 1.0].map { $0 })
        #expect(Ticks.niceStep(0.3) == 0.5 && Ticks.niceStep(2.2) == 2.5 && Ticks.niceStep(7) == 10)
    }

    @Test func flatSeriesStillGetsARange() {
        let t = Ticks.linear(5, 5)
        #expect(t.lower <= 5 && t.upper > 5)
        #expect(Ticks.linear(0, 0).upper > 0)
    }

    @Test func timeTicksUseClockSteps() {
        #expect(Ticks.time(0, 120).step == 30)
        #expect(Ticks.time(0, 3600).step == 600)
        #expect(Format.clock(90) == "1:30" && Format.clock(3725) == "1:02:05")
    }

    @Test func percentileAxisIsLogOfTheRemainder() {
        #expect(PercentileMap.position(0) == 0)
        #expect(abs(PercentileMap.position(90) - 1) < 1e-9)
        #expect(abs(PercentileMap.position(99.9) - 3) < 1e-9)
        #expect(PercentileMap.position(100) == PercentileMap.cap)
        #expect((0...4).map { PercentileMap.label(Double($0)) } == ["0%", "90%", "99%", "99.9%", "99.99%"])
        #expect(Ticks.percentile(maxPosition: 3.2).values == [0, 1, 2, 3, 4])
    }

    @Test func byteAxesTickInBinaryUnits() {
        let layout = AxisLayout.make(Axis(title: "write", unit: .bytesPerSecond), dataMin: 0, dataMax: 150 * 1_048_576)
        #expect(layout.title == "write (MiB/s)")
        #expect(layout.labels == ["0", "50", "100", "150"])
        let rate = AxisLayout.make(Axis(title: "rate", unit: .messagesPerSecond), dataMin: 0, dataMax: 20_000)
        #expect(rate.labels.last == "20k" && rate.title == "rate (msg/s)")
        let quarter = AxisLayout.make(Axis(title: "cores", unit: .cores), dataMin: 0, dataMax: 1.1)
        #expect(quarter.labels.contains("0.25") || quarter.labels.contains("0.2"))
    }
}

@Suite struct FormatTests {
    @Test func figuresHaveThreeSignificantDigitsAndUnits() {
        #expect(Format.value(18_234, .messagesPerSecond) == "18.2k msg/s")
        #expect(Format.value(2000, .messagesPerSecond) == "2000 msg/s")
        #expect(Format.value(1.3e9, .bytes) == "1.21 GiB")
        #expect(Format.value(0.5, .milliseconds) == "500 µs")
        #expect(Format.value(61.23, .percent) == "61.2 %")
        #expect(Format.value(.nan, .cores) == "-")
        #expect(Format.grouped(20_000) == "20,000" && Format.grouped(-1234567) == "-1,234,567")
        #expect(Format.duration(259_200) == "72 h" && Format.duration(1800) == "30 min")
    }
}

@Suite struct ChartSVGTests {
    private func chart(markers: [Marker] = [], stacked: Bool = false, series: [Series]) -> Chart {
        Chart.timeSeries(id: "t", title: "T <1>", unit: .percent, yTitle: "cpu", series: series, markers: markers,
                         stacked: stacked, yMax: 100)
    }

    @Test func gapsBreakTheLine() {
        let svg = ChartSVG.render(chart(series: [Series("a", xy: [(0, 1), (1, 2), (2, nil), (3, 4), (4, 5)])]))
        let paths = svg.components(separatedBy: "<path d=\"M").count - 1
        // Two runs of the series plus the axes.
        #expect(paths == 3)
        #expect(svg.contains("<title id=\"chart-t-title\">T &lt;1&gt;</title>"))
    }

    @Test func markersAreDrawnAtTheirTime() {
        // x axis 0…120 s over the plot's 72…836 px: 60 s is the middle, 454 px.
        let svg = ChartSVG.render(chart(markers: [Marker(x: 60, label: "kill broker-a")],
                                        series: [Series("a", xy: [(0, 10), (120, 20)])]))
        #expect(svg.contains("x1=\"454\" y1="))
        #expect(svg.contains(">kill broker-a</text>"))
        #expect(svg.contains("class=\"marker\""))
    }

    @Test func stackedSeriesAddUp() {
        let tops = Stack.tops([Series("a", xy: [(0, 1), (1, 1)]), Series("b", xy: [(0, 2), (1, nil)]), Series("c", xy: [(0, 3), (1, 3)])])
        #expect(tops[2][0] == 6)
        // A gap below is a gap above: no made-up zero.
        #expect(tops[1][1] == nil && tops[2][1] == nil)
    }

    @Test func emptyChartSaysNoData() {
        #expect(ChartSVG.render(chart(series: [])).contains(">no data</text>"))
    }

    @Test func highlightAndDiagonalOnXYCharts() {
        let c = Chart(id: "xy", title: "sweep", x: Axis(title: "offered", unit: .messagesPerSecond, min: 0),
                      y: Axis(title: "achieved", unit: .messagesPerSecond, min: 0),
                      series: [Series("achieved", style: .linePoints, xy: [(1000, 1000), (2000, 1900)])],
                      highlights: [Highlight(x: 1000, y: 1000, label: "knee")], diagonal: true)
        let svg = ChartSVG.render(c)
        #expect(svg.contains("class=\"highlight\""))
        #expect(svg.contains(">ideal (y = x)</text>"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
    }
}
