import Foundation
import Sampler

/// Number formatting shared by the run's text outputs.
enum NumberText {
    /// `1234567` → `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A rate with grouping and one decimal below 100 (`19,998`, `42.5`).
    static func rate(_ r: Double) -> String {
        r < 100 ? TextFormat.fixed(r, 1) : grouped(Int(r.rounded()))
    }

    /// Milliseconds with three significant decimals' worth of precision: `0.412`, `12.3`, `1,204`.
    static func ms(_ v: Double) -> String {
        if v < 10 { return TextFormat.fixed(v, 3) }
        if v < 1000 { return TextFormat.fixed(v, 1) }
        return grouped(Int(v.rounded()))
    }

    /// `12s`, `4m05s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(two(s % 60))s" }
        return "\(s / 3600)h\(two(s / 60 % 60))m"
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(
        dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon,
        includingFractionalSeconds: true, timeZone: .gmt)
        .year().month().day().time(includingFractionalSeconds: true)

    /// Unix time as `yyyy-MM-dd HH:mm:ss,SSS` (UTC), the stamp RocketMQ's benchmark lines start with.
    static func timestamp(_ unixTime: Double) -> String {
        let text = Date(timeIntervalSince1970: unixTime).formatted(timestampStyle)
        guard let dot = text.lastIndex(of: ".") else { return text }
        return text.replacingCharacters(in: dot...dot, with: ",")
    }
}
