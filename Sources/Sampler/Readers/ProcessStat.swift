/// The fields of /proc/PID/stat the sampler uses.
///
/// Fields are counted after the last `)`, because the command name in
/// parentheses may contain spaces and parentheses itself.
public struct ProcessStat: Sendable, Equatable {
    public var comm: String
    public var minorFaults: UInt64
    public var majorFaults: UInt64
    /// User and system CPU time in clock ticks.
    public var utime: UInt64
    public var stime: UInt64
    public var threads: UInt64
    /// Start time in ticks since boot: with the PID it identifies the process,
    /// so a reused PID is recognised as a new process rather than a counter reset.
    public var startTime: UInt64
    /// Resident set in pages.
    public var rssPages: UInt64

    public init(comm: String, minorFaults: UInt64, majorFaults: UInt64, utime: UInt64, stime: UInt64,
                threads: UInt64, startTime: UInt64, rssPages: UInt64) {
        self.comm = comm; self.minorFaults = minorFaults; self.majorFaults = majorFaults
        self.utime = utime; self.stime = stime; self.threads = threads
        self.startTime = startTime; self.rssPages = rssPages
    }

    public static func parse(_ s: inout ByteScanner) -> ProcessStat? {
        guard s.seekPast(UInt8(ascii: "(")) else { return nil }
        let commStart = s.position
        guard s.seekPastLast(UInt8(ascii: ")")) else { return nil }
        let comm = s.text(from: commStart, to: s.position - 1)
        // Now at field 3 (state). 1-based field numbers from proc(5).
        s.skipFields(1 + 6)                       // 3 state … 9 flags
        guard let minflt = s.unsigned() else { return nil }  // 10
        s.skipFields(1)                           // 11 cminflt
        guard let majflt = s.unsigned() else { return nil }  // 12
        s.skipFields(1)                           // 13 cmajflt
        guard let utime = s.unsigned(), let stime = s.unsigned() else { return nil } // 14, 15
        s.skipFields(4)                           // 16 cutime … 19 nice
        guard let threads = s.unsigned() else { return nil } // 20
        s.skipFields(1)                           // 21 itrealvalue
        guard let start = s.unsigned() else { return nil }   // 22
        s.skipFields(1)                           // 23 vsize
        guard let rss = s.unsigned() else { return nil }     // 24
        return ProcessStat(comm: comm, minorFaults: minflt, majorFaults: majflt, utime: utime, stime: stime,
                           threads: threads, startTime: start, rssPages: rss)
    }
}

/// The fields of /proc/PID/status the sampler uses (memory in bytes).
public struct ProcessStatus: Sendable, Equatable {
    public var vmRSS: UInt64?
    public var vmHWM: UInt64?
    public var threads: UInt64?
    public var voluntarySwitches: UInt64?
    public var nonvoluntarySwitches: UInt64?

    public init() {}

    public static func parse(_ s: inout ByteScanner) -> ProcessStatus? {
        var st = ProcessStatus()
        var any = false
        s.forEachKeyedNumber { key, v in
            switch true {
            case key.equals("VmRSS"): st.vmRSS = v &* 1024; any = true
            case key.equals("VmHWM"): st.vmHWM = v &* 1024
            case key.equals("Threads"): st.threads = v; any = true
            case key.equals("voluntary_ctxt_switches"): st.voluntarySwitches = v
            case key.equals("nonvoluntary_ctxt_switches"): st.nonvoluntarySwitches = v
            default: break
            }
        }
        return any ? st : nil
    }
}

/// /proc/PID/io (needs CONFIG_TASK_IO_ACCOUNTING and ownership or root).
public struct ProcessIO: Sendable, Equatable {
    /// Bytes passed to read()/write(), page-cache hits included.
    public var rchar: UInt64
    public var wchar: UInt64
    /// Bytes really fetched from storage / sent to it (counted when pages are dirtied).
    public var readBytes: UInt64
    public var writeBytes: UInt64
    /// Dirty bytes that were truncated before write-back.
    public var cancelledWriteBytes: UInt64

    public init(rchar: UInt64, wchar: UInt64, readBytes: UInt64, writeBytes: UInt64, cancelledWriteBytes: UInt64) {
        self.rchar = rchar; self.wchar = wchar; self.readBytes = readBytes
        self.writeBytes = writeBytes; self.cancelledWriteBytes = cancelledWriteBytes
    }

    public static func parse(_ s: inout ByteScanner) -> ProcessIO? {
        var values: [UInt64?] = [nil, nil, nil, nil, nil]
        s.forEachKeyedNumber { key, v in
            switch true {
            case key.equals("rchar"): values[0] = v
            case key.equals("wchar"): values[1] = v
            case key.equals("read_bytes"): values[2] = v
            case key.equals("write_bytes"): values[3] = v
            case key.equals("cancelled_write_bytes"): values[4] = v
            default: break
            }
        }
        guard let rc = values[0], let wc = values[1], let rb = values[2], let wb = values[3] else { return nil }
        return ProcessIO(rchar: rc, wchar: wc, readBytes: rb, writeBytes: wb, cancelledWriteBytes: values[4] ?? 0)
    }
}
