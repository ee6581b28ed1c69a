/// report.md: GitHub-flavoured Markdown for a wiki page or a pull request.
/// Charts are referenced as `charts/<id>.svg`, written next to it.
public enum MarkdownWriter {
    public static func render(_ report: Report) -> String {
        var out: [String] = ["# " + report.title, ""]
        if let subtitle = report.subtitle { out += ["_\(inline(subtitle))_", ""] }
        out += ["Generated \(report.createdAt).", ""]
        if !report.keyFigures.isEmpty {
            out.append(table(Table(id: "key-figures", columns: [.init("figure"), .init("value", .right), .init("note")],
                                   rows: report.keyFigures.map { [$0.label, $0.value, $0.note ?? ""] })))
            out.append("")
        }
        for section in report.sections {
            out += ["## " + section.title, ""]
            for block in section.blocks { out += [render(block), ""] }
        }
        return out.joined(separator: "\n")
    }

    static func render(_ block: Block) -> String {
        switch block {
        case .paragraph(let text): return inline(text)
        case .list(let items): return items.map { "- " + inline($0) }.joined(separator: "\n")
        case .note(let note): return "> **\(note.level == .warning ? "Warning" : "Note"):** " + inline(note.text)
        case .table(let t): return table(t)
        case .chart(let chart):
            let caption = chart.caption.map { "\n\n_\(inline($0))_" } ?? ""
            return "![\(inline(chart.title))](charts/\(chart.id).svg)" + caption
        case .code(let text): return "```\n" + text + "\n```"
        }
    }

    static func table(_ t: Table) -> String {
        var lines: [String] = []
        if let caption = t.caption { lines += ["**\(inline(caption))**", ""] }
        lines.append("| " + t.columns.map { cell($0.title) }.joined(separator: " | ") + " |")
        lines.append("|" + t.columns.map { $0.alignment == .right ? "---:" : $0.alignment == .center ? ":---:" : "---" }
            .joined(separator: "|") + "|")
        for row in t.rows { lines.append("| " + t.cells(row).map(cell).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    private static func cell(_ s: String) -> String {
        inline(s).replacingOccurrences(of: "|", with: "\\|")
    }

    /// One line of text: newlines would end a table row or a list item.
    private static func inline(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
