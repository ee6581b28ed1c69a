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

/// A rule's judgement of a fact that could be read.
struct Verdict {
    var current: String
    var ok: Bool
    /// Overrides the rule's severity when it depends on the value (e.g. NFS is critical).
    var severity: Severity?
    /// Applied only when the check fails.
    var fix: String?
    var actions: [FixAction]

    init(current: String, ok: Bool, severity: Severity? = nil, fix: String? = nil, actions: [FixAction] = []) {
        self.current = current; self.ok = ok; self.severity = severity; self.fix = fix; self.actions = actions
    }
}

extension DoctorRule {
    /// A check of one fact: `unknown` when it could not be read, otherwise `judge` decides.
    /// Fixes are attached only to failing checks.
    static func fact<T>(_ id: String, title: String, category: String, roles: Set<Role>, severity: Severity,
                        recommended: String, reason: String,
                        read: @escaping @Sendable (DoctorInput) -> Reading<T>,
                        judge: @escaping @Sendable (T, DoctorInput) -> Verdict) -> DoctorRule {
        DoctorRule(id: id, roles: roles) { input in
            switch read(input) {
            case .available(let value):
                let v = judge(value, input)
                return CheckResult(id: id, title: title, category: category, current: v.current, recommended: recommended,
                                   severity: v.severity ?? severity, status: v.ok ? .pass : .fail, reason: reason,
                                   fix: v.ok ? nil : v.fix, actions: v.ok ? [] : v.actions)
            case .unavailable(let why):
                return .unknown(id: id, title: title, category: category, recommended: recommended, severity: severity,
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
