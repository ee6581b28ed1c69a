/// Draws a chart's data layers inside a `PlotArea`.
struct SeriesDrawing {
    let area: PlotArea
    let chart: Chart

    private func c(_ v: Double) -> String { Markup.coordinate(v) }

    func drawBands(_ w: inout SVGWriter) {
        for band in chart.bands {
            let x1 = area.px(band.from), x2 = area.px(band.to)
            w.element("rect", ["x": c(min(x1, x2)), "y": c(area.top), "width": c(abs(x2 - x1)), "height": c(area.height),
                               "fill": Palette.band, "fill-opacity": "0.07"])
            w.element("text", ["x": c(min(x1, x2) + 4), "y": c(area.bottom - 6), "font-size": "10",
                               "fill": Palette.muted], band.label)
        }
    }

    func drawSeries(_ w: inout SVGWriter) {
        if chart.diagonal {
            let lo = max(area.x.ticks.lower, area.y.ticks.lower), hi = min(area.x.ticks.upper, area.y.ticks.upper)
            w.element("line", ["x1": c(area.px(lo)), "y1": c(area.py(lo)), "x2": c(area.px(hi)), "y2": c(area.py(hi)),
                               "stroke": Palette.diagonal, "stroke-width": "1.5", "stroke-dasharray": "4 3"])
        }
        if chart.stacked {
            drawStacked(&w)
            return
        }
        // Areas first so lines stay visible on top of them.
        for (i, s) in chart.series.enumerated() where s.style == .area { drawArea(&w, s, color: Palette.color(i)) }
        for (i, s) in chart.series.enumerated() { drawLine(&w, s, color: Palette.color(i)) }
    }

    private func runs(_ points: [Point]) -> [[(Double, Double)]] {
        var out: [[(Double, Double)]] = [], current: [(Double, Double)] = []
        for p in points {
            if let y = p.y, y.isFinite, p.x.isFinite {
                current.append((area.px(p.x), area.py(y)))
            } else if !current.isEmpty {
                out.append(current); current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private func pathData(_ run: [(Double, Double)]) -> String {
        run.enumerated().map { ($0.offset == 0 ? "M" : "L") + c($0.element.0) + " " + c($0.element.1) }.joined()
    }

    private func drawLine(_ w: inout SVGWriter, _ s: Series, color: String) {
        for run in runs(s.points) {
            if run.count == 1 || s.style == .linePoints {
                for (x, y) in run { w.element("circle", ["cx": c(x), "cy": c(y), "r": "3.5", "fill": color]) }
            }
            guard run.count > 1 else { continue }
            if s.style == .dashed {
                w.element("path", ["d": pathData(run), "fill": "none", "stroke": color, "stroke-width": "2",
                                   "stroke-dasharray": "6 4"])
            } else {
                w.element("path", ["d": pathData(run), "fill": "none", "stroke": color, "stroke-width": "2",
                                   "stroke-linejoin": "round"])
            }
        }
    }

    private func drawArea(_ w: inout SVGWriter, _ s: Series, color: String) {
        let zero = area.py(max(0, area.y.ticks.lower))
        for run in runs(s.points) where run.count > 1 {
            let d = pathData(run) + "L\(c(run.last!.0)) \(c(zero))L\(c(run.first!.0)) \(c(zero))Z"
            w.element("path", ["d": d, "fill": color, "fill-opacity": "0.25", "stroke": "none"])
        }
    }

    private func drawStacked(_ w: inout SVGWriter) {
        let tops = Stack.tops(chart.series)
        for (i, s) in chart.series.enumerated() {
            let color = Palette.color(i)
            var start: Int?
            // One polygon per run of indices where this layer and the one below have values.
            for k in 0...s.points.count {
                let ok = k < s.points.count && tops[i][k] != nil && (i == 0 || tops[i - 1][k] != nil)
                if ok, start == nil { start = k }
                if !ok, let s0 = start {
                    polygon(&w, i: i, range: s0..<k, tops: tops, series: s, color: color)
                    start = nil
                }
            }
        }
    }

    private func polygon(_ w: inout SVGWriter, i: Int, range: Range<Int>, tops: [[Double?]], series s: Series, color: String) {
        let upper = range.map { (area.px(s.points[$0].x), area.py(tops[i][$0]!)) }
        let lower = range.reversed().map { (area.px(s.points[$0].x), area.py(i == 0 ? 0 : tops[i - 1][$0]!)) }
        let d = pathData(upper + lower) + "Z"
        w.element("path", ["d": d, "fill": color, "fill-opacity": "0.8", "stroke": color, "stroke-width": "1"])
    }

    func drawMarkers(_ w: inout SVGWriter) {
        for (i, m) in chart.markers.enumerated() {
            let x = area.px(m.x)
            guard x >= area.left - 0.5, x <= area.right + 0.5 else { continue }
            w.element("line", ["x1": c(x), "y1": c(area.top), "x2": c(x), "y2": c(area.bottom), "stroke": Palette.marker,
                               "stroke-width": "1.5", "stroke-dasharray": "5 3", "class": "marker"])
            // Stagger labels so faults close together stay readable.
            let y = area.top + 12 + Double(i % 3) * 12
            let nearRight = x > area.right - 120
            w.element("text", ["x": c(nearRight ? x - 4 : x + 4), "y": c(y), "font-size": "10", "fill": Palette.marker,
                               "text-anchor": nearRight ? "end" : "start"], m.label)
        }
    }

    func drawHighlights(_ w: inout SVGWriter) {
        for h in chart.highlights {
            let x = area.px(h.x), y = area.py(h.y)
            w.element("circle", ["cx": c(x), "cy": c(y), "r": "7", "fill": "none", "stroke": Palette.text,
                                 "stroke-width": "2", "class": "highlight"])
            let nearRight = x > area.right - 160
            w.element("text", ["x": c(nearRight ? x - 10 : x + 10), "y": c(max(area.top + 12, y - 10)), "font-size": "11",
                               "font-weight": "bold", "fill": Palette.text, "text-anchor": nearRight ? "end" : "start"], h.label)
        }
    }
}
