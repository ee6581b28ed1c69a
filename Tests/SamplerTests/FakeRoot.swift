import Foundation
import Sampler

/// A throw-away directory laid out like `/` (proc/, sys/) that tests fill with
/// the exact kernel text they want the readers to see.
final class FakeRoot {
    let url: URL
    var fs: ProcFS { ProcFS(root: url.path) }

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("peakmq-fake-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` at `relative` (e.g. `proc/stat`), creating directories.
    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: false, encoding: .utf8)
    }

    /// Creates a directory (e.g. an empty `sys/class/block/dm-0/slaves`).
    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relative), withIntermediateDirectories: true)
    }

    /// Creates a symlink at `relative` pointing to `target` (relative or absolute).
    func link(_ relative: String, to target: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: target)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relative))
    }

    /// Registers a block device the way the kernel does: the device directory
    /// under sys/devices, /sys/dev/block/MAJ:MIN and /sys/class/block/NAME links.
    /// A partition lives inside its disk's directory and has a `partition` file.
    func blockDevice(_ name: String, major: Int, minor: Int, parent: String? = nil, slaves: [String] = []) throws {
        let dir = parent.map { "sys/devices/virtual/block/\($0)/\(name)" } ?? "sys/devices/virtual/block/\(name)"
        try mkdir(dir)
        if parent != nil { try write(dir + "/partition", "1\n") }
        if !slaves.isEmpty {
            try mkdir(dir + "/slaves")
            for s in slaves { try write(dir + "/slaves/\(s)", "") }
        }
        try link("sys/dev/block/\(major):\(minor)", to: "../../\(dir.dropFirst(4))")
        try link("sys/class/block/\(name)", to: "../../\(dir.dropFirst(4))")
    }
}

/// A standard, self-consistent /proc tree used by several tests.
enum Fixtures {
    static let stat = """
        cpu  1000 20 300 5000 100 10 40 5 50 0
        cpu0 500 10 150 2500 50 5 20 3 25 0
        cpu1 500 10 150 2500 50 5 20 2 25 0
        intr 123456 0 1 2 3
        ctxt 987654
        btime 1700000000
        processes 4242
        procs_running 3
        procs_blocked 1

        """
    static let meminfo = """
        MemTotal:       24000000 kB
        MemFree:         1000000 kB
        MemAvailable:   20000000 kB
        Buffers:           10000 kB
        Cached:          8000000 kB
        SwapCached:            0 kB
        Active(file):    4000000 kB
        Inactive(file):  3000000 kB
        Dirty:             51200 kB
        Writeback:          1024 kB
        AnonPages:       2000000 kB
        Mapped:           300000 kB
        Shmem:             40000 kB
        SwapTotal:             0 kB
        SwapFree:              0 kB

        """
    static let vmstat = "nr_free_pages 123\npgpgin 1000\npgpgout 2000\npswpin 0\npswpout 0\npgfault 99999\npgmajfault 10\n"
    static let loadavg = "0.52 0.58 0.59 3/467 12345\n"
    static let netdev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
          eth0: 5000000    4000    1    2    0     0          0         0  2000000    3000    0    1    0     0       0          0

        """
    static let diskstats = """
           8       0 sda 1000 10 80000 500 2000 20 160000 4000 0 3000 4500 0 0 0 0 0 0
           8       1 sda1 900 10 70000 450 1900 20 150000 3900 0 2900 4300 0 0 0 0 0 0
           7       0 loop0 5 0 10 1 0 0 0 0 0 1 1 0 0 0 0 0 0
         253       0 dm-0 100 0 800 50 100 0 800 50 0 90 100 0 0 0 0 0 0
         251       0 zram0 3 0 24 0 1 0 8 0 0 0 0 0 0 0 0 0 0

        """
    static let pressureIO = "some avg10=1.50 avg60=0.75 avg300=0.10 total=1000000\nfull avg10=0.50 avg60=0.25 avg300=0.05 total=400000\n"
    static let pressureCPU = "some avg10=2.00 avg60=1.00 avg300=0.50 total=3000000\n"

    /// Writes the standard tree into `root`.
    static func install(_ root: FakeRoot) throws {
        try root.write("proc/stat", stat)
        try root.write("proc/meminfo", meminfo)
        try root.write("proc/vmstat", vmstat)
        try root.write("proc/loadavg", loadavg)
        try root.write("proc/net/dev", netdev)
        try root.write("proc/diskstats", diskstats)
        try root.write("proc/pressure/io", pressureIO)
        try root.write("proc/pressure/cpu", pressureCPU)
        try root.write("proc/pressure/memory", pressureIO)
        try root.write("sys/class/net/eth0/speed", "1000\n")
        try root.write("sys/class/net/eth0/duplex", "full\n")
        try root.blockDevice("sda", major: 8, minor: 0)
        try root.blockDevice("sda1", major: 8, minor: 1, parent: "sda")
    }

    /// A /proc/PID/stat line with the given times (fields per proc(5)).
    static func pidStat(pid: Int, comm: String, utime: Int, stime: Int, threads: Int, start: Int, rss: Int,
                        minflt: Int = 100, majflt: Int = 2) -> String {
        "\(pid) (\(comm)) S 1 \(pid) \(pid) 0 -1 4194560 \(minflt) 0 \(majflt) 0 \(utime) \(stime) 0 0 20 0 \(threads) 0 \(start) 123456789 \(rss) 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
    }

    static func pidStatus(rssKiB: Int, threads: Int, voluntary: Int, nonvoluntary: Int) -> String {
        "Name:\tbroker\nState:\tS (sleeping)\nVmHWM:\t\(rssKiB + 100) kB\nVmRSS:\t\(rssKiB) kB\nThreads:\t\(threads)\nvoluntary_ctxt_switches:\t\(voluntary)\nnonvoluntary_ctxt_switches:\t\(nonvoluntary)\n"
    }

    static func pidIO(read: Int, write: Int) -> String {
        "rchar: \(read * 2)\nwchar: \(write * 2)\nsyscr: 10\nsyscw: 20\nread_bytes: \(read)\nwrite_bytes: \(write)\ncancelled_write_bytes: 0\n"
    }
}

extension Double {
    /// |self − other| ≤ tolerance.
    func isClose(to other: Double, within tolerance: Double = 1e-9) -> Bool {
        abs(self - other) <= tolerance
    }
}
