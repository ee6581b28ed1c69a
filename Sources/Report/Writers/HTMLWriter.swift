/// report.html: one self-contained page (inline CSS and SVG, no script, no
/// network), readable offline and printable.
public enum HTMLWriter {
    public static func render(_ report: Report) -> String {
        var w = SVGWriter()
        w.raw("<!DOCTYPE html>\n")
        w.open("html", ["lang": "en"])
        w.open("head")
        w.open("meta", ["charset": "utf-8"], selfClosing: true)
        w.open("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"], selfClosing: true)
        w.element("title", [:], report.title)
        w.open("style")
        w.raw(HTMLStyle.css)
        w.close("style")
        w.close("head")
        w.open("body")
        w.open("header")
        w.element("h1", [:], report.title)
        if let subtitle = report.subtitle { w.element("p", ["class": "subtitle"], subtitle) }
        w.element("p", ["class": "generated"], "Generated \(report.createdAt)")
        w.close("header")
        if !report.keyFigures.isEmpty {
            w.open("section", ["class": "figures", "id": "key-figures"])
            for f in report.keyFigures {
                w.open("div", ["class": "figure"])
                w.element("div", ["class": "label"], f.label)
                w.element("div", ["class": "value"], f.value)
                if let note = f.note { w.element("div", ["class": "hint"], note) }
                w.close("div")
            }
            w.close("section")
        }
        for (i, section) in report.sections.enumerated() {
            w.open("section", ["id": "section-\(i + 1)"])
            w.element("h2", [:], section.title)
            for block in section.blocks { render(block, &w) }
            w.close("section")
        }
        w.close("body")
        w.close("html")
        return w.text + "\n"
    }

    private static func render(_ block: Block, _ w: inout SVGWriter) {
        switch block {
        case .paragraph(let text): w.element("p", [:], text)
        case .list(let items):
            w.open("ul")
            items.forEach { w.element("li", [:], $0) }
            w.close("ul")
        case .note(let note): w.element("p", ["class": "note " + note.level.rawValue], note.text)
        case .table(let t): table(t, &w)
        case .chart(let chart):
            w.open("figure", ["class": "chart"])
            w.raw(ChartSVG.render(chart))
            if let caption = chart.caption { w.element("figcaption", [:], caption) }
            w.close("figure")
        case .code(let text): w.element("pre", [:], text)
        }
    }

    private static func table(_ t: Table, _ w: inout SVGWriter) {
        w.open("div", ["class": "table-wrap"])
        w.open("table", ["id": "table-" + t.id])
        if let caption = t.caption { w.element("caption", [:], caption) }
        w.open("thead")
        w.open("tr")
        for col in t.columns { w.element("th", ["class": col.alignment.rawValue], col.title) }
        w.close("tr")
        w.close("thead")
        w.open("tbody")
        for row in t.rows {
            w.open("tr")
            for (col, cell) in zip(t.columns, t.cells(row)) { w.element("td", ["class": col.alignment.rawValue], cell) }
            w.close("tr")
        }
        w.close("tbody")
        w.close("table")
        w.close("div")
    }
}

/// The page's stylesheet, inline so the file stands alone.
enum HTMLStyle {
    static let css = """
    body{font-family:Helvetica,Arial,sans-serif;color:#222;background:#fff;max-width:920px;margin:24px auto;padding:0 16px;line-height:1.45}
    h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
    .subtitle{color:#444;margin:0}.generated{color:#777;font-size:13px;margin:2px 0 16px}
    .figures{display:flex;flex-wrap:wrap;gap:10px}.figure{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:160px}
    .figure .label{font-size:12px;color:#555}.figure .value{font-size:20px;font-weight:bold}.figure .hint{font-size:11px;color:#777}
    .table-wrap{overflow-x:auto}table{border-collapse:collapse;margin:12px 0;font-size:13px}
    caption{text-align:left;font-weight:bold;padding:4px 0}th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top}
    th{background:#f4f4f4}td.right,th.right{text-align:right;font-variant-numeric:tabular-nums}td.center,th.center{text-align:center}
    figure.chart{margin:16px 0}figure.chart svg{max-width:100%;height:auto;border:1px solid #eee}
    figcaption{font-size:12px;color:#555}pre{background:#f7f7f7;padding:8px;overflow-x:auto;font-size:12px}
    .note{padding:8px 12px;border-left:4px solid #1f77b4;background:#f2f7fb}.note.warning{border-color:#b00020;background:#fdf1f2}
    """
}
