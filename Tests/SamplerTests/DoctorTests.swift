import Foundation
import Testing
@testable import Sampler

/// Builds a fake host whose facts are read by the real `HostFactsReader`.
struct FakeHost {
    let root: FakeRoot
    let store: String

    /// - Parameter good: every check should pass (true) or fail (false).
    init(good: Bool) throws {
        root = try FakeRoot()
        // The store is a real directory (statvfs and stat need one); its device
        // number is registered in the fake /sys so the topology walk is exercised.
        store = root.url.appendingPathComponent("data/store").path
        try root.mkdir("data/store")
        var st = stat()
        stat(store, &st)
        let (major, minor) = BlockTopology.split(device: UInt64(st.st_dev))
        try root.blockDevice("sdz", major: Int(major) + 1000, minor: 0)
        try root.blockDevice("sdz1", major: Int(major), minor: Int(minor), parent: "sdz")

        let sysctls: [String: String] = good ? [
            "vm/overcommit_memory": "1", "vm/max_map_count": "655360", "vm/swappiness": "1", "vm/min_free_kbytes": "1048576",
            "vm/zone_reclaim_mode": "0", "vm/dirty_background_ratio": "50", "vm/dirty_ratio": "50",
            "vm/dirty_writeback_centisecs": "360000", "vm/page-cluster": "3", "fs/file-max": "9223372036854775807",
            "fs/aio-max-nr": "1048576", "net/core/somaxconn": "4096", "net/ipv4/tcp_max_syn_backlog": "4096",
            "net/ipv4/tcp_rmem": "4096\t131072\t16777216", "net/ipv4/tcp_wmem": "4096\t16384\t33554432",
        ] : [
            "vm/overcommit_memory": "0", "vm/max_map_count": "65530", "vm/swappiness": "60", "vm/min_free_kbytes": "1024",
            "vm/zone_reclaim_mode": "1", "vm/dirty_background_ratio": "10", "vm/dirty_ratio": "20",
            "vm/dirty_writeback_centisecs": "500", "vm/page-cluster": "8", "fs/file-max": "100000",
            "fs/aio-max-nr": "65536", "net/core/somaxconn": "128", "net/ipv4/tcp_max_syn_backlog": "128",
            "net/ipv4/tcp_rmem": "4096\t87380\t6291456", "net/ipv4/tcp_wmem": "4096\t16384\t4194304",
        ]
        for (k, v) in sysctls { try root.write("proc/sys/\(k)", v + "\n") }
        try root.write("proc/meminfo", "MemTotal: 24000000 kB\nMemFree: 1000 kB\nSwapTotal: \(good ? 0 : 8_000_000) kB\n")
        try root.write("sys/kernel/mm/transparent_hugepage/enabled", good ? "always [madvise] never\n" : "[always] madvise never\n")
        try root.write("sys/kernel/mm/transparent_hugepage/defrag",
                       good ? "always defer defer+madvise [madvise] never\n" : "[always] defer defer+madvise madvise never\n")
        try root.write("sys/devices/system/clocksource/clocksource0/current_clocksource", good ? "tsc\n" : "hpet\n")
        try root.write("sys/devices/system/clocksource/clocksource0/available_clocksource", good ? "tsc hpet acpi_pm\n" : "hpet acpi_pm\n")
        try root.mkdir("sys/devices/system/node/node0")
        if !good { try root.mkdir("sys/devices/system/node/node1") }
        try root.write("sys/devices/system/node/possible", "0\n")
        let realStore = HostFactsReader.realPath(store) ?? store
        try root.write("proc/self/mounts", good
            ? "proc /proc proc rw 0 0\n/dev/sdz1 / ext4 rw,relatime 0 0\n/dev/sdz1 \(realStore.replacingOccurrences(of: " ", with: "\\040")) xfs rw,noatime,attr2 0 0\n"
            : "proc /proc proc rw 0 0\nserver:/export / nfs4 rw,relatime 0 0\n")
        try root.write("sys/block/sdz/queue/scheduler", good ? "[none] mq-deadline kyber\n" : "mq-deadline kyber [bfq] none\n")
        try root.write("sys/block/sdz/queue/rotational", "0\n")
    }

    func input(good: Bool, role: Role = .broker) -> DoctorInput {
        let limits = good
            ? LimitFacts(nofile: .available(ResourceLimit(soft: 1_048_576, hard: 1_048_576)),
                         nproc: .available(ResourceLimit(soft: nil, hard: nil)),
                         memlock: .available(ResourceLimit(soft: nil, hard: nil)))
            : LimitFacts(nofile: .available(ResourceLimit(soft: 1024, hard: 4096)),
                         nproc: .available(ResourceLimit(soft: 4096, hard: 4096)),
                         memlock: .available(ResourceLimit(soft: 65_536, hard: 65_536)))
        let host = HostFactsReader(fs: root.fs).read(storeDirectory: store, limits: limits)
        var config = DoctorConfig(role: role, storeDirectory: store, retentionBytes: good ? 1 << 20 : 1 << 60)
        config.eventLoopThreads = good ? 2 : 8
        config.storeThreads = good ? 2 : 4
        config.warmMappedFiles = good
        config.lockedMemoryBytes = good ? 1 << 30 : 16 << 30
        let runtime = good
            ? RuntimeFacts(allocator: "jemalloc 5.3.0", jemallocActive: true, residentBytes: 4 << 20, backgroundThread: true,
                           narenas: 8, dirtyDecayMilliseconds: 10_000, muzzyDecayMilliseconds: 10_000, mallocConf: "background_thread:true")
            : RuntimeFacts(allocator: "glibc malloc", jemallocActive: false)
        return DoctorInput(host: host, runtime: runtime, config: config)
    }
}

@Suite("Doctor rules")
struct DoctorTests {
    static let ruleIDs = Doctor.rules.filter { $0.roles.contains(.broker) }.map(\.id)

    @Test(arguments: ruleIDs)
    func everyRulePassesOnAWellTunedHost(id: String) throws {
        let host = try FakeHost(good: true)
        let report = Doctor.evaluate(host.input(good: true))
        let check = try #require(report.checks.first { $0.id == id })
        #expect(check.status == .pass, "\(id): \(check.current) vs \(check.recommended)")
        #expect(check.actions.isEmpty && check.fix == nil)
    }

    @Test(arguments: ruleIDs)
    func everyRuleFailsOnABadlyTunedHost(id: String) throws {
        let host = try FakeHost(good: false)
        let report = Doctor.evaluate(host.input(good: false))
        let check = try #require(report.checks.first { $0.id == id })
        if id == "runtime.malloc-conf" {
            // Without jemalloc its options cannot be judged (covered separately below).
            #expect(check.status == .unknown)
        } else {
            #expect(check.status == .fail, "\(id): \(check.current) vs \(check.recommended)")
            #expect(check.fix != nil && !check.actions.isEmpty, "\(id) has no fix")
        }
        #expect(!check.reason.isEmpty && !check.recommended.isEmpty && !check.title.isEmpty)
    }

    @Test func everyRuleIsUnknownNotPassingOnAnEmptyTree() throws {
        let root = try FakeRoot()
        let missing = LimitFacts(nofile: .unavailable("n/a"), nproc: .unavailable("n/a"), memlock: .unavailable("n/a"))
        let host = HostFactsReader(fs: root.fs).read(storeDirectory: "/nonexistent/store", limits: missing)
        let input = DoctorInput(host: host, runtime: RuntimeFacts(allocator: "unknown", jemallocActive: false),
                                config: DoctorConfig(storeDirectory: "/nonexistent/store"))
        let report = Doctor.evaluate(input)
        // The store's ancestor "/" exists, so free space/disks come from the live host;
        // everything read from the (empty) fake tree must be unknown.
        let fromTree = report.checks.filter { !["store.free-space", "disk.scheduler", "runtime.jemalloc", "runtime.locked-memory"].contains($0.id) }
        for c in fromTree { #expect(c.status == .unknown, "\(c.id) is \(c.status)") }
        #expect(report.checks.first { $0.id == "store.free-space" }?.status == .unknown)   // no retention given
        #expect(!report.hasCriticalFailure)
    }

    @Test func criticalFailuresDecideTheExitStatus() throws {
        let bad = try FakeHost(good: false)
        let report = Doctor.evaluate(bad.input(good: false))
        let critical = Set(report.checks.filter { $0.status == .fail && $0.severity == .critical }.map(\.id))
        #expect(critical == ["vm.max_map_count.store", "store.filesystem", "store.free-space", "limits.nofile", "limits.memlock"])
        #expect(report.hasCriticalFailure)
        let good = try FakeHost(good: true)
        #expect(!Doctor.evaluate(good.input(good: true)).hasCriticalFailure)
    }

    @Test func rolesSelectTheirChecks() throws {
        let host = try FakeHost(good: true)
        let ids = { (role: Role) in Set(Doctor.evaluate(host.input(good: true, role: role)).checks.map(\.id)) }
        #expect(ids(.broker).isSuperset(of: ["store.filesystem", "disk.scheduler", "vm.max_map_count", "limits.memlock"]))
        #expect(ids(.namesrv).isDisjoint(with: ["store.filesystem", "disk.scheduler", "vm.max_map_count", "limits.memlock"]))
        #expect(ids(.namesrv).contains("net.core.somaxconn"))
        #expect(!ids(.client).contains("net.core.somaxconn") && ids(.client).contains("net.ipv4.tcp_wmem"))
        #expect(ids(.client).contains("runtime.jemalloc") && ids(.client).contains("limits.nofile"))
    }

    @Test func factsReadFromTheTree() throws {
        let host = try FakeHost(good: true)
        let facts = host.input(good: true).host
        #expect(facts.transparentHugepages == .available("madvise"))
        #expect(facts.sysctl("net.ipv4.tcp_rmem") == .available("4096 131072 16777216"))
        #expect(facts.numaNodes == .available(1))
        #expect(facts.store.disks == .available(["sdz"]))
        #expect(facts.store.schedulers["sdz"]?.value == IOScheduler(active: "none", available: ["none", "mq-deadline", "kyber"], rotational: false))
        #expect(facts.store.mount.value?.fsType == "xfs")
        #expect(facts.store.availableBytes.value.map { $0 > 0 } == true)
    }

    @Test func schedulerAdviceDependsOnRotation() throws {
        let host = try FakeHost(good: true)
        try host.root.write("sys/block/sdz/queue/rotational", "1\n")
        try host.root.write("sys/block/sdz/queue/scheduler", "[none] mq-deadline\n")
        let hdd = Doctor.evaluate(host.input(good: true)).checks.first { $0.id == "disk.scheduler" }
        #expect(hdd?.status == .fail && hdd?.actions == [.sysfs(path: "/sys/block/sdz/queue/scheduler", value: "mq-deadline")])
        try host.root.write("sys/block/sdz/queue/scheduler", "none [mq-deadline]\n")
        #expect(Doctor.evaluate(host.input(good: true)).checks.first { $0.id == "disk.scheduler" }?.status == .pass)
    }

    @Test func filesystemSeverityDependsOnType() throws {
        func check(_ type: String) throws -> CheckResult? {
            let host = try FakeHost(good: true)
            try host.root.write("proc/self/mounts", "dev / \(type) rw,noatime 0 0\n")
            return Doctor.evaluate(host.input(good: true)).checks.first { $0.id == "store.filesystem" }
        }
        #expect(try check("ext4")?.status == .pass)
        let tmpfs = try check("tmpfs"), fuse = try check("fuse.sshfs")
        #expect(tmpfs?.status == .fail && tmpfs?.severity == .warning)
        #expect(fuse?.status == .fail && fuse?.severity == .critical)
    }

    @Test func freeSpaceIsWarningWhenOnlyTheHeadroomIsMissing() throws {
        let host = try FakeHost(good: true)
        var input = host.input(good: true)
        let free = try #require(input.host.store.availableBytes.value)
        input.config.retentionBytes = free - free / 10        // fits, but above 75 % of free
        let c = Doctor.evaluate(input).checks.first { $0.id == "store.free-space" }
        #expect(c?.status == .fail && c?.severity == .warning)
    }

    @Test func mapCountEstimateScalesWithRetention() throws {
        let host = try FakeHost(good: true)
        var input = host.input(good: true)
        input.config.retentionBytes = 2 << 40     // 2 TiB in 1 GiB segments, 1 KiB messages
        let maps = StoreMapEstimate.maps(for: input)
        // 2049 segments + 2^31 messages × 20 B / 6 MB ≈ 7158 + 1024 queues + 108 index files + 1000.
        #expect(maps > 11_000 && maps < 12_000)
        let check = Doctor.evaluate(input).checks.first { $0.id == "vm.max_map_count.store" }
        #expect(check?.reason.contains("\(maps)") == true)
    }

    @Test func mallocConfFailsWhenPurgingIsOffOrNoBackgroundThread() throws {
        let host = try FakeHost(good: true)
        var input = host.input(good: true)
        input.runtime.dirtyDecayMilliseconds = -1
        #expect(Doctor.evaluate(input).checks.first { $0.id == "runtime.malloc-conf" }?.status == .fail)
        input.runtime.dirtyDecayMilliseconds = 10_000
        input.runtime.backgroundThread = false
        #expect(Doctor.evaluate(input).checks.first { $0.id == "runtime.malloc-conf" }?.status == .fail)
    }

    @Test func memlockAndNofileSeverities() throws {
        let host = try FakeHost(good: true)
        var input = host.input(good: true)
        input.host.limits.memlock = .available(ResourceLimit(soft: 64 << 10, hard: 64 << 10))
        input.config.lockedMemoryBytes = 0
        let memlock = Doctor.evaluate(input).checks.first { $0.id == "limits.memlock" }
        #expect(memlock?.status == .fail && memlock?.severity == .info)   // no budget: advice only
        input.host.limits.nofile = .available(ResourceLimit(soft: 100_000, hard: 100_000))
        let nofile = Doctor.evaluate(input).checks.first { $0.id == "limits.nofile" }
        #expect(nofile?.status == .fail && nofile?.severity == .warning)
        input.config.role = .client
        input.host.limits.nofile = .available(ResourceLimit(soft: 1024, hard: 1024))
        #expect(Doctor.evaluate(input).checks.first { $0.id == "limits.nofile" }?.severity == .warning)
    }

    @Test func fixScriptHasSysctlLimitsAndSysfsButChangesNothing() throws {
        let host = try FakeHost(good: false)
        let before = try String(contentsOfFile: host.root.fs.path("proc/sys/vm/swappiness"), encoding: .utf8)
        let report = Doctor.evaluate(host.input(good: false))
        let script = FixScript.render(report)
        #expect(script.hasPrefix("#!/bin/sh"))
        #expect(script.contains("sysctl -w vm.swappiness=1\n"))
        #expect(script.contains("sysctl -w vm.max_map_count=") && script.components(separatedBy: "sysctl -w vm.max_map_count=").count == 2)
        #expect(script.contains("sysctl -w net.ipv4.tcp_rmem=\"4096 87380 16777216\""))
        #expect(script.contains("vm.dirty_ratio = 50\n"))
        #expect(script.contains("*  hard  nofile  655350") && script.contains("*  soft  memlock  unlimited"))
        #expect(script.contains("echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"))
        #expect(script.contains("echo none > /sys/block/sdz/queue/scheduler"))
        #expect(script.contains("# [store.filesystem]"))
        #expect(try String(contentsOfFile: host.root.fs.path("proc/sys/vm/swappiness"), encoding: .utf8) == before)
        let clean = FixScript.render(Doctor.evaluate(try FakeHost(good: true).input(good: true)))
        #expect(clean.contains("# Nothing to fix.") && !clean.contains("sysctl -w"))
    }

    @Test func reportRendersAndEncodes() throws {
        let host = try FakeHost(good: false)
        let report = Doctor.evaluate(host.input(good: false))
        let table = DoctorTable.render(report)
        #expect(table.contains("FAIL    critical  limits.nofile"))
        #expect(table.contains("why: "))
        let json = try JSONEncoder().encode(report)
        let back = try JSONDecoder().decode(DoctorReport.self, from: json)
        #expect(back.checks == report.checks)
    }

    @Test func mountTableLookupAndEscapes() throws {
        let text = "/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /data xfs rw,noatime 0 0\n/dev/sdc1 /data/my\\040disk xfs rw 0 0\n/dev/sdd1 /data xfs rw 0 0\n"
        let table = try #require(try parse(text, MountTable.parse))
        #expect(MountTable.entry(holding: "/data/my disk/store", in: table)?.device == "/dev/sdc1")
        #expect(MountTable.entry(holding: "/data/store", in: table)?.device == "/dev/sdd1")   // later mount over /data wins
        #expect(MountTable.entry(holding: "/database", in: table)?.device == "/dev/sda1")     // not a path prefix
    }
}

@Suite("Doctor on the real host")
struct DoctorHostTests {
    @Test func producesAResultForEveryCheck() {
        let config = DoctorConfig(role: .broker, storeDirectory: FileManager.default.temporaryDirectory.path + "/peakmq-store", retentionBytes: 1 << 30)
        let host = HostFactsReader().read(storeDirectory: config.storeDirectory)
        let report = Doctor.evaluate(DoctorInput(host: host, runtime: RuntimeFacts(allocator: "test", jemallocActive: false), config: config))
        #expect(report.checks.count == Doctor.rules.filter { $0.roles.contains(.broker) }.count)
        for c in report.checks {
            #expect(!c.current.isEmpty && !c.recommended.isEmpty && !c.reason.isEmpty)
        }
        // Things every Linux host has.
        for id in ["vm.swappiness", "vm.max_map_count", "limits.nofile", "net.core.somaxconn", "store.filesystem"] {
            #expect(report.checks.first { $0.id == id }?.status != .unknown, "\(id) unknown on a live Linux host")
        }
    }
}
