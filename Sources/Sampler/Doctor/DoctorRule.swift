/// One check of the checklist: a pure function of the `DoctorInput`.
public struct DoctorRule: Sendable {
    public let id: String
    /// Roles the check applies to; others skip it.
    public let roles: Set<Role>
    public let evaluate: @Sendable (DoctorInput) -> CheckResult

    public init(id: String, roles: Set<Role>, evaluate: @escaping @Sendable (DoctorInput) -> CheckResult) {
        self.id = id; self.roles = roles; self.evaluate = evaluate
    }

    static let all: Set<Role> = [.broker, .namesrv, .client]
    static let servers: Set<Role> = [.broker, .namesrv]
    static let broker: Set<Role> = [.broker]

    /// A numeric sysctl compared with a recommended value.
    ///
    /// - Parameters:
    ///   - recommended: the value PeakMQ recommends (may depend on the input).
    ///   - passes: whether `current` is acceptable given `recommended`.
    static func sysctl(_ key: String, title: String, category: String = "kernel", roles: Set<Role>,
                       severity: Severity, recommendedText: (@Sendable (Int64) -> String)? = nil,
                       recommended: @escaping @Sendable (DoctorInput) -> Int64,
                       passes: @escaping @Sendable (_ current: Int64, _ recommended: Int64) -> Bool,
                       reason: String) -> DoctorRule {
        DoctorRule(id: key, roles: roles) { input in
            let want = recommended(input)
            let wantText = recommendedText?(want) ?? "\(want)"
            let fix = "sysctl -w \(key)=\(want)"
            switch input.host.sysctlInt(key) {
            case .available(let current):
                let ok = passes(current, want)
                return CheckResult(id: key, title: title, category: category, current: "\(current)", recommended: wantText,
                                   severity: severity, status: ok ? .pass : .fail, reason: reason,
                                   fix: ok ? nil : fix, actions: ok ? [] : [.sysctl(key: key, value: "\(want)")])
            case .unavailable(let why):
                return .unknown(id: key, title: title, category: category, recommended: wantText, severity: severity,
                                reason: reason, why: why)
            }
        }
    }
}

extension CheckResult {
    /// A check whose fact could not be read.
    static func unknown(id: String, title: String, category: String, recommended: String, severity: Severity,
                        reason: String, why: String) -> CheckResult {
        CheckResult(id: id, title: title, category: category, current: "unavailable (\(why))", recommended: recommended,
                    severity: severity, status: .unknown, reason: reason)
    }
}

/// Byte counts for check text.
func describeBytes(_ v: UInt64) -> String { TextFormat.bytes(Double(v)) }
