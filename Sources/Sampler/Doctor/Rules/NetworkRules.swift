/// Socket and connection-queue sysctls.
enum NetworkRules {
    static let rules: [DoctorRule] = [
        DoctorRule.sysctl(
            "fs.file-max", title: "System-wide open files", roles: DoctorRule.all, severity: .warning,
            recommendedText: { "≥ \($0)" }, recommended: { _ in 1_048_576 }, passes: { c, want in c >= want },
            reason: "Segments, index files and client sockets all count against the system-wide table; the per-process nofile limit cannot exceed it in practice."),
        DoctorRule.sysctl(
            "net.core.somaxconn", title: "Listen backlog cap", category: "network", roles: DoctorRule.servers, severity: .warning,
            recommendedText: { "≥ \($0) (the broker's listen backlog)" },
            recommended: { Int64(max($0.config.listenBacklog, 1024)) }, passes: { c, want in c >= want },
            reason: "The kernel silently truncates the broker's listen backlog to somaxconn, so reconnect storms after a failover drop SYNs (Redis warns for the same reason)."),
        DoctorRule.sysctl(
            "net.ipv4.tcp_max_syn_backlog", title: "SYN queue", category: "network", roles: DoctorRule.servers, severity: .info,
            recommendedText: { "≥ \($0)" }, recommended: { Int64(max($0.config.listenBacklog, 1024)) }, passes: { c, want in c >= want },
            reason: "Half-open connections beyond this queue are dropped while thousands of producers reconnect at once."),
        buffer("net.ipv4.tcp_rmem", title: "TCP receive buffer maximum"),
        buffer("net.ipv4.tcp_wmem", title: "TCP send buffer maximum"),
    ]

    /// 16 MiB: enough for 1 Gb/s at 100 ms RTT, the usual third-party guidance.
    static let bufferMax: Int64 = 16 << 20

    /// tcp_rmem/tcp_wmem are "min default max"; the third value limits autotuning.
    static func buffer(_ key: String, title: String) -> DoctorRule {
        DoctorRule(id: key, roles: [.broker, .client]) { input in
            let reason = "Autotuning cannot grow a socket buffer past this maximum, which caps throughput per connection on long or fast links (Kafka docs: raise for cross-DC)."
            let rec = "max ≥ \(bufferMax) (e.g. 4096 131072 \(bufferMax))"
            switch input.host.sysctl(key) {
            case .available(let text):
                let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int64($0) }
                guard parts.count == 3 else {
                    return .unknown(id: key, title: title, category: "network", recommended: rec, severity: .info, reason: reason,
                                    why: "unexpected value \(text)")
                }
                let ok = parts[2] >= bufferMax
                let value = "\(parts[0]) \(parts[1]) \(max(parts[2], bufferMax))"
                return CheckResult(id: key, title: title, category: "network", current: text, recommended: rec, severity: .info,
                                   status: ok ? .pass : .fail, reason: reason, fix: ok ? nil : "sysctl -w \(key)=\"\(value)\"",
                                   actions: ok ? [] : [.sysctl(key: key, value: value)])
            case .unavailable(let why):
                return .unknown(id: key, title: title, category: "network", recommended: rec, severity: .info, reason: reason, why: why)
            }
        }
    }
}
