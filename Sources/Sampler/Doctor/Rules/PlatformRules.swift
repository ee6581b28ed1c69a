/// Clock source and NUMA layout.
enum PlatformRules {
    static let rules: [DoctorRule] = [clocksource, numa]

    /// Clock sources with a vDSO fast path (no system call per timestamp).
    static let fastClocks: Set<String> = ["tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page"]
    static let clockPath = "/sys/devices/system/clocksource/clocksource0/current_clocksource"

    static let clocksource = DoctorRule(id: "clocksource", roles: DoctorRule.all) { input in
        let title = "Clock source"
        let reason = "Latency is timestamped per message; hpet, acpi_pm and xen make every clock_gettime a system call or a slow device read (Redpanda clocksource tuner prefers tsc)."
        switch input.host.clocksource {
        case .available(let c):
            let ok = fastClocks.contains(c)
            let tscAvailable = input.host.availableClocksources.value?.contains("tsc") ?? false
            return CheckResult(id: "clocksource", title: title, category: "platform", current: c,
                               recommended: "tsc (kvm-clock, arch_sys_counter acceptable)", severity: .warning,
                               status: ok ? .pass : .fail, reason: reason,
                               fix: ok ? nil : (tscAvailable ? "echo tsc > \(clockPath)" : "no fast clock source offered; check the hypervisor/BIOS"),
                               actions: ok ? [] : (tscAvailable ? [.sysfs(path: clockPath, value: "tsc")] : [.manual("enable an invariant TSC")]))
        case .unavailable(let why):
            return .unknown(id: "clocksource", title: title, category: "platform", recommended: "tsc", severity: .warning,
                            reason: reason, why: why)
        }
    }

    static let numa = DoctorRule(id: "numa", roles: DoctorRule.servers) { input in
        let title = "NUMA nodes"
        let reason = "On several nodes a broker should interleave memory (RocketMQ runs under numactl --interleave=all) or be bound to one node, with zone reclaim off."
        switch input.host.numaNodes {
        case .available(let n):
            let ok = n <= 1
            let cmd = "numactl --interleave=all mqbroker …  # or bind: numactl --cpunodebind=0 --membind=0"
            return CheckResult(id: "numa", title: title, category: "platform", current: "\(n) node\(n == 1 ? "" : "s")",
                               recommended: "1 node, or interleave/bind the broker", severity: .info, status: ok ? .pass : .fail,
                               reason: reason, fix: ok ? nil : cmd, actions: ok ? [] : [.manual(cmd)])
        case .unavailable(let why):
            return .unknown(id: "numa", title: title, category: "platform", recommended: "1 node, or interleave/bind the broker",
                            severity: .info, reason: reason, why: why)
        }
    }
}
