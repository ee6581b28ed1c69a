/// CPU utilisation over one interval, in percent of the CPU(s) described.
///
/// Formulas follow sysstat (`rd_stats.c:get_per_cpu_interval`, `sar -u ALL`):
/// the interval total is user+nice+system+idle+iowait+irq+softirq+steal (guest
/// time is already inside user/nice, so it is not added again); `user` and
/// `nice` exclude guest time; `busy` is everything but idle and iowait.
public struct CPUUsage: Sendable, Equatable, Codable {
    /// CPU number, or `nil` for the all-CPU aggregate.
    public var cpu: Int?
    public var user: Double
    public var nice: Double
    public var system: Double
    public var iowait: Double
    public var irq: Double
    public var softirq: Double
    public var steal: Double
    public var guest: Double
    public var guestNice: Double
    public var idle: Double
    /// 100 − idle − iowait.
    public var busy: Double
    /// Counters that went backwards in this interval (usually iowait).
    public var anomalies: [CounterAnomaly]

    /// Computes usage between two reads of the same CPU line. Returns `nil` when
    /// no tick elapsed (e.g. two reads within one jiffy, or an offline CPU).
    public static func between(_ old: CPUTimes, _ new: CPUTimes, cpu: Int?) -> CPUUsage? {
        var steps = CounterSteps()
        let label = cpu.map { "cpu\($0)" } ?? "cpu"
        let user = steps.step("\(label).user", old.user, new.user)
        let nice = steps.step("\(label).nice", old.nice, new.nice)
        let system = steps.step("\(label).system", old.system, new.system)
        let idle = steps.step("\(label).idle", old.idle, new.idle)
        let iowait = steps.step("\(label).iowait", old.iowait, new.iowait)
        let irq = steps.step("\(label).irq", old.irq, new.irq)
        let softirq = steps.step("\(label).softirq", old.softirq, new.softirq)
        let steal = steps.step("\(label).steal", old.steal, new.steal)
        let guest = steps.step("\(label).guest", old.guest, new.guest)
        let guestNice = steps.step("\(label).guest_nice", old.guestNice, new.guestNice)
        let total = user + nice + system + idle + iowait + irq + softirq + steal
        guard total > 0 else { return nil }
        let t = Double(total)
        func pct(_ v: UInt64) -> Double { Double(v) * 100 / t }
        // Guest time is inside user/nice; subtracting it can only go negative if
        // the two counters were sampled inconsistently, so floor at zero.
        let userOnly = user >= guest ? user - guest : 0
        let niceOnly = nice >= guestNice ? nice - guestNice : 0
        return CPUUsage(cpu: cpu, user: pct(userOnly), nice: pct(niceOnly), system: pct(system),
                        iowait: pct(iowait), irq: pct(irq), softirq: pct(softirq), steal: pct(steal),
                        guest: pct(guest), guestNice: pct(guestNice), idle: pct(idle),
                        busy: pct(total - idle - iowait), anomalies: steps.anomalies)
    }
}
