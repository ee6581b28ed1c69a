/// vm.* sysctls, swap and transparent hugepages.
enum MemoryRules {
    static let rules: [DoctorRule] = [
        DoctorRule.sysctl(
            "vm.overcommit_memory", title: "Memory overcommit", roles: DoctorRule.servers, severity: .warning,
            recommended: { _ in 1 }, passes: { c, _ in c == 1 },
            reason: "Mode 1 never refuses a large anonymous mapping (transient store pool, allocator arenas) while reclaimable page cache exists (RocketMQ os.sh)."),
        DoctorRule.sysctl(
            "vm.max_map_count", title: "Memory map areas", roles: DoctorRule.broker, severity: .warning,
            recommendedText: { "≥ \($0)" },
            recommended: { max(655_360, Int64(StoreMapEstimate.maps(for: $0))) },
            passes: { c, want in c >= want },
            reason: "Every CommitLog segment, ConsumeQueue and index file is a separate mmap; running out makes mmap fail and the broker stop writing (RocketMQ os.sh: 655360)."),
        maxMapCountCritical,
        DoctorRule.sysctl(
            "vm.swappiness", title: "Swappiness", roles: DoctorRule.all, severity: .warning,
            recommendedText: { "\($0) (1–10 accepted)" }, recommended: { _ in 1 }, passes: { c, _ in (1...10).contains(c) },
            reason: "PeakMQ picks 1 (RocketMQ os.sh, Redpanda) over best_practice.md's 10: swapping the broker's anonymous memory costs far more latency than dropping page cache, while 0 can OOM-kill instead of swapping."),
        DoctorRule.sysctl(
            "vm.min_free_kbytes", title: "Reserved free memory", roles: DoctorRule.servers, severity: .info,
            recommendedText: { "≥ \($0)" },
            recommended: { input in
                // 0.5 % of RAM, at least 64 MiB and at most 1 GiB (RocketMQ's commented-out 1000000).
                let ram = Int64(input.host.memoryTotalBytes.value ?? 0) / 1024
                return min(1_048_576, max(65_536, ram / 200))
            },
            passes: { c, want in c >= want },
            reason: "A larger reserve wakes kswapd before page-cache growth forces the writing thread into direct reclaim (RocketMQ best_practice: never below 1024 KB)."),
        DoctorRule.sysctl(
            "vm.zone_reclaim_mode", title: "NUMA zone reclaim", roles: DoctorRule.servers, severity: .warning,
            recommended: { _ in 0 }, passes: { c, _ in c == 0 },
            reason: "Zone reclaim evicts local page cache instead of using a remote node's free memory, turning consumer reads into disk reads (RocketMQ os.sh)."),
        DoctorRule.sysctl(
            "vm.dirty_background_ratio", title: "Background write-back threshold", roles: DoctorRule.broker, severity: .info,
            recommendedText: { "\($0) (RocketMQ os.sh)" }, recommended: { _ in 50 }, passes: { c, want in c >= want },
            reason: "PeakMQ, like RocketMQ and unlike Kafka, flushes its own CommitLog (flush service / group commit), so kernel background write-back only competes with it; Charmed Kafka's 5 suits brokers that never fsync."),
        DoctorRule.sysctl(
            "vm.dirty_ratio", title: "Write throttling threshold", roles: DoctorRule.broker, severity: .info,
            recommendedText: { "\($0) (RocketMQ os.sh)" }, recommended: { _ in 50 }, passes: { c, want in c >= want },
            reason: "Above this share of dirty memory the appending thread itself is throttled into write-back, which shows up as send latency spikes."),
        DoctorRule.sysctl(
            "vm.dirty_writeback_centisecs", title: "Flusher wake-up interval", roles: DoctorRule.broker, severity: .info,
            recommended: { _ in 360_000 }, passes: { c, want in c >= want || c == 0 },
            reason: "The broker's flush service decides when CommitLog pages reach disk; periodic kernel flusher wake-ups add uncoordinated I/O (RocketMQ os.sh: 1 hour)."),
        DoctorRule.sysctl(
            "vm.page-cluster", title: "Swap read-ahead", roles: DoctorRule.servers, severity: .info,
            recommended: { _ in 3 }, passes: { c, _ in c <= 3 },
            reason: "Limits swap-in read-ahead to 8 pages so a rare swap-in does not stall on a large read (RocketMQ os.sh)."),
        swap, transparentHugepages, transparentHugepagesDefrag,
    ]

    /// max_map_count below what the configured store needs is fatal, not merely a tuning gap.
    static let maxMapCountCritical = DoctorRule(id: "vm.max_map_count.store", roles: DoctorRule.broker) { input in
        let need = StoreMapEstimate.maps(for: input)
        let title = "Memory map areas for the configured store"
        let reason = "The store needs about \(need) mappings (\(StoreMapEstimate.explain(input))); mmap fails beyond vm.max_map_count."
        switch input.host.sysctlInt("vm.max_map_count") {
        case .available(let c):
            let ok = c >= need
            return CheckResult(id: "vm.max_map_count.store", title: title, category: "kernel", current: "\(c)",
                               recommended: "≥ \(need)", severity: .critical, status: ok ? .pass : .fail, reason: reason,
                               fix: ok ? nil : "sysctl -w vm.max_map_count=\(max(655_360, need))",
                               actions: ok ? [] : [.sysctl(key: "vm.max_map_count", value: "\(max(655_360, need))")])
        case .unavailable(let why):
            return .unknown(id: "vm.max_map_count.store", title: title, category: "kernel", recommended: "≥ \(need)",
                            severity: .critical, reason: reason, why: why)
        }
    }

    static let swap = DoctorRule.fact(
        "swap", title: "Swap", category: "kernel", roles: DoctorRule.all, severity: .warning,
        recommended: "none, or present with vm.swappiness ≤ 10",
        reason: "Swap is tolerable only as an emergency reserve: with high swappiness the kernel pages out broker memory to keep page cache.",
        read: { $0.host.swapTotalBytes }
    ) { total, input in
        let swappiness = input.host.sysctlInt("vm.swappiness").value
        return Verdict(current: total == 0 ? "none" : "\(describeBytes(total)) (swappiness \(swappiness.map(String.init) ?? "?"))",
                       ok: total == 0 || (swappiness.map { $0 <= 10 } ?? false),
                       fix: "sysctl -w vm.swappiness=1   # or: swapoff -a", actions: [.sysctl(key: "vm.swappiness", value: "1")])
    }

    static let thpPath = "/sys/kernel/mm/transparent_hugepage/enabled"

    static let transparentHugepages = DoctorRule.fact(
        "thp.enabled", title: "Transparent hugepages", category: "kernel", roles: DoctorRule.all, severity: .warning,
        recommended: "madvise",
        reason: "PeakMQ picks madvise between Redpanda's always and Redis's never: page-cache-backed segments cannot use THP anyway, and always lets khugepaged compaction stall allocating threads and bloats allocator RSS, while madvise still lets jemalloc opt in.",
        read: { $0.host.transparentHugepages }
    ) { v, _ in
        Verdict(current: v, ok: v == "madvise" || v == "never", fix: "echo madvise > \(thpPath)",
                actions: [.sysfs(path: thpPath, value: "madvise")])
    }

    static let defragPath = "/sys/kernel/mm/transparent_hugepage/defrag"

    static let transparentHugepagesDefrag = DoctorRule.fact(
        "thp.defrag", title: "Hugepage defragmentation", category: "kernel", roles: DoctorRule.all, severity: .info,
        recommended: "madvise (or defer+madvise, defer, never)",
        reason: "defrag=always makes a faulting thread compact memory synchronously, a multi-millisecond stall on a busy broker.",
        read: { $0.host.transparentHugepagesDefrag }
    ) { v, _ in
        Verdict(current: v, ok: v != "always", fix: "echo madvise > \(defragPath)", actions: [.sysfs(path: defragPath, value: "madvise")])
    }
}

/// How many memory mappings the configured store needs.
enum StoreMapEstimate {
    /// Retention used for the estimate: the configured bytes, or what the store
    /// may grow to on its file system before cleanup starts.
    static func retention(_ input: DoctorInput) -> UInt64 {
        if let r = input.config.retentionBytes { return r }
        let fsBytes = input.host.store.totalBytes.value ?? (1 << 40)
        return UInt64(Double(fsBytes) * input.config.maxDiskUsedRatio)
    }

    /// CommitLog segments (+1 pre-allocated) + ConsumeQueue files (at least one per
    /// queue) + index files (20 M entries each) + 1000 for libraries, thread stacks
    /// and the heap.
    static func maps(for input: DoctorInput) -> Int64 {
        let c = input.config
        let bytes = retention(input)
        let segments = ceilDiv(bytes, c.commitLogSegmentBytes) + 1
        let messages = bytes / max(1, c.averageMessageBytes)
        let cqFiles = max(UInt64(c.queueCount), ceilDiv(messages * 20, c.consumeQueueFileBytes) + UInt64(c.queueCount))
        let indexFiles = ceilDiv(messages, 20_000_000) + 1
        return Int64(segments + cqFiles + indexFiles + 1000)
    }

    static func explain(_ input: DoctorInput) -> String {
        let source = input.config.retentionBytes == nil ? "assumed: \(Int(input.config.maxDiskUsedRatio * 100)) % of the store's file system" : "configured"
        return "\(describeBytes(retention(input))) retained (\(source)) in \(describeBytes(input.config.commitLogSegmentBytes)) segments, \(input.config.queueCount) queues, \(input.config.averageMessageBytes)-byte messages"
    }

    private static func ceilDiv(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? 0 : (a + b - 1) / b }
}
