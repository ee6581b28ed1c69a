import Sampler

/// A monitored process and what it is, so the broker's resource use is read
/// apart from the generator's (the sampler only knows pids).
public struct ProcessRole: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable {
        case broker, namesrv, generator
    }

    public var pid: Int32
    public var role: Role
    /// E.g. "restarted after kill-broker at 90 s".
    public var note: String?

    public init(pid: Int32, role: Role, note: String? = nil) {
        self.pid = pid; self.role = role; self.note = note
    }
}

/// One agent's resource samples (the `Sampler` series) and its processes' roles.
public struct ResourceSeries: Codable, Sendable {
    public var agent: Int
    public var series: SampleSeries
    /// A broker restarted during the run appears once per pid.
    public var processes: [ProcessRole]

    public init(agent: Int, series: SampleSeries, processes: [ProcessRole]) {
        self.agent = agent; self.series = series; self.processes = processes
    }

    /// Mean cores used by the processes of `role` over the samples that saw any
    /// of them (percent of one core / 100); nil when none was sampled.
    public func meanCores(of role: ProcessRole.Role) -> Double? {
        let pids = Set(processes.filter { $0.role == role }.map(\.pid))
        var total = 0.0
        var samples = 0
        for sample in series.samples {
            let rates = sample.processes.filter { pids.contains($0.pid) }.compactMap(\.rates.value)
            guard !rates.isEmpty else { continue }
            total += rates.reduce(0) { $0 + $1.cpuPercent } / 100
            samples += 1
        }
        return samples == 0 ? nil : total / Double(samples)
    }

    /// Mean busy percent of all CPUs together; nil without CPU readings.
    public var meanHostBusyPercent: Double? {
        let busy = series.samples.compactMap { $0.cpu.value?.busy }
        return busy.isEmpty ? nil : busy.reduce(0, +) / Double(busy.count)
    }
}
