import Foundation
import Testing
@testable import Sampler

/// Parses `text` with `parse` through the same buffer path the sampler uses.
func parse<T>(_ text: String, _ parse: (inout ByteScanner) -> T?) throws -> T? {
    let root = try FakeRoot()
    try root.write("f", text)
    var buffer = FileBuffer(capacity: 256)   // small on purpose: exercises growth
    return buffer.read(root.fs.path("f"), parse).value
}

@Suite("Readers")
struct ReaderTests {
    @Test func kernelStatTotalsPerCPUAndCounters() throws {
        let stat = try #require(try parse(Fixtures.stat, KernelStat.parse))
        #expect(stat.total == CPUTimes(user: 1000, nice: 20, system: 300, idle: 5000, iowait: 100, irq: 10, softirq: 40, steal: 5, guest: 50))
        #expect(stat.cpus.keys.sorted() == [0, 1])
        #expect(stat.cpus[1]?.steal == 2)
        #expect(stat.contextSwitches == 987654)
        #expect(stat.interrupts == 123456)
        #expect(stat.procsRunning == 3)
        #expect(stat.procsBlocked == 1)
    }

    @Test func kernelStatOldKernelWithFewerColumnsAndOfflineCPU() throws {
        // 2.6.18-style: 8 columns; CPU 1 offline so only cpu0 and cpu2 appear.
        let text = "cpu 10 0 5 100 1 0 0 0\ncpu0 5 0 2 50 1 0 0 0\ncpu2 5 0 3 50 0 0 0 0\n"
        let stat = try #require(try parse(text, KernelStat.parse))
        #expect(stat.total.guest == 0 && stat.total.steal == 0 && stat.total.idle == 100)
        #expect(stat.cpus.keys.sorted() == [0, 2])
        #expect(stat.contextSwitches == nil)   // absent, not 0
    }

    @Test func kernelStatWithoutCPULineIsRejected() throws {
        #expect(try parse("ctxt 5\n", KernelStat.parse) == nil)
    }

    @Test func missingFileIsUnavailableNotZero() throws {
        let root = try FakeRoot()
        var buffer = FileBuffer()
        let r = buffer.read(root.fs.path("proc/stat"), KernelStat.parse)
        #expect(r.value == nil)
        #expect(r.unavailableReason?.contains("not present") == true)
    }

    @Test func loadAverage() throws {
        let l = try #require(try parse(Fixtures.loadavg, LoadAverage.parse))
        #expect(l == LoadAverage(one: 0.52, five: 0.58, fifteen: 0.59, running: 3, total: 467))
        #expect(try parse("garbage\n", LoadAverage.parse) == nil)
    }

    @Test func memoryInfoInBytesAndMissingFieldsStayNil() throws {
        let m = try #require(try parse(Fixtures.meminfo, MemoryInfo.parse))
        #expect(m.total == 24_000_000 * 1024)
        #expect(m.available == 20_000_000 * 1024)
        #expect(m.dirty == 51200 * 1024)
        #expect(m.activeFile == 4_000_000 * 1024 && m.inactiveFile == 3_000_000 * 1024)
        #expect(m.anonPages == 2_000_000 * 1024 && m.mapped == 300_000 * 1024 && m.shmem == 40_000 * 1024)
        // A 3.10 kernel has no MemAvailable: nil, not 0.
        let old = try #require(try parse("MemTotal: 1000 kB\nMemFree: 500 kB\n", MemoryInfo.parse))
        #expect(old.available == nil && old.free == 500 * 1024)
    }

    @Test func vmstatCounters() throws {
        let v = try #require(try parse(Fixtures.vmstat, VMStat.parse))
        #expect(v.pgmajfault == 10 && v.pgpgin == 1000 && v.pgpgout == 2000 && v.pswpin == 0 && v.pswpout == 0)
        let partial = try #require(try parse("pgpgin 5\n", VMStat.parse))
        #expect(partial.pgmajfault == nil)
    }

    @Test func pressureWithAndWithoutFullLine() throws {
        let io = try #require(try parse(Fixtures.pressureIO, Pressure.parse))
        #expect(io.some == PressureLine(avg10: 1.5, avg60: 0.75, avg300: 0.1, totalMicroseconds: 1_000_000))
        #expect(io.full?.totalMicroseconds == 400_000)
        let cpu = try #require(try parse(Fixtures.pressureCPU, Pressure.parse))
        #expect(cpu.full == nil)
        #expect(try parse("some avg10=1.0\n", Pressure.parse) == nil)  // truncated line
    }

    @Test func diskstatsAllFieldLayouts() throws {
        let text = """
               8       0 sda 1 2 3 4 5 6 7 8 9 10 11
               8      16 sdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
             259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
               3       0 hda 1 2 3 4

            """
        let disks = try #require(try parse(text, DiskCounters.parseAll))
        #expect(disks.map(\.name) == ["sda", "sdb", "nvme0n1"])   // 4-field 2.4 line skipped
        #expect(disks[0].weightedMilliseconds == 11 && disks[0].discardsCompleted == nil && disks[0].flushesCompleted == nil)
        #expect(disks[1].discardsCompleted == 12 && disks[1].discardMilliseconds == 15 && disks[1].flushesCompleted == nil)
        #expect(disks[2].flushesCompleted == 16 && disks[2].flushMilliseconds == 17)
        #expect(disks[2].major == 259 && disks[2].sectorsWritten == 7 && disks[2].ioMilliseconds == 10)
    }

    @Test(arguments: [
        ("sda", DeviceKind.disk), ("sda1", .partition), ("nvme0n1", .disk), ("nvme0n1p2", .partition),
        ("mmcblk0", .disk), ("mmcblk0p1", .partition), ("xvda", .disk), ("xvda3", .partition), ("vdb", .disk),
        ("loop3", .loop), ("ram0", .ram), ("zram0", .ram), ("dm-0", .deviceMapper), ("md127", .raid), ("sr0", .other),
    ])
    func deviceKindFromNameWithoutSysfs(name: String, kind: DeviceKind) {
        #expect(DeviceKind.classify(name: name, isPartition: nil) == kind)
    }

    @Test func sysfsPartitionFlagOverridesTheName() {
        // A disk named like a partition (e.g. a driver called "disk1"), and the reverse.
        #expect(DeviceKind.classify(name: "sda1", isPartition: false) == .disk)
        #expect(DeviceKind.classify(name: "weird", isPartition: true) == .partition)
        #expect(DeviceKind.classify(name: "loop0", isPartition: false) == .loop)
    }

    @Test func netDevIncludingOldNoSpaceFormat() throws {
        let nics = try #require(try parse(Fixtures.netdev, NetworkCounters.parseAll))
        #expect(nics.map(\.name) == ["lo", "eth0"])
        #expect(nics[1].rxBytes == 5_000_000 && nics[1].rxPackets == 4000 && nics[1].rxErrors == 1 && nics[1].rxDrops == 2)
        #expect(nics[1].txBytes == 2_000_000 && nics[1].txPackets == 3000 && nics[1].txDrops == 1)
        let old = "h1\nh2\n  eth1:123 4 0 0 0 0 0 0 456 7 0 0 0 0 0 0\n"
        let o = try #require(try parse(old, NetworkCounters.parseAll))
        #expect(o.first?.name == "eth1" && o.first?.rxBytes == 123 && o.first?.txBytes == 456)
    }

    @Test func linkSpeedKnownUnknownAndHalfDuplex() throws {
        let root = try FakeRoot()
        try root.write("sys/class/net/eth0/speed", "10000\n")
        try root.write("sys/class/net/eth0/duplex", "full\n")
        try root.write("sys/class/net/virt/speed", "-1\n")
        try root.write("sys/class/net/hub/speed", "100\n")
        try root.write("sys/class/net/hub/duplex", "half\n")
        var b = FileBuffer()
        #expect(LinkInfo.read(interface: "eth0", fs: root.fs, buffer: &b) == LinkInfo(speedMbps: 10000, fullDuplex: true))
        #expect(LinkInfo.read(interface: "virt", fs: root.fs, buffer: &b).speedMbps == nil)
        #expect(LinkInfo.read(interface: "lo", fs: root.fs, buffer: &b).speedMbps == nil)   // file absent
        #expect(LinkInfo.read(interface: "hub", fs: root.fs, buffer: &b) == LinkInfo(speedMbps: 100, fullDuplex: false))
    }

    @Test func processStatWithNastyCommandName() throws {
        let line = Fixtures.pidStat(pid: 42, comm: "my (evil) cmd)", utime: 1234, stime: 567, threads: 17, start: 99999, rss: 2048,
                                    minflt: 300, majflt: 7)
        let st = try #require(try parse(line, ProcessStat.parse))
        #expect(st.comm == "my (evil) cmd)")
        #expect(st.utime == 1234 && st.stime == 567 && st.threads == 17 && st.startTime == 99999 && st.rssPages == 2048)
        #expect(st.minorFaults == 300 && st.majorFaults == 7)
        #expect(try parse("42 (truncated) S 1 2", ProcessStat.parse) == nil)
    }

    @Test func processStatusAndIO() throws {
        let s = try #require(try parse(Fixtures.pidStatus(rssKiB: 1000, threads: 9, voluntary: 50, nonvoluntary: 5), ProcessStatus.parse))
        #expect(s.vmRSS == 1000 * 1024 && s.vmHWM == 1100 * 1024 && s.threads == 9)
        #expect(s.voluntarySwitches == 50 && s.nonvoluntarySwitches == 5)
        let io = try #require(try parse(Fixtures.pidIO(read: 4096, write: 8192), ProcessIO.parse))
        #expect(io.readBytes == 4096 && io.writeBytes == 8192 && io.rchar == 8192 && io.wchar == 16384)
    }

    @Test func processCountersReportMissingPiecesSeparately() throws {
        let root = try FakeRoot()
        try root.write("proc/42/stat", Fixtures.pidStat(pid: 42, comm: "broker", utime: 1, stime: 1, threads: 3, start: 5, rss: 10))
        try root.write("proc/42/status", Fixtures.pidStatus(rssKiB: 40, threads: 3, voluntary: 1, nonvoluntary: 1))
        for fd in 0..<5 { try root.write("proc/42/fd/\(fd)", "") }
        var b = FileBuffer()
        let p = try #require(ProcessCounters.read(pid: 42, fs: root.fs, buffer: &b).value)
        #expect(p.openFiles == .available(5))
        #expect(p.io.unavailableReason?.contains("not present") == true)   // no /proc/42/io: unavailable, not 0
        let gone = ProcessCounters.read(pid: 43, fs: root.fs, buffer: &b)
        #expect(gone.unavailableReason?.contains("not running") == true)
    }

    @Test func scannerNumbers() throws {
        let text = "  -17 3.25 18446744073709551615 x"
        let root = try FakeRoot()
        try root.write("n", text)
        var b = FileBuffer()
        _ = b.load(root.fs.path("n"))
        b.withBytes { bytes in
            var s = ByteScanner(bytes)
            #expect(s.signed() == -17)
            #expect(s.decimal() == 3.25)
            #expect(s.unsigned() == UInt64.max)
            #expect(s.unsigned() == nil)
        }
    }

    @Test func largeFileGrowsTheBuffer() throws {
        // /proc/stat's intr line runs to thousands of columns on big machines.
        let intr = "intr 5" + String(repeating: " 0", count: 20_000)
        let text = "cpu 1 0 1 1 0 0 0 0 0 0\n\(intr)\nctxt 77\n"
        let stat = try #require(try parse(text, KernelStat.parse))
        #expect(stat.interrupts == 5 && stat.contextSwitches == 77)
    }
}
