/// The rectangle the data is drawn in, and the maps from data to pixels.
struct PlotArea {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    var x: AxisLayout
    var y: AxisLayout
    var xScale: Axis.Scale

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// Pixel x of a data x (percentiles go through the log map first).
    func px(_ v: Double) -> Double {
        let p = xScale == .percentile ? PercentileMap.position(v) : v
        return left + (p - x.ticks.lower) / span(x.ticks) * width
    }

    /// Pixel x of a position already on the axis's own scale (tick positions).
    func pxAxis(_ p: Double) -> Double { left + (p - x.ticks.lower) / span(x.ticks) * width }

    func py(_ v: Double) -> Double { bottom - (v - y.ticks.lower) / span(y.ticks) * height }

    private func span(_ t: Ticks) -> Double { t.upper > t.lower ? t.upper - t.lower : 1 }
}
