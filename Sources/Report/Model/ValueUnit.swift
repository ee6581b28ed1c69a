import Foundation

/// The unit of a chart axis or a figure; decides prefixes and labels.
public enum ValueUnit: String, Sendable, Codable, CaseIterable {
    case count
    case messagesPerSecond = "msg/s"
    case milliseconds = "ms"
    case seconds = "s"
    case percent = "%"
    case bytes = "B"
    case bytesPerSecond = "B/s"
    /// CPU-seconds per second.
    case cores

    /// Divisor and label for values up to `magnitude` (absolute value).
    func prefix(for magnitude: Double) -> (divisor: Double, label: String) {
        switch self {
        case .count, .messagesPerSecond:
            let suffix = self == .count ? "" : " msg/s"
            if magnitude >= 1e6 { return (1e6, "M" + suffix) }
            if magnitude >= 1e4 { return (1e3, "k" + suffix) }
            return (1, self == .count ? "" : "msg/s")
        case .bytes, .bytesPerSecond:
            let rate = self == .bytesPerSecond ? "/s" : ""
            let steps: [(Double, String)] = [(0x1p40, "TiB"), (0x1p30, "GiB"), (0x1p20, "MiB"), (0x1p10, "KiB")]
            for (d, l) in steps where magnitude >= d { return (d, l + rate) }
            return (1, "B" + rate)
        case .milliseconds:
            if magnitude >= 10_000 { return (1000, "s") }
            if magnitude > 0, magnitude < 1 { return (0.001, "µs") }
            return (1, "ms")
        case .seconds: return (1, "s")
        case .percent: return (1, "%")
        case .cores: return (1, "cores")
        }
    }
}

/// Formatting of figures for tables and key figures (three significant digits,
/// binary prefixes for bytes, k/M for rates).
public enum Format {
    /// `18.2k msg/s`, `1.21 GiB`, `4.73 ms`, `61.2 %`, `1.50 cores`.
    public static func value(_ v: Double, _ unit: ValueUnit) -> String {
        guard v.isFinite else { return "-" }
        let (divisor, label) = unit.prefix(for: abs(v))
        let scaled = v / divisor
        // "18.2k msg/s" keeps the prefix on the number; "1.21 GiB" does not.
        let compact = (unit == .count || unit == .messagesPerSecond) && divisor > 1
        return significant(scaled) + (label.isEmpty ? "" : (compact ? "" : " ") + label)
    }

    /// Three significant digits, no exponent, no trailing zeros: 1234 → "1234",
    /// 12.34 → "12.3", 4.0 → "4", 0.01234 → "0.0123".
    public static func significant(_ v: Double) -> String {
        let a = abs(v)
        if a >= 100 || a == 0 { return String(format: "%.0f", v) }
        let decimals = a >= 10 ? 1 : a >= 1 ? 2 : min(6, 2 - Int(floor(log10(a))))
        var text = String(format: "%.\(decimals)f", v)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// An integer with thousands separators: 20000 → "20,000".
    public static func grouped(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let n = Int(v.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Bits per second in decimal units, as links are sold: `312 Mb/s`, `3.12 Gb/s`.
    public static func bits(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let steps: [(Double, String)] = [(1e9, "Gb/s"), (1e6, "Mb/s"), (1e3, "kb/s")]
        for (d, l) in steps where abs(v) >= d { return significant(v / d) + " " + l }
        return significant(v) + " b/s"
    }

    /// A share (0.61) as a percentage: `61 %`.
    public static func share(_ v: Double) -> String {
        v.isFinite ? String(format: "%.0f %%", v * 100) : "-"
    }

    /// A percentage with one decimal: `61.2 %`.
    public static func percent(_ v: Double) -> String {
        v.isFinite ? String(format: "%.1f %%", v) : "-"
    }

    /// Seconds as `m:ss` (or `h:mm:ss`), for time axes.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let sign = s < 0 ? "-" : ""
        let a = abs(s)
        if a >= 3600 { return sign + String(format: "%d:%02d:%02d", a / 3600, a / 60 % 60, a % 60) }
        return sign + String(format: "%d:%02d", a / 60, a % 60)
    }

    /// A duration in words: `72 h`, `30 min`, `45 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600)) h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60)) min" }
        return significant(seconds) + " s"
    }
}
