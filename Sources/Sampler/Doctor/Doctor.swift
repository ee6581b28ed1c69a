/// The checklist: every rule evaluated for a role.
public enum Doctor {
    /// All rules, in report order.
    public static let rules: [DoctorRule] =
        MemoryRules.rules + StorageRules.rules + NetworkRules.rules + PlatformRules.rules + LimitRules.rules + RuntimeRules.rules

    /// Evaluates the rules that apply to `input.config.role`.
    public static func evaluate(_ input: DoctorInput) -> DoctorReport {
        DoctorReport(role: input.config.role,
                     checks: rules.filter { $0.roles.contains(input.config.role) }.map { $0.evaluate(input) })
    }
}

/// The checklist's outcome.
public struct DoctorReport: Sendable, Codable {
    public var role: Role
    public var checks: [CheckResult]

    /// True when a critical check failed: `mqbench doctor` then exits 1.
    public var hasCriticalFailure: Bool {
        checks.contains { $0.status == .fail && $0.severity == .critical }
    }

    /// Counts by status, for the summary line.
    public var summary: String {
        let failed = checks.filter { $0.status == .fail }
        let critical = failed.filter { $0.severity == .critical }.count
        let warn = failed.filter { $0.severity == .warning }.count
        let unknown = checks.filter { $0.status == .unknown }.count
        return "\(checks.count) checks: \(checks.count - failed.count - unknown) pass, \(failed.count) fail (\(critical) critical, \(warn) warning, \(failed.count - critical - warn) info), \(unknown) unknown"
    }
}
