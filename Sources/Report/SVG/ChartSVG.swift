/// Renders a `Chart` as one self-contained `<svg>` element: no script, no
/// external fonts or styles, so it shows the same inline in report.html, as a
/// file next to report.md, and in a browser without network.
public enum ChartSVG {
    public static let width = 860.0
    public static let height = 340.0

    public static func render(_ chart: Chart) -> String {
        let legend = Legend(chart: chart, left: 72, maxRight: width - 24)
        let extent = DataExtent(chart)
        let area = PlotArea(left: 72, top: 50 + legend.height, right: width - 24, bottom: height - 48,
                            x: AxisLayout.make(chart.x, dataMin: extent.xMin, dataMax: extent.xMax),
                            y: AxisLayout.make(chart.y, dataMin: extent.yMin, dataMax: extent.yMax),
                            xScale: chart.x.scale)
        var w = SVGWriter()
        let id = "chart-" + chart.id
        w.open("svg", ["xmlns": "http://www.w3.org/2000/svg", "id": id, "class": "chart",
                       "viewBox": "0 0 \(Int(width)) \(Int(height))", "width": "\(Int(width))", "height": "\(Int(height))",
                       "role": "img", "aria-labelledby": id + "-title", "font-family": "Helvetica, Arial, sans-serif"])
        w.element("title", ["id": id + "-title"], chart.title)
        if let caption = chart.caption { w.element("desc", [:], caption) }
        w.element("rect", ["x": "0", "y": "0", "width": "\(Int(width))", "height": "\(Int(height))", "fill": "#ffffff"])
        w.element("text", ["x": "16", "y": "22", "font-size": "15", "font-weight": "bold", "fill": Palette.text], chart.title)
        legend.draw(&w)
        w.open("clipPath", ["id": id + "-clip"])
        w.element("rect", ["x": c(area.left), "y": c(area.top), "width": c(area.width), "height": c(area.height)])
        w.close("clipPath")
        drawGrid(&w, area)
        w.open("g", ["clip-path": "url(#\(id)-clip)"])
        let drawing = SeriesDrawing(area: area, chart: chart)
        drawing.drawBands(&w)
        drawing.drawSeries(&w)
        w.close("g")
        drawing.drawMarkers(&w)
        drawing.drawHighlights(&w)
        if !extent.hasData {
            w.element("text", ["x": c(area.left + area.width / 2), "y": c(area.top + area.height / 2),
                               "text-anchor": "middle", "font-size": "14", "fill": Palette.muted], "no data")
        }
        drawAxes(&w, area)
        w.close("svg")
        return w.text
    }

    private static func drawGrid(_ w: inout SVGWriter, _ a: PlotArea) {
        for (v, label) in zip(a.y.ticks.values, a.y.labels) {
            let y = a.py(v)
            w.element("line", ["x1": c(a.left), "y1": c(y), "x2": c(a.right), "y2": c(y), "stroke": Palette.grid])
            w.element("text", ["x": c(a.left - 6), "y": c(y + 4), "text-anchor": "end", "font-size": "11",
                               "fill": Palette.text], label)
        }
        for (v, label) in zip(a.x.ticks.values, a.x.labels) {
            let x = a.pxAxis(v)
            w.element("line", ["x1": c(x), "y1": c(a.top), "x2": c(x), "y2": c(a.bottom), "stroke": Palette.grid])
            w.element("text", ["x": c(x), "y": c(a.bottom + 16), "text-anchor": "middle", "font-size": "11",
                               "fill": Palette.text], label)
        }
    }

    private static func drawAxes(_ w: inout SVGWriter, _ a: PlotArea) {
        w.element("path", ["d": "M\(c(a.left)) \(c(a.top))V\(c(a.bottom))H\(c(a.right))", "fill": "none",
                           "stroke": Palette.axis])
        w.element("text", ["x": c(a.left + a.width / 2), "y": c(a.bottom + 36), "text-anchor": "middle",
                           "font-size": "12", "fill": Palette.text], a.x.title)
        let mid = a.top + a.height / 2
        w.element("text", ["x": "16", "y": c(mid), "text-anchor": "middle", "font-size": "12", "fill": Palette.text,
                           "transform": "rotate(-90 16 \(c(mid)))"], a.y.title)
    }

    private static func c(_ v: Double) -> String { Markup.coordinate(v) }
}

/// The range the chart's data spans (stacked series summed), markers and bands included.
struct DataExtent {
    var xMin = Double.infinity, xMax = -Double.infinity
    var yMin = Double.infinity, yMax = -Double.infinity
    var hasData = false

    init(_ chart: Chart) {
        let percentile = chart.x.scale == .percentile
        func addX(_ v: Double) { let p = percentile ? PercentileMap.position(v) : v; xMin = min(xMin, p); xMax = max(xMax, p) }
        func addY(_ v: Double) { yMin = min(yMin, v); yMax = max(yMax, v) }
        for s in chart.series { for p in s.points where p.x.isFinite { addX(p.x) } }
        if chart.stacked {
            for top in Stack.tops(chart.series) { for v in top.compactMap({ $0 }) { addY(v); hasData = true } }
        } else {
            for s in chart.series { for case let v? in s.points.map(\.y) where v.isFinite { addY(v); hasData = true } }
        }
        chart.markers.forEach { addX($0.x) }
        chart.bands.forEach { addX($0.from); addX($0.to) }
        chart.highlights.forEach { addX($0.x); addY($0.y) }
        if chart.diagonal, xMin.isFinite { addY(xMin); addY(xMax) }
        if !xMin.isFinite { (xMin, xMax) = (0, 1) }
        if !yMin.isFinite { (yMin, yMax) = (0, 1) }
        // Rates, latencies and utilisation read best from zero; time starts at the run's start.
        yMin = min(0, yMin)
        if chart.x.scale == .time || percentile { xMin = min(0, xMin) }
    }
}
