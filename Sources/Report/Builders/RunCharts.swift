import Metrics
import Sampler

/// The time charts of one run: x is seconds since load started (warm-up shaded,
/// faults marked), from the interval series and the sampler's series.
struct RunCharts {
    let results: RunResults
    /// Unix time load started (measurement start − warm-up).
    let loadStart: Double
    let markers: [Marker]
    let bands: [Band]

    init(_ r: RunResults) {
        results = r
        loadStart = r.window.startWall - r.window.warmupSeconds
        markers = r.faults.map { f in
            Marker(x: f.elapsed ?? f.wallTime - (r.window.startWall - r.window.warmupSeconds),
                   label: f.action + (f.succeeded ? "" : " (failed)"))
        }
        var bands: [Band] = []
        if r.window.warmupSeconds > 0 { bands.append(Band(from: 0, to: r.window.warmupSeconds, label: "warm-up")) }
        let drain = r.intervals.filter { $0.phase == .drain }
        if let first = drain.first, let last = drain.last {
            bands.append(Band(from: first.startWall - loadStart, to: last.endWall - loadStart, label: "drain"))
        }
        self.bands = bands
    }

    private func at(_ i: IntervalStats) -> Double { i.endWall - loadStart }

    private func chart(_ id: String, _ title: String, _ unit: ValueUnit, _ yTitle: String, _ series: [Series],
                       stacked: Bool = false, yMax: Double? = nil, caption: String? = nil) -> Chart {
        .timeSeries(id: id, title: title, unit: unit, yTitle: yTitle, series: series, markers: markers, bands: bands,
                    stacked: stacked, yMax: yMax, caption: caption)
    }

    var throughput: Chart {
        var series = [Series("sent", xy: results.intervals.map { (at($0), $0.sendRate) })]
        for group in results.groups.map(\.name) {
            series.append(Series("consumed \(group)", xy: results.intervals.map { (at($0), $0.consumeRates[group]) }))
        }
        return chart("throughput", "Throughput", .messagesPerSecond, "rate", series)
    }

    var latency: Chart {
        func points(_ pick: @escaping (IntervalStats) -> LatencySummary, _ value: @escaping (LatencySummary) -> Double) -> [(Double, Double?)] {
            results.intervals.map { i in let s = pick(i); return (at(i), s.count > 0 ? value(s) : nil) }
        }
        return chart("latency", "Latency per interval", .milliseconds, "latency", [
            Series("send p50", xy: points(\.sendLatencyMs, \.p50)),
            Series("send p99", xy: points(\.sendLatencyMs, \.p99)),
            Series("send p99.9", xy: points(\.sendLatencyMs, \.p999)),
            Series("end-to-end p99", xy: points(\.endToEndLatencyMs, \.p99)),
        ], caption: "Send latency from the intended send time (coordinated-omission safe); end-to-end from the stamp in the message.")
    }

    var backlog: Chart {
        chart("backlog", "Consumer backlog", .count, "messages",
              [Series("backlog (all groups)", xy: results.intervals.map { (at($0), Double($0.backlogTotal)) })])
    }

    /// HdrHistogram's percentile plot of the whole-run histograms.
    var spectrum: Chart {
        func series(_ name: String, _ h: LatencyHistogram) -> Series? {
            guard h.count > 0 else { return nil }
            // No percentile finer than the data supports (1 in count).
            let finest = 100 * (1 - 1 / Double(h.count))
            let ps = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 99.9999].filter { $0 <= finest }
            return Series(name, style: .linePoints, points: ps.map { Point(x: $0, y: Double(h.micros(atPercentile: $0)) / 1000) })
        }
        let h = results.histograms
        return .percentileSpectrum(id: "spectrum", title: "Latency by percentile (whole run)",
                                   series: [series("send", h.sendLatency), series("send delay", h.sendDelay),
                                            series("end-to-end", h.endToEnd)].compactMap { $0 })
    }

    /// Sampler charts of the agent that ran the broker (or the first).
    var resources: [Chart] {
        guard let res = results.resources.first(where: { $0.processes.contains { $0.role == .broker } }) ?? results.resources.first
        else { return [] }
        let samples = res.series.samples
        let cores = Double(max(1, results.environment.cores))
        func t(_ s: Sample) -> Double { s.time - loadStart }
        func processCPU(_ role: ProcessRole.Role) -> [(Double, Double?)] {
            let pids = Set(res.processes.filter { $0.role == role }.map(\.pid))
            return samples.map { s in
                let rates = s.processes.filter { pids.contains($0.pid) }.compactMap(\.rates.value)
                return (t(s), rates.isEmpty ? nil : rates.reduce(0) { $0 + $1.cpuPercent } / cores)
            }
        }
        func processRSS(_ role: ProcessRole.Role) -> [(Double, Double?)] {
            let pids = Set(res.processes.filter { $0.role == role }.map(\.pid))
            return samples.map { s in
                let rates = s.processes.filter { pids.contains($0.pid) }.compactMap(\.rates.value)
                return (t(s), rates.isEmpty ? nil : rates.reduce(0) { $0 + Double($1.rssBytes) })
            }
        }
        let cpu = chart("cpu", "CPU (percent of all \(Int(cores)) CPUs)", .percent, "CPU", [
            Series("host busy", style: .area, xy: samples.map { (t($0), $0.cpu.value?.busy) }),
            Series("broker", xy: processCPU(.broker)),
            Series("generator", xy: processCPU(.generator)),
            Series("iowait", xy: samples.map { (t($0), $0.cpu.value?.iowait) }),
        ], yMax: 100, caption: "Host busy = 100 − idle − iowait; broker and generator are their processes' CPU.")
        func disks(_ s: Sample) -> [DiskRates]? {
            guard let all = s.disks.value else { return nil }
            let store = all.filter(\.holdsStore)
            return store.isEmpty ? all : store
        }
        let disk = chart("disk", "Store disk", .bytesPerSecond, "throughput", [
            Series("write", xy: samples.map { (t($0), disks($0)?.reduce(0) { $0 + $1.writeBytesPerSecond }) }),
            Series("read", xy: samples.map { (t($0), disks($0)?.reduce(0) { $0 + $1.readBytesPerSecond }) }),
        ])
        let diskUtil = chart("disk-util", "Store disk utilisation", .percent, "%util", [
            Series("%util", xy: samples.map { (t($0), disks($0)?.map(\.utilisation).max()) }),
        ], yMax: 100, caption: "%util is busy time, saturation only for devices serving one request at a time (not NVMe/RAID).")
        let nic = chart("nic", "Network (all interfaces, loopback included)", .bytesPerSecond, "throughput", [
            Series("receive", xy: samples.map { (t($0), $0.network.value?.reduce(0) { $0 + $1.rxBytesPerSecond }) }),
            Series("transmit", xy: samples.map { (t($0), $0.network.value?.reduce(0) { $0 + $1.txBytesPerSecond }) }),
        ])
        let memory = chart("memory", "Memory", .bytes, "bytes", [
            Series("page cache", xy: samples.map { (t($0), $0.memory.value?.cached.map(Double.init)) }),
            Series("dirty", xy: samples.map { (t($0), $0.memory.value?.dirty.map(Double.init)) }),
            Series("broker RSS", xy: processRSS(.broker)),
            Series("generator RSS", xy: processRSS(.generator)),
        ])
        return [cpu, disk, diskUtil, nic, memory]
    }
}
