import Testing
@testable import Sampler

@Suite("Delta formulas")
struct DeltaTests {
    @Test func cpuPercentagesFollowSysstat() throws {
        let a = CPUTimes(user: 100, nice: 0, system: 50, idle: 800, iowait: 10, irq: 0, softirq: 5, steal: 0, guest: 0)
        // +200 ticks total: user 60 (of which guest 20), system 20, idle 100, iowait 10, softirq 5, steal 5.
        let b = CPUTimes(user: 160, nice: 0, system: 70, idle: 900, iowait: 20, irq: 0, softirq: 10, steal: 5, guest: 20)
        let u = try #require(CPUUsage.between(a, b, cpu: nil))
        // total = 60+0+20+100+10+0+5+5 = 200 (guest not added again)
        #expect(u.user.isClose(to: 20))       // (60−20)/200
        #expect(u.guest.isClose(to: 10))
        #expect(u.system.isClose(to: 10))
        #expect(u.idle.isClose(to: 50))
        #expect(u.iowait.isClose(to: 5))
        #expect(u.softirq.isClose(to: 2.5) && u.steal.isClose(to: 2.5))
        #expect(u.busy.isClose(to: 45))       // 100 − idle − iowait
        #expect(u.anomalies.isEmpty)
    }

    @Test func cpuIowaitGoingBackwardsIsClampedAndFlagged() throws {
        let a = CPUTimes(user: 100, system: 0, idle: 100, iowait: 50)
        let b = CPUTimes(user: 150, system: 0, idle: 150, iowait: 40)
        let u = try #require(CPUUsage.between(a, b, cpu: 3))
        #expect(u.iowait == 0)
        #expect(u.user.isClose(to: 50) && u.idle.isClose(to: 50))
        #expect(u.anomalies == [CounterAnomaly(field: "cpu3.iowait", kind: .wentBackwards)])
        #expect(CPUUsage.between(a, a, cpu: 0) == nil)    // no tick elapsed: no percentage
    }

    @Test func diskRatesFollowIostat() throws {
        var a = DiskCounters(major: 8, minor: 0, name: "sda")
        a.readsCompleted = 100; a.sectorsRead = 1000; a.readMilliseconds = 50
        a.writesCompleted = 200; a.sectorsWritten = 4000; a.writeMilliseconds = 100
        a.ioMilliseconds = 1000; a.weightedMilliseconds = 2000; a.readsMerged = 1; a.writesMerged = 2
        var b = a
        b.readsCompleted = 300; b.sectorsRead = 5096; b.readMilliseconds = 450     // 200 reads, 4096 sectors, 400 ms
        b.writesCompleted = 600; b.sectorsWritten = 12192; b.writeMilliseconds = 900 // 400 writes, 8192 sectors, 800 ms
        b.ioMilliseconds = 1500; b.weightedMilliseconds = 3000; b.inFlight = 2; b.readsMerged = 5; b.writesMerged = 12
        let r = DiskRates.between(a, b, seconds: 2, holdsStore: true)
        #expect(r.readsPerSecond.isClose(to: 100) && r.writesPerSecond.isClose(to: 200))
        #expect(r.readBytesPerSecond.isClose(to: 4096 * 512 / 2))
        #expect(r.writeBytesPerSecond.isClose(to: 8192 * 512 / 2))
        #expect(r.readAwaitMilliseconds == 2 && r.writeAwaitMilliseconds == 2)
        #expect(r.averageQueueSize.isClose(to: 0.5))   // 1000 weighted ms / 2000 ms
        #expect(r.utilisation.isClose(to: 25))         // 500 / 2000 × 100
        #expect(r.readMergesPerSecond.isClose(to: 2) && r.writeMergesPerSecond.isClose(to: 5))
        #expect(r.holdsStore && r.inFlight == 2 && r.anomalies.isEmpty)
    }

    @Test func diskWithoutIOHasNoAwaitRatherThanZero() {
        let a = DiskCounters(major: 8, minor: 0, name: "sda")
        let r = DiskRates.between(a, a, seconds: 1, holdsStore: false)
        #expect(r.readAwaitMilliseconds == nil && r.writeAwaitMilliseconds == nil)
        #expect(r.utilisation == 0)
    }

    @Test func disk32BitMillisecondFieldsWrap() {
        var a = DiskCounters(major: 8, minor: 0, name: "sda")
        a.ioMilliseconds = UInt64(UInt32.max) - 99      // 100 ms before the wrap
        a.writeMilliseconds = UInt64(UInt32.max) - 9
        a.writesCompleted = 10
        var b = a
        b.ioMilliseconds = 400                          // 100 to the wrap + 400 = 500 ms later
        b.writeMilliseconds = 10                        // 10 + 10 = 20 ms
        b.writesCompleted = 20
        let r = DiskRates.between(a, b, seconds: 1, holdsStore: false)
        #expect(r.utilisation.isClose(to: 50))
        #expect(r.writeAwaitMilliseconds == 2)
        #expect(r.anomalies.map(\.kind) == [.wrapped32, .wrapped32])
        #expect(r.anomalies.map(\.field) == ["sda.write_ms", "sda.io_ticks"])
    }

    @Test func diskCountersGoingBackwardsAreClampedAndUtilCapped() {
        var a = DiskCounters(major: 8, minor: 0, name: "sda")
        a.sectorsWritten = 10_000; a.ioMilliseconds = 5000
        var b = a
        b.sectorsWritten = 100          // device reset: 64-bit field went back
        b.ioMilliseconds = 4000         // 32-bit field back by a small amount: not a wrap
        var c = a
        c.ioMilliseconds = 7500         // 2500 ms of busy time in a 2 s interval (jiffy rounding)
        let back = DiskRates.between(a, b, seconds: 1, holdsStore: false)
        #expect(back.writeBytesPerSecond == 0 && back.utilisation == 0)
        #expect(back.anomalies.allSatisfy { $0.kind == .wentBackwards } && back.anomalies.count == 2)
        #expect(DiskRates.between(a, c, seconds: 2, holdsStore: false).utilisation == 100)
    }

    @Test func networkRatesAndInterfaceUtilisation() {
        var a = NetworkCounters(name: "eth0")
        a.rxBytes = 0; a.txBytes = 0
        var b = a
        b.rxBytes = 250_000_000; b.txBytes = 50_000_000; b.rxPackets = 1000; b.txDrops = 4
        b.link = LinkInfo(speedMbps: 1000, fullDuplex: true)
        let full = NetworkRates.between(a, b, seconds: 2)
        #expect(full.rxBytesPerSecond == 125_000_000 && full.txBytesPerSecond == 25_000_000)
        #expect(full.rxPacketsPerSecond == 500 && full.txDropsPerSecond == 2)
        #expect(full.utilisation.map { $0.isClose(to: 100) } == true)   // max(rx,tx)·8 / 1 Gb/s
        b.link = LinkInfo(speedMbps: 10000, fullDuplex: false)
        #expect(NetworkRates.between(a, b, seconds: 2).utilisation.map { $0.isClose(to: 12) } == true) // (rx+tx)·8 / 10 Gb/s
        b.link = LinkInfo(speedMbps: nil, fullDuplex: true)
        #expect(NetworkRates.between(a, b, seconds: 2).utilisation == nil)
    }

    @Test func networkCounterResetIsFlagged() {
        var a = NetworkCounters(name: "veth1")
        a.rxBytes = 1_000_000
        var b = a
        b.rxBytes = 10
        let r = NetworkRates.between(a, b, seconds: 1)
        #expect(r.rxBytesPerSecond == 0)
        #expect(r.anomalies == [CounterAnomaly(field: "veth1.rx_bytes", kind: .wentBackwards)])
    }

    @Test func processRatesLikePidstat() throws {
        let hz = Clock.ticksPerSecond
        func counters(utime: UInt64, stime: UInt64, vol: UInt64, io: Reading<ProcessIO>) -> ProcessCounters {
            var status = ProcessStatus()
            status.voluntarySwitches = vol; status.nonvoluntarySwitches = vol / 10
            return ProcessCounters(pid: 7, stat: ProcessStat(comm: "broker", minorFaults: 0, majorFaults: 0, utime: utime, stime: stime,
                                                             threads: 12, startTime: 1, rssPages: 256),
                                   status: .available(status), io: io, openFiles: .available(33))
        }
        let a = counters(utime: 0, stime: 0, vol: 100, io: .available(ProcessIO(rchar: 0, wchar: 0, readBytes: 0, writeBytes: 0, cancelledWriteBytes: 0)))
        // 2 s: 1.5 s user + 0.5 s system = 100 % of one core.
        let b = counters(utime: UInt64(1.5 * hz), stime: UInt64(0.5 * hz), vol: 300,
                         io: .available(ProcessIO(rchar: 0, wchar: 0, readBytes: 2048, writeBytes: 4_000_000, cancelledWriteBytes: 0)))
        let r = ProcessRates.between(a, b, seconds: 2)
        #expect(r.cpuPercent.isClose(to: 100) && r.userPercent.isClose(to: 75) && r.systemPercent.isClose(to: 25))
        #expect(r.rssBytes == 256 * Clock.pageSize && r.threads == 12)
        #expect(r.voluntarySwitchesPerSecond == .available(100) && r.nonvoluntarySwitchesPerSecond == .available(10))
        #expect(r.readBytesPerSecond == .available(1024) && r.writeBytesPerSecond == .available(2_000_000))
        #expect(r.openFiles == .available(33))
        // Without permission for /proc/PID/io, I/O rates are unavailable (not 0).
        let c = counters(utime: 300, stime: 100, vol: 400, io: .unavailable("/proc/7/io: permission denied"))
        #expect(ProcessRates.between(b, c, seconds: 1).writeBytesPerSecond.unavailableReason == "/proc/7/io: permission denied")
    }

    @Test func genericCounterWidthRules() {
        var s = CounterSteps()
        #expect(s.step("a", 5, 9) == 4)
        #expect(s.step("b", UInt64(UInt32.max), 3, width: .bits32) == 4)
        #expect(s.step("c", 1000, 900, width: .bits32) == 0)
        // A value above 2^32 proves the field is really 64-bit: no wrap guess.
        #expect(s.step("d", 1 << 33, 5, width: .bits32) == 0)
        #expect(s.step("e", 10, 5) == 0)
        #expect(s.anomalies.map(\.kind) == [.wrapped32, .wentBackwards, .wentBackwards, .wentBackwards])
    }
}
