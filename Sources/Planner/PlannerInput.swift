import Sampler

/// What the planner works from: measured load steps on one kind of host, what
/// the load was, and that host's facts and checklist. Built from sweep steps or
/// from run results (one step per run); tests build it directly.
public struct PlannerInput: Sendable, Codable {
    public var steps: [MeasuredStep]
    public var host: HostProfile
    public var workload: MeasuredWorkload
    /// `mqbench doctor` on the measured host, when known.
    public var doctor: DoctorReport?
    /// Where the measurements came from (results files, run directories).
    public var sources: [String]

    public init(steps: [MeasuredStep], host: HostProfile, workload: MeasuredWorkload, doctor: DoctorReport? = nil,
                sources: [String] = []) {
        self.steps = steps; self.host = host; self.workload = workload; self.doctor = doctor; self.sources = sources
    }
}

/// One steady load level and what it cost. Rates are per second averaged over the
/// step's measured window (warm-up excluded); absent readings stay nil.
public struct MeasuredStep: Sendable, Codable, Equatable {
    public var label: String
    public var seconds: Double
    /// The schedule's rate (nil for closed-loop runs).
    public var offeredRate: Double?
    /// Messages acknowledged per second.
    public var sendRate: Double
    /// Deliveries per second over all consumer groups.
    public var consumeRate: Double?
    /// Send latency (from the intended send time), milliseconds.
    public var latencyMeanMs: Double?
    public var latencyP50Ms: Double?
    public var latencyP99Ms: Double?
    /// End-to-end latency p99 (send to delivery) and how late sends started against
    /// the schedule (p99), milliseconds.
    public var endToEndP99Ms: Double?
    public var sendDelayP99Ms: Double?
    /// Growth of the consumers' backlog, messages per second (≈ 0 when they keep up).
    public var backlogGrowthPerSecond: Double?
    /// Whether the run's SLOs held, and the names of those that failed.
    public var sloMet: Bool?
    public var failedSLOs: [String]?
    /// Acknowledged messages never delivered (nil without verification).
    public var lostMessages: Int?
    public var resources: StepResources

    public init(label: String, seconds: Double, offeredRate: Double?, sendRate: Double, consumeRate: Double? = nil,
                latencyMeanMs: Double? = nil, latencyP50Ms: Double? = nil, latencyP99Ms: Double? = nil,
                endToEndP99Ms: Double? = nil, sendDelayP99Ms: Double? = nil,
                backlogGrowthPerSecond: Double? = nil, sloMet: Bool? = nil, failedSLOs: [String]? = nil, lostMessages: Int? = nil,
                resources: StepResources = StepResources()) {
        self.label = label; self.seconds = seconds; self.offeredRate = offeredRate; self.sendRate = sendRate
        self.consumeRate = consumeRate; self.latencyMeanMs = latencyMeanMs; self.latencyP50Ms = latencyP50Ms
        self.latencyP99Ms = latencyP99Ms; self.endToEndP99Ms = endToEndP99Ms; self.sendDelayP99Ms = sendDelayP99Ms
        self.backlogGrowthPerSecond = backlogGrowthPerSecond; self.sloMet = sloMet; self.failedSLOs = failedSLOs
        self.lostMessages = lostMessages; self.resources = resources
    }

    /// The rate the step is ordered by: offered (open loop), else achieved.
    public var rate: Double { offeredRate ?? sendRate }

    /// Mean concurrency by Little's law, N = X · R (R the mean send latency, or p50).
    public var concurrency: Double? {
        guard let ms = latencyMeanMs ?? latencyP50Ms, ms > 0 else { return nil }
        return sendRate * ms / 1000
    }
}

/// The sampled resources of one step, averaged over its window.
public struct StepResources: Sendable, Codable, Equatable {
    /// CPU-seconds per second (cores busy) of the broker process(es) and of the generator.
    public var brokerCores: Double?
    public var generatorCores: Double?
    /// Whole-host CPU busy, percent of all CPUs.
    public var hostCPUPercent: Double?
    /// The store's disk(s): bytes/s written and read, %util (max over them), write await.
    public var diskWriteBytesPerSecond: Double?
    public var diskReadBytesPerSecond: Double?
    public var diskUtilisationPercent: Double?
    public var diskWriteAwaitMs: Double?
    /// All interfaces (loopback included: a one-host test talks over lo).
    public var nicRxBytesPerSecond: Double?
    public var nicTxBytesPerSecond: Double?
    /// Highest %ifutil of an interface with a known speed.
    public var nicUtilisationPercent: Double?
    /// Broker resident set at the end of the step.
    public var brokerRSSBytes: Double?
    /// Page cache (Cached) at the end, and its growth over the step.
    public var pageCacheBytes: Double?
    public var pageCacheGrowthBytesPerSecond: Double?
    public var dirtyBytes: Double?

    public init(brokerCores: Double? = nil, generatorCores: Double? = nil, hostCPUPercent: Double? = nil,
                diskWriteBytesPerSecond: Double? = nil, diskReadBytesPerSecond: Double? = nil,
                diskUtilisationPercent: Double? = nil, diskWriteAwaitMs: Double? = nil,
                nicRxBytesPerSecond: Double? = nil, nicTxBytesPerSecond: Double? = nil, nicUtilisationPercent: Double? = nil,
                brokerRSSBytes: Double? = nil, pageCacheBytes: Double? = nil, pageCacheGrowthBytesPerSecond: Double? = nil,
                dirtyBytes: Double? = nil) {
        self.brokerCores = brokerCores; self.generatorCores = generatorCores; self.hostCPUPercent = hostCPUPercent
        self.diskWriteBytesPerSecond = diskWriteBytesPerSecond; self.diskReadBytesPerSecond = diskReadBytesPerSecond
        self.diskUtilisationPercent = diskUtilisationPercent; self.diskWriteAwaitMs = diskWriteAwaitMs
        self.nicRxBytesPerSecond = nicRxBytesPerSecond; self.nicTxBytesPerSecond = nicTxBytesPerSecond
        self.nicUtilisationPercent = nicUtilisationPercent; self.brokerRSSBytes = brokerRSSBytes
        self.pageCacheBytes = pageCacheBytes; self.pageCacheGrowthBytesPerSecond = pageCacheGrowthBytesPerSecond
        self.dirtyBytes = dirtyBytes
    }
}

extension StepResources {
    /// Host CPU busy without the generator's own CPU (percent of all CPUs): what a
    /// broker host would carry when the generator runs elsewhere, as it does in
    /// production. The host figure when the generator's CPU is unknown.
    public func brokerSideCPUPercent(logicalCPUs: Int) -> Double? {
        guard let host = hostCPUPercent else { return nil }
        guard let g = generatorCores else { return host }
        return max(0, host - g * 100 / Double(max(1, logicalCPUs)))
    }
}

/// The measured host.
public struct HostProfile: Sendable, Codable, Equatable {
    public var hostname: String
    public var cpuModel: String?
    public var logicalCPUs: Int
    public var memoryBytes: Double?
    public var kernel: String?
    /// Link speed of the host's NIC, when the driver reports one.
    public var nicSpeedMbps: Int?

    public init(hostname: String, cpuModel: String? = nil, logicalCPUs: Int, memoryBytes: Double? = nil,
                kernel: String? = nil, nicSpeedMbps: Int? = nil) {
        self.hostname = hostname; self.cpuModel = cpuModel; self.logicalCPUs = logicalCPUs
        self.memoryBytes = memoryBytes; self.kernel = kernel; self.nicSpeedMbps = nicSpeedMbps
    }
}

/// How the measured load was shaped (the plan scales from it).
public struct MeasuredWorkload: Sendable, Codable, Equatable {
    /// Mean body size in bytes.
    public var messageBytes: Double
    public var topicBytes: Int
    /// Mean properties length as stored, when known.
    public var propertiesBytes: Int?
    public var consumerGroups: Int
    public var flush: FlushMode?
    /// Copies of each message in the measured cluster (1 = no slave).
    public var replicas: Int

    public init(messageBytes: Double, topicBytes: Int, propertiesBytes: Int? = nil, consumerGroups: Int,
                flush: FlushMode? = nil, replicas: Int = 1) {
        self.messageBytes = messageBytes; self.topicBytes = topicBytes; self.propertiesBytes = propertiesBytes
        self.consumerGroups = consumerGroups; self.flush = flush; self.replicas = replicas
    }
}

/// The store's flush mode (flushDiskType).
public enum FlushMode: String, Sendable, Codable, CaseIterable {
    case sync = "SYNC"
    case async = "ASYNC"
}
