/// Renders samples as a compact block per interval, in the spirit of `sar`
/// and `pidstat`: one CPU/memory line, then one line per disk, interface and
/// monitored process. Unavailable values print as `-`, never as 0.
public enum SampleTable {
    /// MiB, the unit sysstat calls "MB" in rMB/s and wMB/s.
    static let mib = 1024.0 * 1024.0

    /// The lines for one sample. Interfaces listed in `quietInterfaces` are shown
    /// only when they carried traffic (to keep idle `lo`/bridges out of the way).
    public static func lines(_ s: Sample, showIdleInterfaces: Bool = false) -> [String] {
        typealias F = TextFormat
        var out: [String] = []
        let t = F.clock(s.time) + " UTC"
        let cpu = s.cpu.value.map {
            "usr \(F.pad(F.fixed($0.user, 1), 5)) sys \(F.pad(F.fixed($0.system, 1), 5)) iow \(F.pad(F.fixed($0.iowait, 1), 5)) "
                + "soft \(F.pad(F.fixed($0.softirq, 1), 4)) steal \(F.pad(F.fixed($0.steal, 1), 4)) busy \(F.pad(F.fixed($0.busy, 1), 5))"
        } ?? "cpu unavailable (\(s.cpu.unavailableReason ?? ""))"
        let ctx = F.reading(s.contextSwitchesPerSecond) { F.fixed($0, 0) }
        let load = F.reading(s.load) { F.fixed($0.one, 2) }
        out.append("\(t) cpu  \(cpu) | cs/s \(ctx) load1 \(load)")
        let mem = s.memory.value.map { m in
            "avail \(m.available.map { F.bytes(Double($0)) } ?? "-") cached \(m.cached.map { F.bytes(Double($0)) } ?? "-") "
                + "dirty \(m.dirty.map { F.bytes(Double($0)) } ?? "-") wb \(m.writeback.map { F.bytes(Double($0)) } ?? "-")"
        } ?? "unavailable"
        let majflt = s.paging.value.map { F.reading($0.majorFaultsPerSecond) { F.fixed($0, 0) } } ?? "-"
        let psi = [("cpu", s.cpuPressure), ("io", s.ioPressure), ("mem", s.memoryPressure)]
            .map { "\($0.0) \(F.reading($0.1) { F.fixed($0.someStallPercent, 1) })" }.joined(separator: " ")
        out.append("             mem  \(mem) majflt/s \(majflt) | psi-some% \(psi)")
        switch s.disks {
        case .available(let disks):
            for d in disks {
                let name = d.name + (d.holdsStore ? "*" : "")
                out.append("             disk \(F.padRight(name, 8)) r/s \(F.pad(F.fixed(d.readsPerSecond, 1), 7)) w/s \(F.pad(F.fixed(d.writesPerSecond, 1), 7)) "
                    + "rMB/s \(F.pad(F.fixed(d.readBytesPerSecond / mib, 2), 7)) wMB/s \(F.pad(F.fixed(d.writeBytesPerSecond / mib, 2), 7)) "
                    + "r_await \(d.readAwaitMilliseconds.map { F.fixed($0, 2) } ?? "-") w_await \(d.writeAwaitMilliseconds.map { F.fixed($0, 2) } ?? "-") "
                    + "aqu-sz \(F.fixed(d.averageQueueSize, 2)) %util \(F.fixed(d.utilisation, 1))" + flags(d.anomalies))
            }
        case .unavailable(let r):
            out.append("             disk unavailable (\(r))")
        }
        switch s.network {
        case .available(let nics):
            for n in nics where showIdleInterfaces || n.rxBytesPerSecond > 0 || n.txBytesPerSecond > 0 {
                out.append("             net  \(F.padRight(n.name, 8)) rxMB/s \(F.pad(F.fixed(n.rxBytesPerSecond / mib, 2), 7)) txMB/s \(F.pad(F.fixed(n.txBytesPerSecond / mib, 2), 7)) "
                    + "rxpck/s \(F.fixed(n.rxPacketsPerSecond, 0)) txpck/s \(F.fixed(n.txPacketsPerSecond, 0)) "
                    + "drop/s \(F.fixed(n.rxDropsPerSecond + n.txDropsPerSecond, 0)) %ifutil \(n.utilisation.map { F.fixed($0, 1) } ?? "-")" + flags(n.anomalies))
            }
        case .unavailable(let r):
            out.append("             net  unavailable (\(r))")
        }
        for p in s.processes {
            switch p.rates {
            case .available(let r):
                out.append("             pid  \(F.padRight("\(r.pid)", 8)) \(F.padRight(String(r.command.prefix(15)), 15)) %CPU \(F.pad(F.fixed(r.cpuPercent, 1), 6)) "
                    + "RSS \(F.pad(F.bytes(Double(r.rssBytes)), 6)) thr \(r.threads) "
                    + "cswch/s \(F.reading(r.voluntarySwitchesPerSecond) { F.fixed($0, 0) }) nvcswch/s \(F.reading(r.nonvoluntarySwitchesPerSecond) { F.fixed($0, 0) }) "
                    + "rd/s \(F.reading(r.readBytesPerSecond) { F.bytes($0) }) wr/s \(F.reading(r.writeBytesPerSecond) { F.bytes($0) }) "
                    + "fds \(F.reading(r.openFiles) { "\($0)" })" + flags(r.anomalies))
            case .unavailable(let reason):
                out.append("             pid  \(F.padRight("\(p.pid)", 8)) unavailable (\(reason))")
            }
        }
        for c in s.changes { out.append("             note \(c)") }
        return out
    }

    private static func flags(_ anomalies: [CounterAnomaly]) -> String {
        anomalies.isEmpty ? "" : " !" + anomalies.map(\.description).joined(separator: "; ")
    }
}
