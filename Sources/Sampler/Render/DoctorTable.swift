/// Renders a `DoctorReport` as a plain-text table (also used in sizing reports).
public enum DoctorTable {
    public static func render(_ report: DoctorReport) -> String {
        typealias F = TextFormat
        var out = ["mqbench doctor — role \(report.role.rawValue)", ""]
        out.append(F.padRight("STATUS", 8) + F.padRight("SEVERITY", 10) + F.padRight("CHECK", 32) + F.padRight("CURRENT", 40) + "RECOMMENDED")
        for c in report.checks {
            let status = c.status == .pass ? "ok" : c.status == .fail ? "FAIL" : "?"
            out.append(F.padRight(status, 8) + F.padRight(c.severity.rawValue, 10) + F.padRight(c.id, 32)
                       + F.padRight(String(c.current.prefix(38)), 40) + c.recommended)
            if c.status != .pass {
                out.append(String(repeating: " ", count: 18) + "why: " + c.reason)
                if c.current.count > 38 { out.append(String(repeating: " ", count: 18) + "current: " + c.current) }
                if let fix = c.fix { out.append(String(repeating: " ", count: 18) + "fix: " + fix) }
            }
        }
        out.append("")
        out.append(report.summary)
        return out.joined(separator: "\n")
    }
}
