#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Everything read about one process in one tick.
public struct ProcessCounters: Sendable, Equatable {
    public var pid: Int32
    public var stat: ProcessStat
    public var status: Reading<ProcessStatus>
    public var io: Reading<ProcessIO>
    public var openFiles: Reading<Int>

    public init(pid: Int32, stat: ProcessStat, status: Reading<ProcessStatus>, io: Reading<ProcessIO>, openFiles: Reading<Int>) {
        self.pid = pid; self.stat = stat; self.status = status; self.io = io; self.openFiles = openFiles
    }

    /// Reads /proc/PID/{stat,status,io,fd}. The process is unavailable only when
    /// `stat` is (it exited); `io` and `fd` are commonly unreadable for other
    /// users' processes and are reported as such on their own.
    public static func read(pid: Int32, fs: ProcFS, buffer: inout FileBuffer) -> Reading<ProcessCounters> {
        let base = fs.path("proc/\(pid)")
        let stat = buffer.read(base + "/stat", ProcessStat.parse)
        guard case .available(let st) = stat else {
            return .unavailable("process \(pid) not running (\(stat.unavailableReason ?? "?"))")
        }
        let status = buffer.read(base + "/status", ProcessStatus.parse)
        let io = buffer.read(base + "/io", ProcessIO.parse)
        return .available(ProcessCounters(pid: pid, stat: st, status: status, io: io,
                                          openFiles: countEntries(base + "/fd")))
    }

    /// Number of open descriptors: the entries of /proc/PID/fd.
    ///
    /// `readdir` without `stat`-ing each entry keeps this cheap even for a broker
    /// with tens of thousands of sockets and segment files.
    static func countEntries(_ path: String) -> Reading<Int> {
        guard let dir = opendir(path) else {
            return .unavailable(FileBuffer.describe(errno, path))
        }
        defer { closedir(dir) }
        var n = 0
        while let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw[0] == 0x2E && (raw[1] == 0 || (raw[1] == 0x2E && raw[2] == 0))
            }
            if !isDot { n += 1 }
        }
        return .available(n)
    }
}
