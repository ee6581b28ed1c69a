/// A named target rate: `normal=2000`, `promotion=20000`.
public struct SizingTarget: Sendable, Codable, Equatable {
    public var name: String
    /// Messages per second produced (consumers read each once per group).
    public var rate: Double

    public init(name: String, rate: Double) {
        self.name = name; self.rate = rate
    }

    /// Parses `NAME=RATE` (RATE a positive number, `k` suffix allowed).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw PlannerError.badTarget(text) }
        var number = parts[1].lowercased(), scale = 1.0
        if number.hasSuffix("k") { number.removeLast(); scale = 1000 }
        guard let v = Double(number), v > 0, v.isFinite else { throw PlannerError.badTarget(text) }
        self.init(name: parts[0], rate: v * scale)
    }
}

/// What the operator asks of the plan. Every field left nil is taken from the
/// measurements or from a documented default, and the plan says which.
public struct SizingConfig: Sendable, Codable, Equatable {
    public var targets: [SizingTarget]
    /// Message body bytes.
    public var messageBytes: Int?
    public var topicBytes: Int?
    public var propertiesBytes: Int?
    /// Copies of each message: 1 master + (replicas − 1) slaves.
    public var replicas: Int?
    public var flush: FlushMode?
    public var retentionSeconds: Double?
    /// How long a peak target lasts within the retention window (storage sizing).
    public var peakSeconds: Double?
    public var consumerGroups: Int?
    /// Highest steady utilisation allowed for any resource (0.6 = 60 %).
    public var headroom: Double?
    /// Highest utilisation allowed after losing one master.
    public var failoverCeiling: Double?
    /// Consumer lag to serve from page cache, in seconds of production.
    public var consumerLagSeconds: Double?
    /// Largest node to plan for (more load means more broker groups).
    public var maxNodeCores: Int?
    public var maxNodeMemoryBytes: Double?
    public var maxNodeDiskBytes: Double?
    /// Per node: NIC speed and sustained disk write bandwidth.
    public var nicBitsPerSecond: Double?
    public var diskBandwidthBytesPerSecond: Double?
    public var minMasters: Int?
    public var nameServers: Int?

    public init(targets: [SizingTarget]) {
        self.targets = targets
    }
}

public enum PlannerError: Error, CustomStringConvertible, Equatable {
    case badTarget(String)
    case noTargets
    case invalid(String)
    case notEnoughMeasurements(String)

    public var description: String {
        switch self {
        case .badTarget(let t): "bad target '\(t)': expected NAME=RATE, e.g. normal=2000 or promotion=20k"
        case .noTargets: "give at least one --target NAME=RATE"
        case .invalid(let why): why
        case .notEnoughMeasurements(let why): "not enough measurements to plan: \(why)"
        }
    }
}
