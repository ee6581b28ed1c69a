import ArgumentParser
import Foundation
import Metrics
import Report

/// `mqbench report`: the run report of a results.json (a run's or a merge's).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.md, report.html and report.json for a run's results (docs/REPORTS.md).",
        discussion: """
            Example:
              mqbench report runs/promotion/ --out reports/promotion
            """)

    @Argument(help: "A run directory or results.json file.")
    var results: String

    @Option(help: "Report directory (default reports/run-<profile>-<timestamp>).")
    var out: String?

    func run() throws {
        let r: RunResults
        do { r = try RunResults.read(from: results) } catch let error as ResultsError { throw ValidationError(error.description) }
        let now = Date()
        let report = RunReport.make(r, createdAt: ReportFiles.isoTime(now),
                                    command: (["mqbench"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        let directory = out ?? ReportFiles.directory(base: "reports", name: report.name, date: now)
        try ReportFiles.write(report, data: r.summary, to: directory)
        print("report: \(directory)/report.html (also report.md, report.json)")
    }
}
