/// One CPU line of /proc/stat, in clock ticks (USER_HZ) since boot.
///
/// `guest` and `guestNice` are already included in `user` and `nice` by the
/// kernel; they are kept so the percentages can separate them like sysstat does.
public struct CPUTimes: Sendable, Equatable, Codable {
    public var user: UInt64 = 0
    public var nice: UInt64 = 0
    public var system: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var irq: UInt64 = 0
    public var softirq: UInt64 = 0
    public var steal: UInt64 = 0
    public var guest: UInt64 = 0
    public var guestNice: UInt64 = 0

    public init() {}

    /// Memberwise initialiser used by tests and fake trees.
    public init(user: UInt64, nice: UInt64 = 0, system: UInt64, idle: UInt64, iowait: UInt64 = 0,
                irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0, guest: UInt64 = 0, guestNice: UInt64 = 0) {
        self.user = user; self.nice = nice; self.system = system; self.idle = idle
        self.iowait = iowait; self.irq = irq; self.softirq = softirq; self.steal = steal
        self.guest = guest; self.guestNice = guestNice
    }
}

/// The parsed content of /proc/stat.
public struct KernelStat: Sendable, Equatable {
    /// The aggregate `cpu` line.
    public var total = CPUTimes()
    /// Per-CPU lines keyed by CPU number. Offline CPUs are absent (hotplug),
    /// which is why this is a dictionary and not an array.
    public var cpus: [Int: CPUTimes] = [:]
    /// `ctxt`: context switches since boot.
    public var contextSwitches: UInt64?
    /// First number of `intr`: interrupts serviced since boot.
    public var interrupts: UInt64?
    /// `procs_running`: runnable tasks now.
    public var procsRunning: UInt64?
    /// `procs_blocked`: tasks blocked on I/O now.
    public var procsBlocked: UInt64?

    public init() {}

    /// Parses /proc/stat. Returns `nil` if the aggregate `cpu` line is missing.
    public static func parse(_ s: inout ByteScanner) -> KernelStat? {
        var stat = KernelStat()
        var sawTotal = false
        while !s.atEnd {
            let key = s.token()
            if key.equals("cpu") {
                stat.total = parseTimes(&s)
                sawTotal = true
            } else if key.hasPrefix("cpu") {
                var n = 0
                var valid = key.count > 3
                for b in key[3...] {
                    guard b >= 0x30, b <= 0x39 else { valid = false; break }
                    n = n * 10 + Int(b - 0x30)
                }
                if valid { stat.cpus[n] = parseTimes(&s) }
            } else if key.equals("ctxt") {
                stat.contextSwitches = s.unsigned()
            } else if key.equals("intr") {
                // Only the total; the per-IRQ columns can run to thousands of numbers.
                stat.interrupts = s.unsigned()
            } else if key.equals("procs_running") {
                stat.procsRunning = s.unsigned()
            } else if key.equals("procs_blocked") {
                stat.procsBlocked = s.unsigned()
            }
            s.nextLine()
        }
        return sawTotal ? stat : nil
    }

    /// Reads up to ten columns; columns a kernel does not have yet stay 0
    /// (iowait/irq/softirq since 2.6, steal 2.6.11, guest 2.6.24, guest_nice 2.6.33).
    private static func parseTimes(_ s: inout ByteScanner) -> CPUTimes {
        var t = CPUTimes()
        t.user = s.unsigned() ?? 0
        t.nice = s.unsigned() ?? 0
        t.system = s.unsigned() ?? 0
        t.idle = s.unsigned() ?? 0
        t.iowait = s.unsigned() ?? 0
        t.irq = s.unsigned() ?? 0
        t.softirq = s.unsigned() ?? 0
        t.steal = s.unsigned() ?? 0
        t.guest = s.unsigned() ?? 0
        t.guestNice = s.unsigned() ?? 0
        return t
    }
}
