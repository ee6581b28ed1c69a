/// Per-process resource limits (ulimit / limits.conf).
enum LimitRules {
    static let rules: [DoctorRule] = [nofile, nproc, memlock]

    static func text(_ v: UInt64?) -> String { v.map(String.init) ?? "unlimited" }
    static func describe(_ l: ResourceLimit) -> String { "soft \(text(l.soft)), hard \(text(l.hard))" }
    /// `nil` (unlimited) satisfies any minimum.
    static func atLeast(_ v: UInt64?, _ minimum: UInt64) -> Bool { v.map { $0 >= minimum } ?? true }

    /// A limit whose soft value must reach `minimum`; limits.conf gets soft and hard entries.
    static func minimum(_ item: String, id: String, title: String, severity: Severity, minimum: UInt64,
                        recommended: String, reason: String, fix: String,
                        read: @escaping @Sendable (LimitFacts) -> Reading<ResourceLimit>,
                        severityFor: (@Sendable (ResourceLimit, DoctorInput) -> Severity)? = nil) -> DoctorRule {
        DoctorRule.fact(id, title: title, category: "limits", roles: DoctorRule.all, severity: severity, recommended: recommended,
                        reason: reason, read: { read($0.host.limits) }) { l, input in
            Verdict(current: describe(l), ok: atLeast(l.soft, minimum), severity: severityFor?(l, input), fix: fix,
                    actions: [.limit(item: item, type: "soft", value: "\(minimum)"), .limit(item: item, type: "hard", value: "\(minimum)")])
        }
    }

    static let nofile = minimum(
        "nofile", id: "limits.nofile", title: "Open files per process", severity: .critical,
        minimum: 655_350, recommended: "≥ 655350",
        reason: "Each segment, index file and client connection holds a descriptor; at the limit the broker can neither accept connections nor roll segments (RocketMQ os.sh: 655350).",
        fix: "ulimit -n 655350; LimitNOFILE=655350 in the systemd unit", read: { $0.nofile },
        // Below 65536 a server under real load will run out: critical; otherwise a tuning gap.
        severityFor: { l, input in input.config.role != .client && !atLeast(l.soft, 65_536) ? .critical : .warning })

    static let nproc = minimum(
        "nproc", id: "limits.nproc", title: "Processes/threads per user", severity: .warning,
        minimum: 65_535, recommended: "≥ 65535 or unlimited",
        reason: "nproc counts threads: event loops, store services and client fleets share one user's budget, and thread creation failing is fatal.",
        fix: "ulimit -u 65535; LimitNPROC=65535 in the systemd unit", read: { $0.nproc })

    static let memlock = DoctorRule(id: "limits.memlock", roles: DoctorRule.broker) { input in
        let title = "Locked memory"
        let budget = input.config.lockedMemoryBytes
        let reason = budget > 0
            ? "The broker will mlock \(describeBytes(budget)) (transient store pool, warmed segments); mlock fails beyond this limit."
            : "mlock of the transient store pool and warmed segments needs it (RocketMQ limits.conf: memlock unlimited)."
        let recommended = budget > 0 ? "unlimited (≥ \(describeBytes(budget)))" : "unlimited"
        guard let l = input.host.limits.memlock.value else {
            return .unknown(id: "limits.memlock", title: title, category: "limits", recommended: recommended,
                            severity: budget > 0 ? .critical : .info, reason: reason, why: input.host.limits.memlock.unavailableReason ?? "")
        }
        // With a budget the limit must cover it (critical if not); without one, unlimited is advice.
        let fits = atLeast(l.soft, budget)
        let ok = budget > 0 ? fits : l.soft == nil
        return CheckResult(id: "limits.memlock", title: title, category: "limits", current: describe(l), recommended: recommended,
                           severity: budget > 0 && !fits ? .critical : .info, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "ulimit -l unlimited; LimitMEMLOCK=infinity in the systemd unit",
                           actions: ok ? [] : [.limit(item: "memlock", type: "soft", value: "unlimited"), .limit(item: "memlock", type: "hard", value: "unlimited")])
    }
}
