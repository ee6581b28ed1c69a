/// Open loop (the schedule sets the rate; latency from intended send times) or
/// closed loop (as fast as the windows allow), labelled in every result.
public enum LoadMode: String, Codable, Sendable {
    case openLoop = "open-loop"
    case closedLoop = "closed-loop"
}

/// One generator process of the run (`mqbench run --agent I/N`; a plain run is agent 1/1).
public struct AgentInfo: Codable, Sendable, Equatable {
    /// 1...count.
    public var index: Int
    public var count: Int
    public var hostname: String
    public var pid: Int32
    /// The agreed start (`--start-at`), Unix seconds.
    public var startAt: Double?
    /// Filled from the agent's own measurement by `RunResults`.
    public var window: MeasurementWindow?
    public var sendRate: Double?
    public var consumeRate: Double?
    public var generator: GeneratorCost?

    public init(index: Int = 1, count: Int = 1, hostname: String, pid: Int32, startAt: Double? = nil) {
        self.index = index; self.count = count; self.hostname = hostname; self.pid = pid; self.startAt = startAt
    }
}

/// The top-level figures of a run, the first thing scripts read.
public struct RunSummary: Codable, Sendable, Equatable {
    /// Every SLO threshold passed (loss within `maxLost` included).
    public var passed: Bool
    public var mode: LoadMode
    public var measuredSeconds: Double
    /// Mean msg/s over the measured window: successful sends, and deliveries over all groups.
    public var sendRate: Double
    public var consumeRate: Double
    /// Body bytes per second sent.
    public var sendBytesPerSecond: Double
    public var sent: Int
    public var received: Int
    public var errors: Int
    public var errorRate: Double
    /// Whether verification ran; lost/duplicated/reordered are 0 when it did not.
    public var verified: Bool
    public var lost: Int
    public var duplicated: Int
    public var reordered: Int
    /// Largest total backlog of a measured interval (0 without consumers).
    public var maxBacklog: Int
    public var sendLatencyMs: LatencyBrief
    public var endToEndLatencyMs: LatencyBrief
    /// How late sends started against the schedule (open loop).
    public var sendDelayMs: LatencyBrief
}
