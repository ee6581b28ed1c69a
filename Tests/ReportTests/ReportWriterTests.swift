import Foundation
import Testing
import TestSupport
@testable import Report

@Suite struct ReportWriterTests {
    @Test func writesEveryFileIntoANamedDirectory() throws {
        let dir = TempDir("report")
        defer { dir.cleanup() }
        let path = ReportFiles.directory(base: dir.path, name: "sample", date: Date(timeIntervalSince1970: 0))
        #expect(path == dir.path + "/sample-19700101-000000")
        let report = SampleReport.make()
        let files = try ReportFiles.write(report, data: ["k": 1], to: path)
        #expect(files.map { ($0 as NSString).lastPathComponent }.sorted()
                == (["report.md", "report.html", "report.json"] + report.charts.map { $0.id + ".svg" }).sorted())
        // A second report in the same second gets its own directory.
        #expect(ReportFiles.directory(base: dir.path, name: "sample", date: Date(timeIntervalSince1970: 0)) == path + "-2")
    }

    @Test func jsonKeepsTheModelAndTheData() throws {
        let report = SampleReport.make()
        let text = try ReportFiles.json(report, data: ["rate": 2000.0])
        struct Envelope: Decodable { var report: Report; var data: [String: Double] }
        let back = try JSONDecoder().decode(Envelope.self, from: Data(text.utf8))
        #expect(back.report == report)
        #expect(back.data["rate"] == 2000)
    }

    @Test func markdownEscapesTableCellsAndLinksCharts() {
        let t = Table(id: "x", columns: [.init("a"), .init("b", .right)], rows: [["p|q", "1"], ["short"]])
        let md = MarkdownWriter.table(t)
        #expect(md.contains("| p\\|q | 1 |"))
        #expect(md.contains("|---|---:|"))
        #expect(md.contains("| short |  |"))
        let page = MarkdownWriter.render(SampleReport.make())
        #expect(page.contains("![Throughput](charts/throughput.svg)"))
        #expect(page.contains("> **Warning:** 20,000 msg/s"))
    }

    @Test func htmlIsSelfContained() {
        let html = HTMLWriter.render(SampleReport.make())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1>Sample report &lt;&amp;&gt;</h1>"))
        #expect(html.components(separatedBy: "<svg xmlns").count - 1 == SampleReport.make().charts.count)
        // Nothing fetched from anywhere: no script, no external stylesheet, image or font.
        for forbidden in ["<script", "<link", "src=", "http://", "https://", "@import"] {
            let hits = html.components(separatedBy: forbidden).count - 1
            let allowed = forbidden == "http://" ? html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1 : 0
            #expect(hits == allowed, "found \(forbidden)")
        }
    }
}
