/// The row(s) of swatches under the title: one per series, plus the diagonal.
struct Legend {
    struct Entry {
        var name: String
        var color: String
        var style: Series.Style
        var x: Double
        var row: Int
    }

    private(set) var entries: [Entry] = []
    private(set) var height = 0.0
    private let top = 40.0

    init(chart: Chart, left: Double, maxRight: Double) {
        var items = chart.series.enumerated().map { ($0.element.name, Palette.color($0.offset), $0.element.style) }
        if chart.diagonal { items.append(("ideal (y = x)", Palette.diagonal, .dashed)) }
        // A single unnamed-looking series needs no legend; the title says what it is.
        guard items.count > 1 || chart.diagonal else { return }
        var x = left, row = 0
        for (name, color, style) in items {
            let width = 22 + Double(name.count) * 6.4 + 14
            if x + width > maxRight, x > left { row += 1; x = left }
            entries.append(Entry(name: name, color: color, style: style, x: x, row: row))
            x += width
        }
        height = Double(row + 1) * 16
    }

    func draw(_ w: inout SVGWriter) {
        for e in entries {
            let y = top + Double(e.row) * 16
            let sx = Markup.coordinate(e.x), sy = Markup.coordinate(y - 9)
            if e.style == .dashed {
                w.element("line", ["x1": sx, "y1": Markup.coordinate(y - 4), "x2": Markup.coordinate(e.x + 16),
                                   "y2": Markup.coordinate(y - 4), "stroke": e.color, "stroke-width": "2",
                                   "stroke-dasharray": "4 3"])
            } else {
                w.element("rect", ["x": sx, "y": sy, "width": "16", "height": "10", "fill": e.color])
            }
            w.element("text", ["x": Markup.coordinate(e.x + 22), "y": Markup.coordinate(y), "font-size": "11",
                               "fill": Palette.text], e.name)
        }
    }
}

/// Cumulative sums of stacked series, aligned by point index (series of one
/// chart share their x values). A gap in any lower series is a gap above it too.
enum Stack {
    static func tops(_ series: [Series]) -> [[Double?]] {
        var result: [[Double?]] = []
        var running: [Double?] = []
        for s in series {
            if running.isEmpty { running = Array(repeating: 0, count: s.points.count) }
            running = running.indices.map { i in
                guard let base = running[i], i < s.points.count, let v = s.points[i].y else { return nil }
                return base + v
            }
            result.append(running)
        }
        return result
    }
}
