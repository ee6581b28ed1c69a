import Foundation
import Testing
@testable import Sampler

/// The sampler against sysstat over the same window, under a CPU burn in a child
/// process, fsync'd file writes and a loopback TCP stream.
///
/// Both sides read the same kernel counters, so the only legitimate differences
/// are the few milliseconds between the tools' reads and ours; the loads are
/// paced to be steady so that offset cannot move a rate by more than the
/// tolerance (2 percentage points for CPU, 5 % for throughput).
@Suite("Accuracy against sysstat", .serialized)
struct AccuracyTests {
    static let window = 3

    @Test(.timeLimit(.minutes(1)))
    func agreesWithSarIostatAndPidstat() throws {
        let paths: [String: String]
        switch Sysstat.ensureInstalled() {
        case .success(let p): paths = p
        case .failure(let missing):
            Issue.record("\(missing)")
            return
        }
        // The temp directory may be a tmpfs; fall back to the working directory (the checkout).
        let candidates = [FileManager.default.temporaryDirectory.path, FileManager.default.currentDirectoryPath]
        let placed = candidates.lazy.compactMap { dir in BlockTopology().disks(holding: dir).value?.first.map { (dir, $0) } }.first
        let (tmp, disk) = try #require(placed, "none of \(candidates) is on a block device; the disk comparison needs one")

        let burner = try CPUBurner()
        defer { burner.stop() }
        let writer = try DiskWriter(directory: tmp, bytesPerSecond: 32 * 1_048_576)
        defer { writer.stop() }
        let transfer = try LoopbackTransfer(bytesPerSecond: 48 * 1_048_576)
        defer { transfer.stop() }
        writer.waitUntilRunning()
        transfer.waitUntilRunning()

        let me = getpid()
        var reader = SnapshotReader(pids: [burner.pid, me], storeDisks: [disk])
        let w = "\(Self.window)"
        // Started together; each takes its first reading as it starts, as do we.
        let sar = try Sysstat.start(paths["sar"]!, ["-u", "ALL", "-n", "DEV", w, "1"])
        let iostat = try Sysstat.start(paths["iostat"]!, ["-d", "-x", "-y", "-o", "JSON", disk, w, "1"])
        let pidstat = try Sysstat.start(paths["pidstat"]!, ["-u", "-r", "-d", "-h", "-p", "\(burner.pid),\(me)", w, "1"])
        let first = reader.read()
        // Waiting for the sampling interval itself to elapse.
        Thread.sleep(forTimeInterval: first.monotonic + Double(Self.window) - Clock.monotonic())
        let last = reader.read()
        let sample = Sample.between(first, last, index: 1)
        let sarText = sar.finish(), iostatText = iostat.finish(), pidstatText = pidstat.finish()

        var report: [String] = []
        func close(_ what: String, ours: Double, theirs: Double, points: Double) {
            report.append("\(what): sampler \(TextFormat.fixed(ours, 2)) sysstat \(TextFormat.fixed(theirs, 2)) (Δ \(TextFormat.fixed(ours - theirs, 2)) pp)")
            #expect(abs(ours - theirs) <= points, "\(what): sampler \(ours) vs sysstat \(theirs)")
        }
        func near(_ what: String, ours: Double, theirs: Double, relative: Double, minimum: Double) {
            let rel = theirs > 0 ? (ours - theirs) / theirs : .infinity
            report.append("\(what): sampler \(TextFormat.fixed(ours, 1)) sysstat \(TextFormat.fixed(theirs, 1)) (Δ \(TextFormat.fixed(rel * 100, 2)) %)")
            #expect(theirs >= minimum, "\(what): load too small to compare (\(theirs))")
            #expect(abs(rel) <= relative, "\(what): sampler \(ours) vs sysstat \(theirs)")
        }

        // sar -u ALL: %usr excludes guest, %sys excludes irq/softirq, like CPUUsage.
        let sarCPU = try #require(Sysstat.table(sarText, headerMarker: "%usr", prefix: "Average:").first { $0["CPU"] == "all" },
                                  "no CPU row in sar output:\n\(sarText)")
        let cpu = try #require(sample.cpu.value)
        close("cpu %usr", ours: cpu.user, theirs: Double(sarCPU["%usr"]!)!, points: 2)
        close("cpu %sys", ours: cpu.system, theirs: Double(sarCPU["%sys"]!)!, points: 2)
        close("cpu %iowait", ours: cpu.iowait, theirs: Double(sarCPU["%iowait"]!)!, points: 2)
        close("cpu %soft", ours: cpu.softirq, theirs: Double(sarCPU["%soft"]!)!, points: 2)
        close("cpu %idle", ours: cpu.idle, theirs: Double(sarCPU["%idle"]!)!, points: 2)

        // sar -n DEV: kB = 1024 bytes.
        let sarLo = try #require(Sysstat.table(sarText, headerMarker: "IFACE", prefix: "Average:").first { $0["IFACE"] == "lo" },
                                 "no lo row in sar output:\n\(sarText)")
        let lo = try #require(sample.network.value?.first { $0.name == "lo" })
        near("lo rxkB/s", ours: lo.rxBytesPerSecond / 1024, theirs: Double(sarLo["rxkB/s"]!)!, relative: 0.05, minimum: 10_000)
        near("lo txkB/s", ours: lo.txBytesPerSecond / 1024, theirs: Double(sarLo["txkB/s"]!)!, relative: 0.05, minimum: 10_000)

        // iostat -dx: w/s, wkB/s.
        let io = try #require(Sysstat.iostatDevice(iostatText, disk), "no \(disk) in iostat output:\n\(iostatText)")
        let d = try #require(sample.disks.value?.first { $0.name == disk })
        near("\(disk) wkB/s", ours: d.writeBytesPerSecond / 1024, theirs: io["wkB/s"]!, relative: 0.05, minimum: 5_000)
        near("\(disk) w/s", ours: d.writesPerSecond, theirs: io["w/s"]!, relative: 0.05, minimum: 20)
        report.append("\(disk) %util: sampler \(TextFormat.fixed(d.utilisation, 2)) iostat \(TextFormat.fixed(io["util"] ?? -1, 2)); aqu-sz \(TextFormat.fixed(d.averageQueueSize, 2)) vs \(TextFormat.fixed(io["aqu-sz"] ?? -1, 2))")

        // pidstat -u -r -d per process.
        let rows = Sysstat.pidstatRows(pidstatText)
        let burnRow = try #require(rows["\(burner.pid)"], "burner missing from pidstat output:\n\(pidstatText)")
        let meRow = try #require(rows["\(me)"], "test process missing from pidstat output:\n\(pidstatText)")
        let burn = try #require(sample.processes[0].rates.value)
        let mine = try #require(sample.processes[1].rates.value)
        close("burner %CPU", ours: burn.cpuPercent, theirs: Double(burnRow["%CPU"]!)!, points: 2)
        close("test process %CPU", ours: mine.cpuPercent, theirs: Double(meRow["%CPU"]!)!, points: 2)
        #expect(burn.cpuPercent > 20, "the CPU burner hardly ran (\(burn.cpuPercent) %)")
        near("burner RSS kB", ours: Double(burn.rssBytes) / 1024, theirs: Double(burnRow["RSS"]!)!, relative: 0.05, minimum: 100)
        let myWrites = try #require(mine.writeBytesPerSecond.value)
        near("test process kB_wr/s", ours: myWrites / 1024, theirs: Double(meRow["kB_wr/s"]!)!, relative: 0.05, minimum: 5_000)

        print("ACCURACY over \(TextFormat.fixed(sample.seconds, 3)) s\n  " + report.joined(separator: "\n  "))
    }
}
