/// Host facts the doctor's rules judge. Plain values, so tests can build them
/// directly or read them from a fake tree with `HostFactsReader`.
public struct HostFacts: Sendable, Codable {
    /// Raw sysctl values keyed by dotted name (`vm.swappiness`), trimmed.
    public var sysctls: [String: Reading<String>]
    public var memoryTotalBytes: Reading<UInt64>
    public var swapTotalBytes: Reading<UInt64>
    /// The bracketed choice in /sys/kernel/mm/transparent_hugepage/{enabled,defrag}.
    public var transparentHugepages: Reading<String>
    public var transparentHugepagesDefrag: Reading<String>
    public var clocksource: Reading<String>
    public var availableClocksources: Reading<[String]>
    public var numaNodes: Reading<Int>
    public var onlineCPUs: Int
    public var store: StoreFacts
    public var limits: LimitFacts

    public init(sysctls: [String: Reading<String>], memoryTotalBytes: Reading<UInt64>, swapTotalBytes: Reading<UInt64>,
                transparentHugepages: Reading<String>, transparentHugepagesDefrag: Reading<String>,
                clocksource: Reading<String>, availableClocksources: Reading<[String]>, numaNodes: Reading<Int>,
                onlineCPUs: Int, store: StoreFacts, limits: LimitFacts) {
        self.sysctls = sysctls; self.memoryTotalBytes = memoryTotalBytes; self.swapTotalBytes = swapTotalBytes
        self.transparentHugepages = transparentHugepages; self.transparentHugepagesDefrag = transparentHugepagesDefrag
        self.clocksource = clocksource; self.availableClocksources = availableClocksources
        self.numaNodes = numaNodes; self.onlineCPUs = onlineCPUs; self.store = store; self.limits = limits
    }

    /// A sysctl, or unavailable if it was not read.
    public func sysctl(_ key: String) -> Reading<String> {
        sysctls[key] ?? .unavailable("\(key) not read")
    }

    /// A sysctl parsed as an integer (first field of multi-value sysctls).
    public func sysctlInt(_ key: String) -> Reading<Int64> {
        sysctl(key).flatMap { text in
            guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first, let v = Int64(first) else {
                return .unavailable("\(key) is not a number: \(text)")
            }
            return .available(v)
        }
    }
}

/// Where the store lives and what holds it.
public struct StoreFacts: Sendable, Codable {
    /// The configured directory.
    public var directory: String
    /// The nearest existing ancestor that was actually examined (the store may not exist yet).
    public var examinedDirectory: String
    public var mount: Reading<MountEntry>
    /// Bytes available to an unprivileged writer, and the file system's size.
    public var availableBytes: Reading<UInt64>
    public var totalBytes: Reading<UInt64>
    /// Whole disks beneath the store (see `BlockTopology`).
    public var disks: Reading<[String]>
    /// Per disk: the I/O scheduler and whether the disk is rotational.
    public var schedulers: [String: Reading<IOScheduler>]

    public init(directory: String, examinedDirectory: String, mount: Reading<MountEntry>, availableBytes: Reading<UInt64>,
                totalBytes: Reading<UInt64>, disks: Reading<[String]>, schedulers: [String: Reading<IOScheduler>]) {
        self.directory = directory; self.examinedDirectory = examinedDirectory; self.mount = mount
        self.availableBytes = availableBytes; self.totalBytes = totalBytes; self.disks = disks; self.schedulers = schedulers
    }
}

/// One line of /proc/self/mounts.
public struct MountEntry: Sendable, Codable, Equatable {
    public var device: String
    public var mountPoint: String
    public var fsType: String
    public var options: [String]

    public init(device: String, mountPoint: String, fsType: String, options: [String]) {
        self.device = device; self.mountPoint = mountPoint; self.fsType = fsType; self.options = options
    }
}

/// A disk's queue/scheduler and queue/rotational.
public struct IOScheduler: Sendable, Codable, Equatable {
    public var active: String
    public var available: [String]
    public var rotational: Bool?

    public init(active: String, available: [String], rotational: Bool?) {
        self.active = active; self.available = available; self.rotational = rotational
    }
}

/// Soft and hard resource limits; `nil` means unlimited.
public struct ResourceLimit: Sendable, Codable, Equatable {
    public var soft: UInt64?
    public var hard: UInt64?

    public init(soft: UInt64?, hard: UInt64?) {
        self.soft = soft; self.hard = hard
    }
}

/// The limits that matter to a broker.
public struct LimitFacts: Sendable, Codable {
    public var nofile: Reading<ResourceLimit>
    public var nproc: Reading<ResourceLimit>
    public var memlock: Reading<ResourceLimit>

    public init(nofile: Reading<ResourceLimit>, nproc: Reading<ResourceLimit>, memlock: Reading<ResourceLimit>) {
        self.nofile = nofile; self.nproc = nproc; self.memlock = memlock
    }
}
