/// Clock source and NUMA layout.
enum PlatformRules {
    static let rules: [DoctorRule] = [clocksource, numa]

    /// Clock sources with a vDSO fast path (no system call per timestamp).
    static let fastClocks: Set<String> = ["tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page"]
    static let clockPath = "/sys/devices/system/clocksource/clocksource0/current_clocksource"

    static let clocksource = DoctorRule.fact(
        "clocksource", title: "Clock source", category: "platform", roles: DoctorRule.all, severity: .warning,
        recommended: "tsc (kvm-clock, arch_sys_counter acceptable)",
        reason: "Latency is timestamped per message; hpet, acpi_pm and xen make every clock_gettime a system call or a slow device read (Redpanda clocksource tuner prefers tsc).",
        read: { $0.host.clocksource }
    ) { c, input in
        let tscAvailable = input.host.availableClocksources.value?.contains("tsc") ?? false
        return Verdict(current: c, ok: fastClocks.contains(c),
                       fix: tscAvailable ? "echo tsc > \(clockPath)" : "no fast clock source offered; check the hypervisor/BIOS",
                       actions: tscAvailable ? [.sysfs(path: clockPath, value: "tsc")] : [.manual("enable an invariant TSC")])
    }

    static let numa = DoctorRule.fact(
        "numa", title: "NUMA nodes", category: "platform", roles: DoctorRule.servers, severity: .info,
        recommended: "1 node, or interleave/bind the broker",
        reason: "On several nodes a broker should interleave memory (RocketMQ runs under numactl --interleave=all) or be bound to one node, with zone reclaim off.",
        read: { $0.host.numaNodes }
    ) { n, _ in
        let cmd = "numactl --interleave=all mqbroker …  # or bind: numactl --cpunodebind=0 --membind=0"
        return Verdict(current: "\(n) node\(n == 1 ? "" : "s")", ok: n <= 1, fix: cmd, actions: [.manual(cmd)])
    }
}
