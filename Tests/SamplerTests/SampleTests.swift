import Foundation
import Testing
@testable import Sampler

@Suite("Snapshots and samples over a fake tree")
struct SampleTests {
    /// Reads the tree, lets `change` edit it, reads again, and pretends 2 s passed.
    func interval(_ root: FakeRoot, pids: [Int32] = [], storeDisks: Set<String> = [],
                  change: (FakeRoot) throws -> Void) throws -> Sample {
        var reader = SnapshotReader(fs: root.fs, pids: pids, storeDisks: storeDisks)
        let a = reader.read()
        try change(root)
        var b = reader.read()
        b.monotonic = a.monotonic + 2
        return Sample.between(a, b, index: 1)
    }

    @Test func wholeDisksOnlyAndStoreDiskMarked() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        var reader = SnapshotReader(fs: root.fs, storeDisks: ["sda"])
        let snap = reader.read()
        // sda1 (partition, per sysfs), loop0, dm-0 and zram0 are not summed in.
        #expect(snap.disks.value?.map(\.name) == ["sda"])
        reader.includedKinds = Set(DeviceKind.allCases)
        let everything = reader.read().disks.value?.map { "\($0.name):\($0.kind.rawValue)" }
        #expect(everything == ["sda:disk", "sda1:partition", "loop0:loop", "dm-0:deviceMapper", "zram0:ram"])
    }

    @Test func fullIntervalFromFakeTree() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        let s = try interval(root, storeDisks: ["sda"]) { r in
            try r.write("proc/stat", Fixtures.stat
                .replacingOccurrences(of: "cpu  1000 20 300 5000 100", with: "cpu  1100 20 350 5040 110")
                .replacingOccurrences(of: "ctxt 987654", with: "ctxt 988654")
                .replacingOccurrences(of: "intr 123456", with: "intr 124456"))
            try r.write("proc/diskstats", Fixtures.diskstats
                .replacingOccurrences(of: "sda 1000 10 80000 500 2000 20 160000 4000 0 3000 4500",
                                      with: "sda 1000 10 80000 500 2400 20 180480 4800 1 4000 5500"))
            try r.write("proc/net/dev", Fixtures.netdev.replacingOccurrences(of: "eth0: 5000000", with: "eth0: 30000000"))
            try r.write("proc/vmstat", Fixtures.vmstat.replacingOccurrences(of: "pgmajfault 10", with: "pgmajfault 30"))
            try r.write("proc/pressure/io", Fixtures.pressureIO.replacingOccurrences(of: "total=1000000", with: "total=1500000"))
        }
        let cpu = try #require(s.cpu.value)
        // Δ: user 100, system 50, idle 40, iowait 10 → total 200.
        #expect(cpu.user.isClose(to: 50) && cpu.system.isClose(to: 25) && cpu.idle.isClose(to: 20) && cpu.busy.isClose(to: 75))
        #expect(s.contextSwitchesPerSecond == .available(500) && s.interruptsPerSecond == .available(500))
        let disk = try #require(s.disks.value?.first)
        #expect(disk.name == "sda" && disk.holdsStore)
        #expect(disk.writesPerSecond == 200 && disk.writeBytesPerSecond == 20480 * 512 / 2)
        #expect(disk.writeAwaitMilliseconds == 2 && disk.utilisation == 50 && disk.averageQueueSize == 0.5)
        let eth = try #require(s.network.value?.first { $0.name == "eth0" })
        #expect(eth.rxBytesPerSecond == 12_500_000 && eth.speedMbps == 1000)
        #expect(eth.utilisation.map { $0.isClose(to: 10) } == true)
        #expect(s.paging.value?.majorFaultsPerSecond == .available(10))
        #expect(s.ioPressure.value?.someStallPercent.isClose(to: 25) == true)    // 0.5 s of 2 s
        #expect(s.ioPressure.value?.fullStallPercent == 0)
        #expect(s.cpuPressure.value?.fullStallPercent == nil)
        #expect(s.memory.value?.dirty == 51200 * 1024)
        #expect(s.changes.isEmpty)
    }

    @Test func devicesThatAppearOrVanishHaveNoRates() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        let s = try interval(root) { r in
            try r.write("proc/diskstats", """
                   8      16 sdb 5 0 40 1 0 0 0 0 0 1 1

                """)
            try r.write("proc/net/dev", Fixtures.netdev.replacingOccurrences(of: "  eth0:", with: "  eth9:"))
            try r.write("proc/stat", Fixtures.stat.replacingOccurrences(of: "cpu1 500", with: "cpu2 500")
                .replacingOccurrences(of: "cpu0 500", with: "cpu0 600"))
        }
        #expect(s.disks.value?.isEmpty == true)         // sdb is new, sda is gone: neither has a rate
        #expect(s.network.value?.map(\.name) == ["lo"])
        #expect(s.perCPU.value?.map(\.cpu) == [0])
        let changes = Set(s.changes.map(\.description))
        #expect(changes == ["disk sdb appeared", "disk sda vanished", "interface eth9 appeared",
                            "interface eth0 vanished", "cpu cpu2 appeared", "cpu cpu1 vanished"])
    }

    @Test func recreatedDiskWithNewNumberIsANewDevice() throws {
        let root = try FakeRoot()
        try root.write("proc/diskstats", "   8 0 sdc 100 0 800 10 0 0 0 0 0 10 10\n")
        let s = try interval(root) { r in
            // Same name, new minor, counters restarted: not a "went backwards" delta.
            try r.write("proc/diskstats", "   8 32 sdc 1 0 8 1 0 0 0 0 0 1 1\n")
        }
        #expect(s.disks.value?.isEmpty == true)
        #expect(s.changes.count == 2)
    }

    @Test func missingSourcesAreUnavailableInTheSampleAndInJSON() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        try root.remove("proc/pressure")
        try root.remove("proc/vmstat")
        let s = try interval(root) { _ in }
        #expect(s.ioPressure.unavailableReason?.contains("proc/pressure/io: not present") == true)
        #expect(s.paging.value == nil)
        #expect(s.cpu.value != nil || s.cpu.unavailableReason == "no CPU ticks elapsed")
        let json = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        #expect(json.contains(#""ioPressure":{"unavailable":"#))
        // Round trip keeps the distinction.
        let back = try JSONDecoder().decode(Sample.self, from: Data(json.utf8))
        #expect(back.ioPressure.value == nil && back.memory.value?.total == 24_000_000 * 1024)
    }

    @Test func sourceThatDisappearsMidRunBecomesUnavailable() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        let s = try interval(root) { r in try r.remove("proc/diskstats") }
        #expect(s.disks.unavailableReason?.contains("diskstats") == true)
    }

    @Test func processesFollowedExitAndPidReuse() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        try root.write("proc/100/stat", Fixtures.pidStat(pid: 100, comm: "mqbroker", utime: 0, stime: 0, threads: 40, start: 500, rss: 1000))
        try root.write("proc/100/status", Fixtures.pidStatus(rssKiB: 4000, threads: 40, voluntary: 0, nonvoluntary: 0))
        try root.write("proc/100/io", Fixtures.pidIO(read: 0, write: 0))
        try root.write("proc/200/stat", Fixtures.pidStat(pid: 200, comm: "gen", utime: 0, stime: 0, threads: 2, start: 600, rss: 10))
        try root.write("proc/300/stat", Fixtures.pidStat(pid: 300, comm: "old", utime: 0, stime: 0, threads: 2, start: 700, rss: 10))
        let ticks = Int(Clock.ticksPerSecond)
        let s = try interval(root, pids: [100, 200, 300, 400]) { r in
            try r.write("proc/100/stat", Fixtures.pidStat(pid: 100, comm: "mqbroker", utime: 3 * ticks, stime: ticks, threads: 41, start: 500, rss: 2000))
            try r.write("proc/100/status", Fixtures.pidStatus(rssKiB: 8000, threads: 41, voluntary: 1000, nonvoluntary: 20))
            try r.write("proc/100/io", Fixtures.pidIO(read: 0, write: 20_000_000))
            try r.remove("proc/200")
            try r.write("proc/300/stat", Fixtures.pidStat(pid: 300, comm: "new", utime: 0, stime: 0, threads: 2, start: 900, rss: 10))
        }
        let broker = try #require(s.processes[0].rates.value)
        #expect(broker.cpuPercent.isClose(to: 200) && broker.threads == 41)      // 4 CPU-seconds in 2 s
        #expect(broker.writeBytesPerSecond == .available(10_000_000))
        #expect(broker.voluntarySwitchesPerSecond == .available(500))
        #expect(broker.openFiles.value == nil)    // no fd dir in the fake tree: unavailable, not 0
        #expect(s.processes[1].rates.unavailableReason?.contains("not running") == true)
        #expect(s.processes[2].rates.unavailableReason?.contains("restarted") == true)
        #expect(s.processes[3].rates.unavailableReason?.contains("not running") == true)
        #expect(Set(s.changes.map(\.description)) == ["process 200 vanished", "process 300 appeared"])
    }

    @Test func tableRendersDashesForUnavailable() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        try root.remove("proc/pressure")
        let s = try interval(root) { _ in }
        let text = SampleTable.lines(s, showIdleInterfaces: true).joined(separator: "\n")
        #expect(text.contains("psi-some% cpu - io - mem -"))
        #expect(text.contains("disk sda "))
        #expect(text.contains("net  eth0"))
    }
}

@Suite("Sampler thread")
struct SamplerThreadTests {
    @Test func producesTheRequestedSeriesAndMeasuresItsCost() async throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        let seen = Counter()
        let sampler = Sampler(reader: SnapshotReader(fs: root.fs), interval: 0.05, count: 4) { _ in seen.increment() }
        sampler.start()
        await sampler.finished()
        let series = sampler.series
        #expect(series.map(\.index) == [1, 2, 3, 4])
        #expect(seen.value == 4)
        for s in series { #expect(s.seconds > 0.02 && s.seconds < 1.0) }
        let cost = sampler.cost
        #expect(cost.reads == 5 && cost.cpuSeconds > 0 && cost.wallSeconds >= 0.15)
    }

    @Test func stopEndsAnUnboundedSampler() async throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        let first = Counter()
        let sampler = Sampler(reader: SnapshotReader(fs: root.fs), interval: 0.02) { _ in first.increment() }
        sampler.start()
        // Wait for real progress (not a fixed sleep), then stop.
        while first.value < 2 { await Task.yield() }
        sampler.stop()
        await sampler.finished()
        #expect(sampler.series.count >= 2)
    }
}

/// A thread-safe counter for callbacks that run on the sampling thread.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}

import Synchronization
