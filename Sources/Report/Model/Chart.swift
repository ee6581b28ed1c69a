/// A chart as data: the renderers turn it into SVG, report.json keeps the numbers.
///
/// One model covers the report's four kinds: time series (x in seconds since the
/// start, with fault markers and a shaded warm-up), stacked utilisation (the same
/// with `stacked`), the latency percentile spectrum (x on HdrHistogram's
/// 1/(1−p) log scale) and XY sweep curves (with the knee and a fitted curve).
public struct Chart: Sendable, Codable, Equatable {
    /// Stable identifier: the SVG element is `chart-<id>`, the file `charts/<id>.svg`.
    public var id: String
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    /// Vertical lines at an x value with a label (fault injected, step change).
    public var markers: [Marker]
    /// Shaded x ranges (warm-up, discarded).
    public var bands: [Band]
    /// Labelled points (the knee).
    public var highlights: [Highlight]
    /// Area series are stacked on each other in order (CPU user + system + …).
    public var stacked: Bool
    /// Draws y = x (offered against achieved rate: the ideal).
    public var diagonal: Bool
    public var caption: String?

    public init(id: String, title: String, x: Axis, y: Axis, series: [Series], markers: [Marker] = [],
                bands: [Band] = [], highlights: [Highlight] = [], stacked: Bool = false, diagonal: Bool = false,
                caption: String? = nil) {
        self.id = id; self.title = title; self.x = x; self.y = y; self.series = series
        self.markers = markers; self.bands = bands; self.highlights = highlights
        self.stacked = stacked; self.diagonal = diagonal; self.caption = caption
    }

    /// Throughput, latency or utilisation over a run; x in seconds since the start.
    public static func timeSeries(id: String, title: String, unit: ValueUnit, yTitle: String, series: [Series],
                                  markers: [Marker] = [], bands: [Band] = [], stacked: Bool = false,
                                  yMax: Double? = nil, caption: String? = nil) -> Chart {
        Chart(id: id, title: title, x: Axis(title: "time since start", unit: .seconds, scale: .time),
              y: Axis(title: yTitle, unit: unit, min: 0, max: yMax), series: series, markers: markers,
              bands: bands, stacked: stacked, caption: caption)
    }

    /// Latency by percentile, x = percentile in percent (0 … 99.999) on the log scale.
    public static func percentileSpectrum(id: String, title: String, unit: ValueUnit = .milliseconds,
                                          series: [Series], caption: String? = nil) -> Chart {
        Chart(id: id, title: title, x: Axis(title: "percentile", unit: .percent, scale: .percentile),
              y: Axis(title: "latency", unit: unit, min: 0), series: series, caption: caption)
    }
}

/// An axis: what it measures and how values map to positions.
public struct Axis: Sendable, Codable, Equatable {
    public enum Scale: String, Sendable, Codable {
        case linear
        /// Seconds, ticked at whole seconds/minutes and labelled `1:30`.
        case time
        /// Percent p mapped to log10(1/(1 − p/100)): 0, 90, 99, 99.9 … equally spaced.
        case percentile
    }

    public var title: String
    public var unit: ValueUnit
    public var scale: Scale
    /// Fixed ends; otherwise from the data, widened to nice ticks.
    public var min: Double?
    public var max: Double?

    public init(title: String, unit: ValueUnit, scale: Scale = .linear, min: Double? = nil, max: Double? = nil) {
        self.title = title; self.unit = unit; self.scale = scale; self.min = min; self.max = max
    }
}

/// A named line (or area, or dashed fit) of points.
public struct Series: Sendable, Codable, Equatable {
    public enum Style: String, Sendable, Codable {
        case line
        /// Line with a dot at each point (sweep steps).
        case linePoints
        /// Dashed line (a fitted model, a limit).
        case dashed
        /// Filled to the series below (with `Chart.stacked`) or to zero.
        case area
    }

    public var name: String
    public var style: Style
    public var points: [Point]

    public init(_ name: String, style: Style = .line, points: [Point]) {
        self.name = name; self.style = style; self.points = points
    }

    public init(_ name: String, style: Style = .line, xy: [(Double, Double?)]) {
        self.init(name, style: style, points: xy.map { Point(x: $0.0, y: $0.1) })
    }
}

/// One point; `y == nil` is a gap (an interval without a reading), never a zero.
public struct Point: Sendable, Codable, Equatable {
    public var x: Double
    public var y: Double?

    public init(x: Double, y: Double?) {
        self.x = x; self.y = y
    }
}

/// A vertical line at `x` (a fault, a phase change).
public struct Marker: Sendable, Codable, Equatable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x; self.label = label
    }
}

/// A shaded range of x (warm-up).
public struct Band: Sendable, Codable, Equatable {
    public var from: Double
    public var to: Double
    public var label: String

    public init(from: Double, to: Double, label: String) {
        self.from = from; self.to = to; self.label = label
    }
}

/// A point to call out (the knee of a sweep).
public struct Highlight: Sendable, Codable, Equatable {
    public var x: Double
    public var y: Double
    public var label: String

    public init(x: Double, y: Double, label: String) {
        self.x = x; self.y = y; self.label = label
    }
}
