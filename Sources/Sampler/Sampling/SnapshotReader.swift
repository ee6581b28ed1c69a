/// Reads a `Snapshot` from a `ProcFS` root in one pass.
///
/// Owns the reused file buffer and caches what only changes when devices come
/// and go (disk kinds from /sys, NIC speeds), so a steady-state tick costs one
/// `open`/`read`/`close` per source file and no directory walks except the
/// monitored processes' `fd` directories.
public struct SnapshotReader: Sendable {
    public let fs: ProcFS
    /// Processes to follow (broker, load generator…).
    public var pids: [Int32]
    /// Disk kinds to keep; whole disks by default (see `DeviceKind`).
    public var includedKinds: Set<DeviceKind>
    /// Disks holding the store, resolved once by the caller.
    public var storeDisks: Set<String>

    private var buffer = FileBuffer()
    private var kindCache: [String: DeviceKind] = [:]
    private var linkCache: [String: LinkInfo] = [:]
    private let topology: BlockTopology

    public init(fs: ProcFS = .live, pids: [Int32] = [], includedKinds: Set<DeviceKind> = [.disk],
                storeDisks: Set<String> = []) {
        self.fs = fs
        self.pids = pids
        self.includedKinds = includedKinds
        self.storeDisks = storeDisks
        self.topology = BlockTopology(fs: fs)
    }

    /// Reads every source once.
    public mutating func read() -> Snapshot {
        let mono = Clock.monotonic()
        let wall = Clock.wall()
        let stat = buffer.read(fs.path("proc/stat"), KernelStat.parse)
        let load = buffer.read(fs.path("proc/loadavg"), LoadAverage.parse)
        let memory = buffer.read(fs.path("proc/meminfo"), MemoryInfo.parse)
        let vm = buffer.read(fs.path("proc/vmstat"), VMStat.parse)
        var disks = buffer.read(fs.path("proc/diskstats"), DiskCounters.parseAll)
        if case .available(let all) = disks { disks = .available(classify(all)) }
        var network = buffer.read(fs.path("proc/net/dev"), NetworkCounters.parseAll)
        if case .available(let all) = network { network = .available(attachLinks(all)) }
        let cpuP = buffer.read(fs.path("proc/pressure/cpu"), Pressure.parse)
        let ioP = buffer.read(fs.path("proc/pressure/io"), Pressure.parse)
        let memP = buffer.read(fs.path("proc/pressure/memory"), Pressure.parse)
        var processes: [(pid: Int32, counters: Reading<ProcessCounters>)] = []
        processes.reserveCapacity(pids.count)
        for pid in pids {
            processes.append((pid, ProcessCounters.read(pid: pid, fs: fs, buffer: &buffer)))
        }
        return Snapshot(monotonic: mono, wall: wall, stat: stat, load: load, memory: memory, vm: vm,
                        disks: disks, network: network, cpuPressure: cpuP, ioPressure: ioP,
                        memoryPressure: memP, processes: processes, storeDisks: storeDisks)
    }

    /// Sets each disk's kind from /sys (cached by name and device number) and
    /// keeps only the included kinds. A name reused by a different major:minor
    /// (device re-created) is re-classified.
    private mutating func classify(_ all: [DiskCounters]) -> [DiskCounters] {
        var kept: [DiskCounters] = []
        kept.reserveCapacity(4)
        for var disk in all {
            let key = "\(disk.name)@\(disk.major):\(disk.minor)"
            let kind: DeviceKind
            if let cached = kindCache[key] {
                kind = cached
            } else {
                kind = DeviceKind.classify(name: disk.name, isPartition: topology.isPartition(disk.name))
                kindCache[key] = kind
            }
            disk.kind = kind
            if includedKinds.contains(kind) { kept.append(disk) }
        }
        if kindCache.count > 4 * all.count + 64 { kindCache.removeAll(keepingCapacity: true) }
        return kept
    }

    /// Attaches cached link speed/duplex; new interfaces are looked up once.
    /// Interfaces that vanished are forgotten so a re-created one is re-read.
    private mutating func attachLinks(_ all: [NetworkCounters]) -> [NetworkCounters] {
        var result = all
        for i in result.indices {
            let name = result[i].name
            if let cached = linkCache[name] {
                result[i].link = cached
            } else {
                let info = LinkInfo.read(interface: name, fs: fs, buffer: &buffer)
                linkCache[name] = info
                result[i].link = info
            }
        }
        if linkCache.count > result.count {
            let present = Set(result.map(\.name))
            linkCache = linkCache.filter { present.contains($0.key) }
        }
        return result
    }
}
