/// The Swift process's runtime: the equivalents of RocketMQ's JVM flags.
enum RuntimeRules {
    static let rules: [DoctorRule] = [jemalloc, mallocConf, threads, warmup, lockedBudget]

    static let jemalloc = DoctorRule(id: "runtime.jemalloc", roles: DoctorRule.all) { input in
        let r = input.runtime
        let ok = r.jemallocActive
        return CheckResult(id: "runtime.jemalloc", title: "jemalloc in use", category: "runtime",
                           current: r.allocator + (r.residentBytes.map { ", \(describeBytes($0)) resident" } ?? ""),
                           recommended: "jemalloc (answers mallctl)", severity: .warning, status: ok ? .pass : .fail,
                           reason: "glibc malloc fragments under many threads allocating and freeing message buffers, growing RSS that the page cache needs; PeakMQ executables link jemalloc for that reason.",
                           fix: ok ? nil : "install libjemalloc-dev and rebuild (or LD_PRELOAD=libjemalloc.so.2)",
                           actions: ok ? [] : [.manual("apt-get install libjemalloc-dev && swift build -c release")])
    }

    static let recommendedConf = "background_thread:true,dirty_decay_ms:10000,muzzy_decay_ms:10000"

    static let mallocConf = DoctorRule(id: "runtime.malloc-conf", roles: DoctorRule.all) { input in
        let r = input.runtime
        let title = "jemalloc options (MALLOC_CONF)"
        let reason = "background_thread moves purging off request threads (better tail latency), and finite decay returns freed memory to the OS so RSS does not crowd out the page cache; -1 disables purging and RSS only grows."
        guard r.jemallocActive, let bg = r.backgroundThread else {
            return .unknown(id: "runtime.malloc-conf", title: title, category: "runtime", recommended: recommendedConf,
                            severity: .warning, reason: reason, why: r.jemallocActive ? "opt.background_thread unreadable" : "jemalloc not in use")
        }
        let dirty = r.dirtyDecayMilliseconds, muzzy = r.muzzyDecayMilliseconds
        let purges = dirty.map { $0 >= 0 } ?? true
        let ok = bg && purges
        var current = "background_thread:\(bg), dirty_decay_ms:\(dirty.map(String.init) ?? "?"), muzzy_decay_ms:\(muzzy.map(String.init) ?? "?")"
        if let n = r.narenas { current += ", narenas:\(n)" }
        current += " (MALLOC_CONF=\(r.mallocConf ?? "unset"))"
        let cmd = "export MALLOC_CONF=\(recommendedConf)   # e.g. Environment= in the systemd unit"
        return CheckResult(id: "runtime.malloc-conf", title: title, category: "runtime", current: current, recommended: recommendedConf,
                           severity: .warning, status: ok ? .pass : .fail, reason: reason, fix: ok ? nil : cmd,
                           actions: ok ? [] : [.manual(cmd)])
    }

    static let threads = DoctorRule(id: "runtime.threads", roles: DoctorRule.all) { input in
        let cores = input.host.onlineCPUs
        let title = "Busy threads versus cores"
        let rec = "event loops ≤ \(cores) cores; event loops + store threads ≤ \(cores + 2)"
        let reason = "More spinning event-loop and flush threads than cores turn into context switches and run-queue latency (RocketMQ caps send threads at min(cores, 4))."
        guard let loops = input.config.eventLoopThreads else {
            return .unknown(id: "runtime.threads", title: title, category: "runtime", recommended: rec, severity: .info,
                            reason: reason, why: "no thread configuration given (the process does not exist yet)")
        }
        let store = input.config.storeThreads ?? 0
        let ok = loops <= cores && loops + store <= cores + 2
        return CheckResult(id: "runtime.threads", title: title, category: "runtime",
                           current: "\(loops) event loops + \(store) store threads on \(cores) cores", recommended: rec,
                           severity: .warning, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "set the event loop count to \(cores) (System.coreCount)",
                           actions: ok ? [] : [.manual("configure \(cores) event-loop threads")])
    }

    static let warmup = DoctorRule(id: "runtime.warmup", roles: DoctorRule.broker) { input in
        let title = "Pre-touch of mapped segments"
        let reason = "Touching each new segment page once at creation (RocketMQ warmMapedFileEnable, like -XX:+AlwaysPreTouch) moves page-fault cost off the send path."
        guard let warm = input.config.warmMappedFiles else {
            return .unknown(id: "runtime.warmup", title: title, category: "runtime", recommended: "enabled", severity: .info,
                            reason: reason, why: "broker configuration not given")
        }
        return CheckResult(id: "runtime.warmup", title: title, category: "runtime", current: warm ? "enabled" : "disabled",
                           recommended: "enabled", severity: .info, status: warm ? .pass : .fail, reason: reason,
                           fix: warm ? nil : "set warmMappedFiles=true in the broker configuration",
                           actions: warm ? [] : [.manual("set warmMappedFiles=true in the broker configuration")])
    }

    static let lockedBudget = DoctorRule(id: "runtime.locked-memory", roles: DoctorRule.broker) { input in
        let title = "Locked / direct memory budget"
        let budget = input.config.lockedMemoryBytes
        let reason = "Memory the broker locks (transient store pool, like -XX:MaxDirectMemorySize) is unavailable to the page cache that serves consumers; keep it to a quarter of RAM."
        guard let ram = input.host.memoryTotalBytes.value else {
            return .unknown(id: "runtime.locked-memory", title: title, category: "runtime", recommended: "≤ 25 % of RAM",
                            severity: .warning, reason: reason, why: input.host.memoryTotalBytes.unavailableReason ?? "")
        }
        let ok = budget <= ram / 4
        return CheckResult(id: "runtime.locked-memory", title: title, category: "runtime",
                           current: "\(describeBytes(budget)) of \(describeBytes(ram)) RAM", recommended: "≤ \(describeBytes(ram / 4))",
                           severity: .warning, status: ok ? .pass : .fail, reason: reason,
                           fix: ok ? nil : "reduce the transient store pool (transientStorePoolSize × 1 GiB)",
                           actions: ok ? [] : [.manual("reduce the locked memory budget to at most \(describeBytes(ram / 4))")])
    }
}
