/// How much a failing check matters.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    /// The broker will fail or lose data (mmap limit, disk full, fd limit). Exit 1.
    case critical
    /// Latency or throughput will suffer measurably.
    case warning
    /// Good practice; worth knowing, rarely decisive.
    case info

    private var rank: Int { self == .critical ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Outcome of one check.
public enum CheckStatus: String, Sendable, Codable {
    case pass
    case fail
    /// The fact could not be read (container, old kernel, missing input); never a pass.
    case unknown
}

/// One line of the checklist.
public struct CheckResult: Sendable, Codable, Equatable {
    /// Stable identifier, e.g. `vm.max_map_count`, `limits.nofile`, `runtime.jemalloc`.
    public var id: String
    public var title: String
    /// `kernel`, `storage`, `network`, `platform`, `limits` or `runtime`.
    public var category: String
    public var current: String
    public var recommended: String
    public var severity: Severity
    public var status: CheckStatus
    /// One sentence: why the recommended value matters for a broker.
    public var reason: String
    /// The command that fixes it (for humans), when there is one.
    public var fix: String?
    /// The machine-readable fix, used by the fix-script generator.
    public var actions: [FixAction]

    public init(id: String, title: String, category: String, current: String, recommended: String,
                severity: Severity, status: CheckStatus, reason: String, fix: String? = nil, actions: [FixAction] = []) {
        self.id = id; self.title = title; self.category = category; self.current = current
        self.recommended = recommended; self.severity = severity; self.status = status
        self.reason = reason; self.fix = fix; self.actions = actions
    }
}

/// A change the fix script may make. Generating the script never applies it.
public enum FixAction: Sendable, Codable, Equatable {
    /// `sysctl -w key=value`, persisted in /etc/sysctl.d.
    case sysctl(key: String, value: String)
    /// A limits.conf line: `* <type> <item> <value>`.
    case limit(item: String, type: String, value: String)
    /// Write `value` to a sysfs file (I/O scheduler, transparent hugepages).
    case sysfs(path: String, value: String)
    /// A command that is only written as a comment for an operator to run by hand
    /// (remounts, environment for the service unit, hardware changes).
    case manual(String)
}

/// Everything the rules are evaluated against.
public struct DoctorInput: Sendable {
    public var host: HostFacts
    public var runtime: RuntimeFacts
    public var config: DoctorConfig

    public init(host: HostFacts, runtime: RuntimeFacts, config: DoctorConfig) {
        self.host = host; self.runtime = runtime; self.config = config
    }
}
