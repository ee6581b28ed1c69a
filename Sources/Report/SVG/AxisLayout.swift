import Foundation

/// Where an axis's ticks go and how they are labelled, for the data's range.
///
/// Ticks are chosen in display units (MiB/s, k msg/s, µs) so that binary and SI
/// prefixes still give round labels, then mapped back to raw values.
struct AxisLayout {
    var ticks: Ticks
    var labels: [String]
    /// The axis title with its unit: "latency (ms)", "write (MiB/s)".
    var title: String

    static func make(_ axis: Axis, dataMin: Double, dataMax: Double) -> AxisLayout {
        switch axis.scale {
        case .percentile:
            let t = Ticks.percentile(maxPosition: axis.max.map(PercentileMap.position) ?? dataMax)
            return AxisLayout(ticks: t, labels: t.values.map(PercentileMap.label), title: axis.title)
        case .time:
            let t = Ticks.time(axis.min ?? dataMin, axis.max ?? dataMax)
            return AxisLayout(ticks: t, labels: t.values.map(Format.clock), title: axis.title + " (m:ss)")
        case .linear:
            let lo = axis.min ?? dataMin, hi = axis.max ?? dataMax
            let (divisor, unitLabel) = axis.unit.prefix(for: max(abs(lo), abs(hi)))
            let scaled = Ticks.linear(lo / divisor, hi / divisor)
            let lower = axis.min ?? scaled.lower * divisor, upper = axis.max ?? scaled.upper * divisor
            let decimals = (0...3).first { d in
                let v = scaled.step * pow(10, Double(d))
                return abs(v - v.rounded()) < 1e-6 * max(1, v)
            } ?? 3
            // Counts and rates keep k/M on the tick ("20k"); other units put it in the title.
            let countLike = axis.unit == .count || axis.unit == .messagesPerSecond
            let suffix = countLike && divisor > 1 ? String(unitLabel.prefix(1)) : ""
            let slack = 1e-9 * max(abs(lower), abs(upper), 1e-12)
            let kept = scaled.values.filter { $0 * divisor >= lower - slack && $0 * divisor <= upper + slack }
            let t = Ticks(values: kept.map { $0 * divisor }, lower: lower, upper: upper, step: scaled.step * divisor)
            let labels = kept.map { String(format: "%.\(decimals)f", $0) + suffix }
            let shown = countLike ? (axis.unit == .count ? "" : "msg/s") : unitLabel
            return AxisLayout(ticks: t, labels: labels, title: shown.isEmpty ? axis.title : "\(axis.title) (\(shown))")
        }
    }
}
