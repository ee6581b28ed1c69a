import Foundation

/// Writes a report directory: `report.md`, `report.html`, `report.json` (the
/// model and the builder's raw data) and `charts/<id>.svg` for the Markdown.
public enum ReportFiles {
    /// `<base>/<name>-<yyyyMMdd-HHmmss>` in UTC; a numeric suffix if it exists already.
    public static func directory(base: String, name: String, date: Date = Date()) -> String {
        let stem = base + "/" + name + "-" + timestamp(date)
        var path = stem, n = 2
        while FileManager.default.fileExists(atPath: path) { path = stem + "-\(n)"; n += 1 }
        return path
    }

    /// `20261122-033924` (UTC).
    public static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f.string(from: date)
    }

    /// ISO-8601 UTC, for `Report.createdAt`.
    public static func isoTime(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// Writes every file into `directory` (created with its parents) and returns the paths written.
    @discardableResult
    public static func write<Data: Encodable>(_ report: Report, data: Data, to directory: String) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/charts", withIntermediateDirectories: true)
        var written: [String] = []
        func put(_ name: String, _ text: String) throws {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }
        try put("report.md", MarkdownWriter.render(report))
        try put("report.html", HTMLWriter.render(report))
        try put("report.json", try json(report, data: data))
        for chart in report.charts { try put("charts/\(chart.id).svg", ChartSVG.render(chart) + "\n") }
        return written
    }

    /// `{"report": …, "data": …}`, pretty and key-sorted so reports diff well.
    public static func json<Data: Encodable>(_ report: Report, data: Data) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(Envelope(report: report, data: data)), as: UTF8.self) + "\n"
    }

    private struct Envelope<D: Encodable>: Encodable {
        var report: Report
        var data: D
    }
}
