/// One interval of the resource series: rates between two snapshots plus the
/// gauges at the end of the interval. Encodes to JSON for run results.
public struct Sample: Sendable, Codable {
    /// 1-based position in the series.
    public var index: Int
    /// Unix time (seconds) at the end of the interval.
    public var time: Double
    /// Length of the interval in seconds, from the monotonic clock.
    public var seconds: Double
    /// All CPUs together, and each online CPU.
    public var cpu: Reading<CPUUsage>
    public var perCPU: Reading<[CPUUsage]>
    public var contextSwitchesPerSecond: Reading<Double>
    public var interruptsPerSecond: Reading<Double>
    public var load: Reading<LoadAverage>
    public var memory: Reading<MemoryInfo>
    public var paging: Reading<PagingRates>
    /// Whole disks present at both ends of the interval.
    public var disks: Reading<[DiskRates]>
    public var network: Reading<[NetworkRates]>
    public var cpuPressure: Reading<PressureShare>
    public var ioPressure: Reading<PressureShare>
    public var memoryPressure: Reading<PressureShare>
    public var processes: [ProcessSample]
    /// Disks, interfaces and CPUs that appeared or vanished during the interval;
    /// they have no rates for this interval (a first read is not a delta).
    public var changes: [DeviceChange]
    /// CPU seconds the sampler spent reading and computing this sample.
    public var samplerCPUSeconds: Double
}

/// A monitored process in one sample.
public struct ProcessSample: Sendable, Codable {
    public var pid: Int32
    public var rates: Reading<ProcessRates>
}

/// A device that appeared or vanished between two snapshots.
public struct DeviceChange: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case disk, interface, cpu, process }
    public enum Event: String, Sendable, Codable { case appeared, vanished }
    public var kind: Kind
    public var name: String
    public var event: Event

    public var description: String { "\(kind.rawValue) \(name) \(event.rawValue)" }
}
