import Foundation
import Testing
import TestSupport
@testable import Report

/// Opens a generated report.html in headless Chromium: the screenshot must not be
/// blank and must show the charts' colours, and every chart must be laid out
/// with its full size.
@Suite(.serialized) struct BrowserRenderingTests {
    static let skipReason: Comment = "chromium is not installed (scripts/setup.sh chromium, or apt-get install -y chromium)"

    @Test(.enabled(if: Chromium.path != nil, skipReason))
    func screenshotShowsTheCharts() async throws {
        let dir = TempDir("report-browser")
        defer { dir.cleanup() }
        let report = SampleReport.make()
        try ReportFiles.write(report, data: ["sample": true], to: dir.path + "/r")
        let shot = dir.path + "/shot.png"
        _ = try await Chromium.run(["--screenshot=\(shot)", "--window-size=1280,2000"],
                             url: "file://\(dir.path)/r/report.html", profile: dir.path + "/profile")
        let image = try PNGImage(data: [UInt8](try Data(contentsOf: URL(fileURLWithPath: shot))))
        #expect(image.width == 1280 && image.height == 2000)
        let colours = image.colours
        var histogram: [UInt32: Int] = [:]
        for c in colours { histogram[c, default: 0] += 1 }
        let background = histogram.max { $0.value < $1.value }!
        #expect(background.key == 0xFFFFFF, "page background is not white")
        // A blank or error page is one or two colours; text, grid and antialiased lines give hundreds.
        #expect(histogram.count > 100, "only \(histogram.count) distinct colours")
        let inked = Double(colours.count - background.value) / Double(colours.count)
        #expect(inked > 0.05, "only \(inked * 100) % of the page is not background")
        // The legend swatches and stacked areas are filled in exact series colours,
        // the fault markers in the marker colour: they exist only if the SVG was painted.
        for hex in Palette.series.prefix(4) + [Palette.marker] {
            let rgb = UInt32(hex.dropFirst(), radix: 16)!
            #expect((histogram[rgb] ?? 0) >= 20, "colour \(hex) missing from the screenshot")
        }
    }

    @Test(.enabled(if: Chromium.path != nil, skipReason), arguments: ["sample", "plan", "run"])
    func everyChartIsLaidOut(_ kind: String) async throws {
        let dir = TempDir("report-dom")
        defer { dir.cleanup() }
        let report = switch kind {
        case "plan": PlanReport.make(try SamplePlan.plan(), createdAt: "2026-11-22T06:00:00Z", command: "mqbench plan")
        case "run": try RunReportTests.report().1
        default: SampleReport.make()
        }
        try ReportFiles.write(report, data: ["sample": true], to: dir.path + "/r")
        // The report has no script; a probe added to a copy reads the laid-out size of each chart.
        let html = try String(contentsOfFile: dir.path + "/r/report.html", encoding: .utf8)
        let probe = """
        <script>document.body.setAttribute('data-probe', [...document.querySelectorAll('svg.chart')]\
        .map(s => { const r = s.getBoundingClientRect(); return s.id + ':' + Math.round(r.width) + 'x' + Math.round(r.height) }).join(' '))</script>
        """
        try html.replacingOccurrences(of: "</body>", with: probe + "</body>")
            .write(toFile: dir.path + "/r/probe.html", atomically: true, encoding: .utf8)
        let dom = try await Chromium.run(["--dump-dom", "--window-size=1280,2000"], url: "file://\(dir.path)/r/probe.html",
                                   profile: dir.path + "/profile")
        let attribute = try #require(dom.firstRange(of: "data-probe=\"").map { dom[$0.upperBound...].prefix { $0 != "\"" } })
        let sizes = Dictionary(uniqueKeysWithValues: attribute.split(separator: " ").map { entry in
            let parts = entry.split(separator: ":")
            return (String(parts[0]), String(parts[1]))
        })
        #expect(sizes.count == report.charts.count)
        for chart in report.charts {
            // 860 × 340 fits the 920 px column; the 1 px border adds 2 to each side total.
            #expect(sizes["chart-" + chart.id] == "862x342", "chart \(chart.id): \(sizes["chart-" + chart.id] ?? "absent")")
        }
        for table in report.sections.flatMap(\.blocks).compactMap({ if case .table(let t) = $0 { t } else { nil } }) {
            #expect(dom.contains("<table id=\"table-\(table.id)\""))
        }
    }
}
