/// Small, allocation-light number formatting for tables (the library avoids
/// Foundation so it can be linked into every executable cheaply).
public enum TextFormat {
    /// `value` with a fixed number of decimals, e.g. `fixed(3.14159, 2)` → `"3.14"`.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = value < 0
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let n = UInt64(scaled)
        let whole = n / UInt64(scale)
        var text = (negative && n != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let frac = String(n % UInt64(scale))
            text += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return text
    }

    /// Right-aligns `text` in `width` columns.
    public static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Left-aligns `text` in `width` columns.
    public static func padRight(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Bytes with a binary unit: `1536` → `"1.5K"`, `3.2 GiB` → `"3.2G"`.
    public static func bytes(_ value: Double) -> String {
        let units = ["B", "K", "M", "G", "T", "P"]
        var v = value
        var i = 0
        while abs(v) >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        return fixed(v, i == 0 ? 0 : 1) + units[i]
    }

    /// A reading rendered with `render`, or `-` when unavailable.
    public static func reading<T>(_ r: Reading<T>, _ render: (T) -> String) -> String {
        r.value.map(render) ?? "-"
    }

    /// Seconds since midnight UTC of a Unix time, as `HH:MM:SS`.
    public static func clock(_ unixTime: Double) -> String {
        let s = Int(unixTime) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }
}
