import Sampler

/// The measured host's checklist (`mqbench doctor`) as a report section.
enum DoctorSection {
    static func make(_ report: DoctorReport) -> Section {
        let failing = report.checks.filter { $0.status != .pass }
        var blocks: [Block] = [.paragraph(report.summary + " (role \(report.role.rawValue)).")]
        blocks.append(.table(Table(id: "doctor", columns: [
            .init("status", .center), .init("severity"), .init("check"), .init("current"), .init("recommended"), .init("why"),
        ], rows: report.checks.map { c in
            [c.status == .pass ? "ok" : c.status == .fail ? "FAIL" : "?", c.severity.rawValue, c.id, c.current, c.recommended,
             c.status == .pass ? "" : c.reason]
        })))
        let fixes = failing.compactMap(\.fix)
        if !fixes.isEmpty { blocks.append(.code(fixes.joined(separator: "\n"))) }
        return Section("Host checklist (mqbench doctor)", blocks)
    }
}
