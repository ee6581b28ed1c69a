/// Per-process resource limits (ulimit / limits.conf).
enum LimitRules {
    static let rules: [DoctorRule] = [nofile, nproc, memlock]

    static func text(_ v: UInt64?) -> String { v.map(String.init) ?? "unlimited" }
    static func describe(_ l: ResourceLimit) -> String { "soft \(text(l.soft)), hard \(text(l.hard))" }
    /// `nil` (unlimited) satisfies any minimum.
    static func atLeast(_ v: UInt64?, _ minimum: UInt64) -> Bool { v.map { $0 >= minimum } ?? true }

    static let nofile = DoctorRule(id: "limits.nofile", roles: DoctorRule.all) { input in
        let title = "Open files per process"
        let reason = "Each segment, index file and client connection holds a descriptor; at the limit the broker can neither accept connections nor roll segments (RocketMQ os.sh: 655350)."
        let want: UInt64 = 655_350
        guard let l = input.host.limits.nofile.value else {
            return .unknown(id: "limits.nofile", title: title, category: "limits", recommended: "≥ \(want)", severity: .critical,
                            reason: reason, why: input.host.limits.nofile.unavailableReason ?? "")
        }
        let ok = atLeast(l.soft, want)
        // Below 65536 a broker under real load will run out: critical for servers.
        let severity: Severity = input.config.role != .client && !atLeast(l.soft, 65_536) ? .critical : .warning
        return CheckResult(id: "limits.nofile", title: title, category: "limits", current: describe(l), recommended: "≥ \(want)",
                           severity: severity, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "ulimit -n \(want); LimitNOFILE=\(want) in the systemd unit",
                           actions: ok ? [] : [.limit(item: "nofile", type: "soft", value: "\(want)"), .limit(item: "nofile", type: "hard", value: "\(want)")])
    }

    static let nproc = DoctorRule(id: "limits.nproc", roles: DoctorRule.all) { input in
        let title = "Processes/threads per user"
        let reason = "nproc counts threads: event loops, store services and client fleets share one user's budget, and thread creation failing is fatal."
        let want: UInt64 = 65_535
        guard let l = input.host.limits.nproc.value else {
            return .unknown(id: "limits.nproc", title: title, category: "limits", recommended: "≥ \(want)", severity: .warning,
                            reason: reason, why: input.host.limits.nproc.unavailableReason ?? "")
        }
        let ok = atLeast(l.soft, want)
        return CheckResult(id: "limits.nproc", title: title, category: "limits", current: describe(l), recommended: "≥ \(want) or unlimited",
                           severity: .warning, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "ulimit -u \(want); LimitNPROC=\(want) in the systemd unit",
                           actions: ok ? [] : [.limit(item: "nproc", type: "soft", value: "\(want)"), .limit(item: "nproc", type: "hard", value: "\(want)")])
    }

    static let memlock = DoctorRule(id: "limits.memlock", roles: DoctorRule.broker) { input in
        let title = "Locked memory"
        let budget = input.config.lockedMemoryBytes
        let reason = budget > 0
            ? "The broker will mlock \(describeBytes(budget)) (transient store pool, warmed segments); mlock fails beyond this limit."
            : "mlock of the transient store pool and warmed segments needs it (RocketMQ limits.conf: memlock unlimited)."
        guard let l = input.host.limits.memlock.value else {
            return .unknown(id: "limits.memlock", title: title, category: "limits", recommended: "unlimited", severity: budget > 0 ? .critical : .info,
                            reason: reason, why: input.host.limits.memlock.unavailableReason ?? "")
        }
        let fits = atLeast(l.soft, budget)
        let ok = budget > 0 ? fits : l.soft == nil
        let severity: Severity = budget > 0 && !fits ? .critical : .info
        return CheckResult(id: "limits.memlock", title: title, category: "limits", current: describe(l),
                           recommended: budget > 0 ? "unlimited (≥ \(describeBytes(budget)))" : "unlimited",
                           severity: severity, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "ulimit -l unlimited; LimitMEMLOCK=infinity in the systemd unit",
                           actions: ok ? [] : [.limit(item: "memlock", type: "soft", value: "unlimited"), .limit(item: "memlock", type: "hard", value: "unlimited")])
    }
}
