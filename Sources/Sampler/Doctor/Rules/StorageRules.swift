/// The store directory's disk, file system, mount options and free space.
enum StorageRules {
    static let rules: [DoctorRule] = [scheduler, filesystem, noatime, freeSpace, aioMaxNr]

    static let scheduler = DoctorRule(id: "disk.scheduler", roles: DoctorRule.broker) { input in
        let title = "I/O scheduler of the store disk"
        let reason = "PeakMQ follows Redpanda's none for SSD/NVMe (the device orders requests better than the kernel) and RocketMQ's deadline for spinning disks; bfq and kyber add latency to the CommitLog's sequential writes."
        let store = input.host.store
        guard let disks = store.disks.value else {
            return .unknown(id: "disk.scheduler", title: title, category: "storage", recommended: "none (SSD) / mq-deadline (HDD)",
                            severity: .warning, reason: reason, why: store.disks.unavailableReason ?? "")
        }
        var current: [String] = [], recommended: [String] = [], actions: [FixAction] = []
        var failed = false, unknown = false
        for disk in disks {
            guard let s = store.schedulers[disk]?.value else {
                unknown = true
                current.append("\(disk): unavailable")
                continue
            }
            let rotational = s.rotational ?? false
            let good: Set<String> = rotational ? ["mq-deadline", "deadline"] : ["none", "noop", "mq-deadline", "deadline"]
            let preferred = rotational ? (s.available.contains("mq-deadline") ? "mq-deadline" : "deadline")
                                       : (s.available.contains("none") ? "none" : "noop")
            current.append("\(disk): \(s.active)\(rotational ? " (rotational)" : "")")
            recommended.append("\(disk): \(preferred)")
            if !good.contains(s.active) {
                failed = true
                actions.append(.sysfs(path: "/sys/block/\(disk)/queue/scheduler", value: preferred))
            }
        }
        let status: CheckStatus = failed ? .fail : (unknown ? .unknown : .pass)
        return CheckResult(id: "disk.scheduler", title: title, category: "storage", current: current.joined(separator: ", "),
                           recommended: recommended.isEmpty ? "none (SSD) / mq-deadline (HDD)" : recommended.joined(separator: ", "),
                           severity: .warning, status: status, reason: reason,
                           fix: actions.isEmpty ? nil : actions.compactMap(\.shellLine).joined(separator: "; "), actions: actions)
    }

    static let filesystem = DoctorRule(id: "store.filesystem", roles: DoctorRule.broker) { input in
        let title = "Store file system"
        let reason = "XFS is preferred and ext4 acceptable (Kafka's measurements); network and FUSE file systems do not give mmap+msync durability, and tmpfs loses the store on reboot."
        guard let mount = input.host.store.mount.value else {
            return .unknown(id: "store.filesystem", title: title, category: "storage", recommended: "xfs (ext4 acceptable)",
                            severity: .warning, reason: reason, why: input.host.store.mount.unavailableReason ?? "")
        }
        let type = mount.fsType
        let severity: Severity
        let ok: Bool
        switch type {
        case "xfs", "ext4": ok = true; severity = .warning
        case "nfs", "nfs4", "cifs", "smb3", "9p", "virtiofs", "ceph", "glusterfs": ok = false; severity = .critical
        case _ where type.hasPrefix("fuse"): ok = false; severity = .critical
        default: ok = false; severity = .warning     // tmpfs, overlay, btrfs, zfs, ext3…
        }
        return CheckResult(id: "store.filesystem", title: title, category: "storage",
                           current: "\(type) on \(mount.device) at \(mount.mountPoint)", recommended: "xfs (ext4 acceptable)",
                           severity: severity, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "move the store (--store) to an XFS or ext4 file system on a local disk",
                           actions: ok ? [] : [.manual("move the store \(input.config.storeDirectory) to a local XFS or ext4 file system")])
    }

    static let noatime = DoctorRule(id: "store.noatime", roles: DoctorRule.broker) { input in
        let title = "Store mount options"
        let reason = "Without noatime every consumer read of a segment can dirty its inode and add metadata writes (Kafka docs)."
        guard let mount = input.host.store.mount.value else {
            return .unknown(id: "store.noatime", title: title, category: "storage", recommended: "noatime", severity: .info,
                            reason: reason, why: input.host.store.mount.unavailableReason ?? "")
        }
        let atime = mount.options.first { $0.hasSuffix("atime") } ?? "relatime (default)"
        let ok = mount.options.contains("noatime")
        let cmd = "mount -o remount,noatime \(mount.mountPoint)"
        return CheckResult(id: "store.noatime", title: title, category: "storage", current: atime, recommended: "noatime",
                           severity: .info, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : cmd + "  # and add noatime to /etc/fstab",
                           actions: ok ? [] : [.manual(cmd), .manual("add noatime to the options of \(mount.mountPoint) in /etc/fstab")])
    }

    static let freeSpace = DoctorRule(id: "store.free-space", roles: DoctorRule.broker) { input in
        let title = "Free space for retention"
        let ratio = input.config.maxDiskUsedRatio
        let reason = "The store must hold its retention below the \(Int(ratio * 100)) % cleanup threshold, or the broker deletes unconsumed messages early and finally rejects writes."
        guard let need = input.config.retentionBytes else {
            return .unknown(id: "store.free-space", title: title, category: "storage", recommended: "retention ÷ \(ratio)",
                            severity: .critical, reason: reason, why: "retention not given (--retention)")
        }
        let wanted = UInt64(Double(need) / ratio)
        guard let available = input.host.store.availableBytes.value else {
            return .unknown(id: "store.free-space", title: title, category: "storage", recommended: "≥ \(describeBytes(wanted))",
                            severity: .critical, reason: reason, why: input.host.store.availableBytes.unavailableReason ?? "")
        }
        let severity: Severity = available < need ? .critical : .warning
        let ok = available >= wanted
        return CheckResult(id: "store.free-space", title: title, category: "storage",
                           current: "\(describeBytes(available)) free for \(describeBytes(need)) retention",
                           recommended: "≥ \(describeBytes(wanted))", severity: severity, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "add disk space or reduce fileReservedTime so retention fits",
                           actions: ok ? [] : [.manual("store needs \(describeBytes(wanted)) free; has \(describeBytes(available))")])
    }

    static let aioMaxNr = DoctorRule.sysctl(
        "fs.aio-max-nr", title: "Async I/O contexts", category: "storage", roles: DoctorRule.broker, severity: .info,
        recommendedText: { "≥ \($0)" }, recommended: { _ in 1_048_576 }, passes: { c, want in c >= want },
        reason: "Direct-I/O engines (io_uring/libaio) reserve AIO slots per queue; the default 65536 runs out on many-core hosts (Redpanda aio tuner).")
}

extension FixAction {
    /// The shell line for actions that have one.
    var shellLine: String? {
        switch self {
        case .sysctl(let key, let value): return "sysctl -w \(key)=\(value)"
        case .sysfs(let path, let value): return "echo \(value) > \(path)"
        case .limit(let item, let type, let value): return "echo '* \(type) \(item) \(value)' >> /etc/security/limits.d/99-peakmq.conf"
        case .manual(let text): return text
        }
    }
}
