import Foundation
import Sampler

/// Where a run happened: the generator's host, the store's disk and file system
/// (embedded broker), versions and the broker configuration. The collector fills
/// the host facts; the runner fills versions, cluster and broker config.
public struct RunEnvironment: Codable, Sendable, Equatable {
    public var hostname: String
    /// `model name` of /proc/cpuinfo.
    public var cpuModel: String?
    /// Online CPUs.
    public var cores: Int
    public var memoryBytes: UInt64?
    /// /proc/sys/kernel/osrelease.
    public var kernel: String?
    /// PRETTY_NAME of /etc/os-release.
    public var os: String?
    public var clocksource: String?
    /// The embedded broker's store (nil against an external cluster).
    public var store: StoreEnvironment?
    public var peakmqVersion: String?
    public var peakmqCommit: String?
    /// `embedded` or the NameServer addresses driven.
    public var cluster: String?
    /// broker.conf keys in effect (embedded), or what the runner learnt of the cluster.
    public var brokerConfig: [String: String]

    public init(hostname: String, cpuModel: String? = nil, cores: Int, memoryBytes: UInt64? = nil, kernel: String? = nil,
                os: String? = nil, clocksource: String? = nil, store: StoreEnvironment? = nil, peakmqVersion: String? = nil,
                peakmqCommit: String? = nil, cluster: String? = nil, brokerConfig: [String: String] = [:]) {
        self.hostname = hostname; self.cpuModel = cpuModel; self.cores = cores; self.memoryBytes = memoryBytes
        self.kernel = kernel; self.os = os; self.clocksource = clocksource; self.store = store
        self.peakmqVersion = peakmqVersion; self.peakmqCommit = peakmqCommit; self.cluster = cluster
        self.brokerConfig = brokerConfig
    }
}

/// The store directory's disk and file system.
public struct StoreEnvironment: Codable, Sendable, Equatable {
    public var directory: String
    public var device: String?
    public var mountPoint: String?
    public var filesystem: String?
    public var mountOptions: [String]
    /// Whole disks beneath the store.
    public var disks: [String]
    /// Per disk: rotational (HDD) or not, and the active I/O scheduler.
    public var rotational: [String: Bool]
    public var scheduler: [String: String]
    public var availableBytes: UInt64?
    public var totalBytes: UInt64?
}

/// Reads the host facts of `RunEnvironment` from /proc and /sys (the doctor's
/// `HostFactsReader` for memory, clock source and the store's disk).
public enum EnvironmentCollector {
    public static func collect(storeDirectory: String?, fs: ProcFS = .live) -> RunEnvironment {
        let facts = HostFactsReader(fs: fs).read(storeDirectory: storeDirectory ?? "/")
        func file(_ relative: String) -> String? {
            (try? String(contentsOfFile: fs.path(relative), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let cpuModel = file("proc/cpuinfo")?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let os = file("etc/os-release")?.split(separator: "\n")
            .first { $0.hasPrefix("PRETTY_NAME=") }
            .map { String($0.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let hostname = file("proc/sys/kernel/hostname") ?? ProcessInfo.processInfo.hostName
        var store: StoreEnvironment?
        if let storeDirectory {
            let s = facts.store
            let mount = s.mount.value
            let disks = s.disks.value ?? []
            store = StoreEnvironment(
                directory: storeDirectory, device: mount?.device, mountPoint: mount?.mountPoint, filesystem: mount?.fsType,
                mountOptions: mount?.options ?? [], disks: disks,
                rotational: s.schedulers.compactMapValues { $0.value?.rotational },
                scheduler: s.schedulers.compactMapValues { $0.value?.active },
                availableBytes: s.availableBytes.value, totalBytes: s.totalBytes.value)
        }
        return RunEnvironment(hostname: hostname, cpuModel: cpuModel, cores: facts.onlineCPUs, memoryBytes: facts.memoryTotalBytes.value,
                              kernel: file("proc/sys/kernel/osrelease"), os: os, clocksource: facts.clocksource.value, store: store)
    }
}
