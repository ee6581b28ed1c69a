import Metrics
import Profiles
import Sampler

extension MeasuredStep {
    /// One run as one step: rates and latency over its measured window, the
    /// resources sampled in that window (broker and generator by their roles).
    public init(results r: RunResults, label: String? = nil) {
        let w = r.window
        let offered: Double? = r.mode == .openLoop ? Self.meanIntendedRate(r.profile, from: w.warmupSeconds, seconds: w.seconds) : nil
        let measured = r.intervals.filter { $0.phase == .measured }
        var growth: Double?
        if let first = measured.first, let last = measured.last, last.endWall > first.endWall {
            growth = Double(last.backlogTotal - first.backlogTotal) / (last.endWall - first.endWall)
        }
        let l = r.latency
        self.init(label: label ?? "\(r.profile.name) \(Int(offered ?? r.summary.sendRate))", seconds: w.seconds,
                  offeredRate: offered, sendRate: r.summary.sendRate, consumeRate: r.summary.consumeRate,
                  latencyMeanMs: l.sendLatency.count > 0 ? l.sendLatency.mean : nil,
                  latencyP50Ms: l.sendLatency.count > 0 ? l.sendLatency.p50 : nil,
                  latencyP99Ms: l.sendLatency.count > 0 ? l.sendLatency.p99 : nil,
                  endToEndP99Ms: l.endToEnd.count > 0 ? l.endToEnd.p99 : nil,
                  sendDelayP99Ms: l.sendDelay.count > 0 ? l.sendDelay.p99 : nil,
                  backlogGrowthPerSecond: growth, sloMet: r.summary.passed,
                  failedSLOs: r.slo.outcomes.filter { !$0.passed }.map(\.name),
                  lostMessages: r.summary.verified ? r.summary.lost : nil,
                  resources: Self.resources(r))
    }

    /// The schedule's mean rate over the measured window (seconds since load started).
    static func meanIntendedRate(_ profile: Profile, from start: Double, seconds: Double) -> Double {
        let n = max(1, Int(seconds * 10))
        let total = (0..<n).reduce(0.0) { $0 + profile.intendedRate(at: start + (Double($1) + 0.5) * seconds / Double(n)) }
        return total / Double(n)
    }

    /// The broker's agent's series for host, disk, NIC and broker; generator cores summed over agents.
    static func resources(_ r: RunResults) -> StepResources {
        func pids(_ s: ResourceSeries, _ role: ProcessRole.Role) -> Set<Int32> { Set(s.processes.filter { $0.role == role }.map(\.pid)) }
        let main = r.resources.first { !pids($0, .broker).isEmpty } ?? r.resources.first
        guard let main else { return StepResources() }
        var result = StepResources(samples: main.series.samples, from: r.window.startWall, to: r.window.endWall,
                                   brokerPIDs: pids(main, .broker), generatorPIDs: pids(main, .generator))
        let others = r.resources.filter { $0.agent != main.agent }.compactMap { s in
            StepResources(samples: s.series.samples, from: r.window.startWall, to: r.window.endWall, brokerPIDs: [],
                          generatorPIDs: pids(s, .generator)).generatorCores
        }
        if !others.isEmpty { result.generatorCores = (result.generatorCores ?? 0) + others.reduce(0, +) }
        return result
    }
}

extension PlannerInput {
    /// Builds the planner's input from run results (one step each, ordered by
    /// rate). They must describe one workload: same body size, topics and groups.
    public init(results: [RunResults], sources: [String], doctor: DoctorReport? = nil) throws {
        guard let first = results.first else { throw PlannerError.notEnoughMeasurements("no results given") }
        let workloads = results.map(MeasuredWorkload.init(results:))
        let base = workloads[0]
        for (w, source) in zip(workloads, sources).dropFirst() {
            if abs(w.messageBytes - base.messageBytes) > 0.1 * max(base.messageBytes, 1) || w.consumerGroups != base.consumerGroups
                || w.topicBytes != base.topicBytes || w.flush != base.flush {
                throw PlannerError.invalid("\(source) measured a different workload (\(Int(w.messageBytes)) B bodies, "
                                           + "\(w.consumerGroups) read streams, \(w.flush?.rawValue ?? "?") flush) than \(sources[0]) "
                                           + "(\(Int(base.messageBytes)) B, \(base.consumerGroups), \(base.flush?.rawValue ?? "?")): plan from one workload at a time")
            }
        }
        let steps = results.map { MeasuredStep(results: $0) }.sorted { ($0.offeredRate ?? $0.sendRate) < ($1.offeredRate ?? $1.sendRate) }
        let e = first.environment
        let nic = first.resources.first?.series.samples.lazy.compactMap(\.network.value).first?
            .filter { $0.name != "lo" }.compactMap(\.speedMbps).max()
        self.init(steps: steps,
                  host: HostProfile(hostname: e.hostname, cpuModel: e.cpuModel, logicalCPUs: e.cores,
                                    memoryBytes: e.memoryBytes.map(Double.init), kernel: e.kernel, nicSpeedMbps: nic),
                  workload: MeasuredWorkload(messageBytes: workloads.map(\.messageBytes).reduce(0, +) / Double(workloads.count),
                                             topicBytes: base.topicBytes, propertiesBytes: nil, consumerGroups: base.consumerGroups,
                                             flush: base.flush, replicas: 1),
                  doctor: doctor, sources: sources)
    }
}

extension MeasuredWorkload {
    /// The workload of one run: mean body, topic name length, read streams (a
    /// clustering group reads each message once, a broadcasting group once per consumer).
    init(results r: RunResults) {
        let p = r.profile
        let names = p.topics.names
        let sent = r.totals.sent
        self.init(messageBytes: sent > 0 ? Double(r.totals.sentBytes) / Double(sent) : p.message.meanSize,
                  topicBytes: names.map(\.utf8.count).reduce(0, +) / max(1, names.count), propertiesBytes: nil,
                  consumerGroups: p.consumers.reduce(0) { $0 + ($1.model == .broadcasting ? $1.count : 1) },
                  flush: FlushMode(brokerSetting: p.broker.flushDiskType), replicas: 1)
    }
}

extension FlushMode {
    /// `SYNC_FLUSH` / `ASYNC_FLUSH` (broker.conf) or `SYNC` / `ASYNC`.
    public init?(brokerSetting: String) {
        switch brokerSetting.uppercased() {
        case "SYNC_FLUSH", "SYNC": self = .sync
        case "ASYNC_FLUSH", "ASYNC": self = .async
        default: return nil
        }
    }
}
