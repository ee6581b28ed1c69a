#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Gathers `HostFacts` from a `ProcFS` root plus the live store directory and
/// process limits. Every fact that cannot be read is `.unavailable`, so the
/// matching check reports `unknown` instead of passing.
public struct HostFactsReader {
    public let fs: ProcFS

    /// The sysctls the rules use.
    public static let sysctlKeys = [
        "vm.overcommit_memory", "vm.max_map_count", "vm.swappiness", "vm.min_free_kbytes", "vm.zone_reclaim_mode",
        "vm.dirty_background_ratio", "vm.dirty_background_bytes", "vm.dirty_ratio", "vm.dirty_bytes",
        "vm.dirty_writeback_centisecs", "vm.page-cluster", "fs.file-max", "fs.aio-max-nr",
        "net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    ]

    public init(fs: ProcFS = .live) {
        self.fs = fs
    }

    /// Reads everything. `limits` defaults to the calling process's own limits.
    public func read(storeDirectory: String, limits: LimitFacts = LimitFacts.current()) -> HostFacts {
        var buffer = FileBuffer()
        var sysctls: [String: Reading<String>] = [:]
        for key in Self.sysctlKeys {
            let path = fs.path("proc/sys/" + key.replacingDots())
            // Multi-value sysctls (tcp_rmem) are tab-separated; normalise to single spaces.
            sysctls[key] = buffer.read(path) { s in
                Optional(s.restOfLine().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))
            }
        }
        let mem = buffer.read(fs.path("proc/meminfo"), MemoryInfo.parse)
        let memTotal = mem.flatMap { m in m.total.map { .available($0) } ?? .unavailable("MemTotal missing") }
        let swap = mem.flatMap { m in m.swapTotal.map { .available($0) } ?? .unavailable("SwapTotal missing") }
        let thp = buffer.read(fs.path("sys/kernel/mm/transparent_hugepage/enabled"), Self.bracketed)
        let defrag = buffer.read(fs.path("sys/kernel/mm/transparent_hugepage/defrag"), Self.bracketed)
        let clock = buffer.read(fs.path("sys/devices/system/clocksource/clocksource0/current_clocksource")) { Optional($0.word()) }
        let clocks = buffer.read(fs.path("sys/devices/system/clocksource/clocksource0/available_clocksource")) { s in
            Optional(s.restOfLine().split(separator: " ").map(String.init))
        }
        let topology = BlockTopology(fs: fs)
        let nodeDir = fs.path("sys/devices/system/node")
        let nodes: Reading<Int> = access(nodeDir, F_OK) == 0
            ? .available(topology.listDirectory(nodeDir).filter(Self.isNodeName).count)
            : .unavailable("\(nodeDir): not present (kernel without NUMA support)")
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return HostFacts(sysctls: sysctls, memoryTotalBytes: memTotal, swapTotalBytes: swap,
                         transparentHugepages: thp, transparentHugepagesDefrag: defrag, clocksource: clock,
                         availableClocksources: clocks, numaNodes: nodes, onlineCPUs: max(1, cpus),
                         store: readStore(storeDirectory, buffer: &buffer, topology: topology), limits: limits)
    }

    private func readStore(_ directory: String, buffer: inout FileBuffer, topology: BlockTopology) -> StoreFacts {
        let examined = Self.nearestExisting(directory)
        let resolved = Self.realPath(examined) ?? examined
        let mounts = buffer.read(fs.path("proc/self/mounts"), MountTable.parse)
        let mount = mounts.flatMap { table in
            MountTable.entry(holding: resolved, in: table).map { .available($0) } ?? .unavailable("no mount holds \(resolved)")
        }
        var vfs = statvfs()
        let space = statvfs(examined, &vfs) == 0
        let available: Reading<UInt64> = space ? .available(UInt64(vfs.f_bavail) &* UInt64(vfs.f_frsize)) : .unavailable("statvfs(\(examined)) failed")
        let total: Reading<UInt64> = space ? .available(UInt64(vfs.f_blocks) &* UInt64(vfs.f_frsize)) : .unavailable("statvfs(\(examined)) failed")
        let disks = topology.disks(holding: examined)
        var schedulers: [String: Reading<IOScheduler>] = [:]
        for disk in disks.value ?? [] {
            schedulers[disk] = readScheduler(disk, buffer: &buffer)
        }
        return StoreFacts(directory: directory, examinedDirectory: examined, mount: mount, availableBytes: available,
                          totalBytes: total, disks: disks, schedulers: schedulers)
    }

    /// /sys/block/DISK/queue/{scheduler,rotational}.
    public func readScheduler(_ disk: String, buffer: inout FileBuffer) -> Reading<IOScheduler> {
        let sched = buffer.read(fs.path("sys/block/\(disk)/queue/scheduler")) { s -> (String, [String])? in
            let words = s.restOfLine().split(separator: " ").map(String.init)
            guard !words.isEmpty else { return nil }
            let names = words.map { $0.filter { $0 != "[" && $0 != "]" } }
            // One choice prints without brackets ("none" on some NVMe queues).
            let active = words.first { $0.hasPrefix("[") }.map { $0.filter { $0 != "[" && $0 != "]" } } ?? names[0]
            return (active, names)
        }
        let rotational = buffer.read(fs.path("sys/block/\(disk)/queue/rotational")) { $0.unsigned() }
        return sched.map { IOScheduler(active: $0.0, available: $0.1, rotational: rotational.value.map { $0 != 0 }) }
    }

    /// The bracketed word of `always [madvise] never`.
    static func bracketed(_ s: inout ByteScanner) -> String? {
        let line = s.restOfLine()
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return nil }
        return String(line[line.index(after: open)..<close])
    }

    static func isNodeName(_ name: String) -> Bool {
        name.hasPrefix("node") && name.count > 4 && name.dropFirst(4).allSatisfy(\.isNumber)
    }

    /// `directory`, or its closest existing ancestor: the store is often checked
    /// before the broker first creates it.
    static func nearestExisting(_ directory: String) -> String {
        var path = directory.isEmpty ? "." : directory
        while access(path, F_OK) != 0 {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            path = slash == path.startIndex ? "/" : String(path[..<slash])
        }
        return path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension String {
    /// `vm.page-cluster` → `vm/page-cluster` (dots are separators; dashes stay).
    func replacingDots() -> String {
        String(map { $0 == "." ? "/" : $0 })
    }
}

extension LimitFacts {
    /// The calling process's limits via getrlimit(2).
    public static func current() -> LimitFacts {
        func get(_ resource: Int32) -> Reading<ResourceLimit> {
            var rl = rlimit()
            guard getrlimit(__rlimit_resource_t(UInt32(resource)), &rl) == 0 else {
                return .unavailable("getrlimit(\(resource)) failed: errno \(errno)")
            }
            // RLIM_INFINITY is (rlim_t)-1, which Swift cannot import as a constant.
            func value(_ v: rlim_t) -> UInt64? { v == rlim_t.max ? nil : UInt64(v) }
            return .available(ResourceLimit(soft: value(rl.rlim_cur), hard: value(rl.rlim_max)))
        }
        return LimitFacts(nofile: get(Int32(RLIMIT_NOFILE.rawValue)), nproc: get(Int32(__RLIMIT_NPROC.rawValue)),
                          memlock: get(Int32(__RLIMIT_MEMLOCK.rawValue)))
    }
}

/// /proc/self/mounts parsing and lookup.
public enum MountTable {
    /// Parses `device mountpoint fstype options dump pass` lines, decoding the
    /// octal escapes (`\040` for space) the kernel uses in paths.
    public static func parse(_ s: inout ByteScanner) -> [MountEntry]? {
        var entries: [MountEntry] = []
        while !s.atEnd {
            let device = s.word(), point = s.word(), type = s.word(), options = s.word()
            if !point.isEmpty, !type.isEmpty {
                entries.append(MountEntry(device: unescape(device), mountPoint: unescape(point), fsType: type,
                                          options: options.split(separator: ",").map(String.init)))
            }
            s.nextLine()
        }
        return entries
    }

    /// The mount holding `path`: the longest mount point that is a path prefix;
    /// among equal mount points the last one (it is mounted over the others).
    public static func entry(holding path: String, in table: [MountEntry]) -> MountEntry? {
        var best: MountEntry?
        for e in table {
            let mp = e.mountPoint
            let covers = mp == "/" || path == mp || path.hasPrefix(mp.hasSuffix("/") ? mp : mp + "/")
            if covers, mp.count >= (best?.mountPoint.count ?? -1) { best = e }
        }
        return best
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count + 0,
               let v = UInt8(String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(v); i += 4
            } else {
                out.append(bytes[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
