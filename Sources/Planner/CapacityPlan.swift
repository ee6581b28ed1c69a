import Sampler

/// A resource a broker node is sized by.
public enum PlanResource: String, Sendable, Codable, CaseIterable {
    case cpu
    case memory
    case diskSpace = "disk-space"
    case diskBandwidth = "disk-bandwidth"
    case nic
}

/// The node every broker (master or slave) runs on.
public struct NodeSpec: Sendable, Codable, Equatable {
    public var cores: Int
    public var memoryBytes: Double
    public var diskBytes: Double
    public var diskBandwidthBytesPerSecond: Double
    public var nicBitsPerSecond: Double
}

/// The cluster: broker groups and the node they run on.
public struct ClusterPlan: Sendable, Codable, Equatable {
    /// The target it was sized for (the highest rate).
    public var sizedFor: String
    public var masters: Int
    public var slaves: Int
    public var nameServers: Int
    public var node: NodeSpec
    /// The resource that set the number of groups or the node size.
    public var binding: PlanResource
    /// Why the cluster has this many masters.
    public var reason: String
}

/// One resource of one master at a load.
public struct ResourceUse: Sendable, Codable, Equatable {
    public var resource: PlanResource
    /// What the master needs: cores, bytes, bytes/s or bits/s (see `unit`).
    public var need: Double
    public var capacity: Double
    /// `cores`, `bytes`, `bytes/s`, `bits/s`.
    public var unit: String
    /// need ÷ capacity, and the same with one master lost (nil with a single master).
    public var utilisation: Double
    public var failoverUtilisation: Double?
    /// The highest utilisation allowed (headroom, or the disk fill limit).
    public var ceiling: Double
    /// How the need was computed, in a line.
    public var formula: String
}

/// Expected use of the cluster at one target rate.
public struct LoadAtTarget: Sendable, Codable, Equatable {
    public var target: SizingTarget
    public var ratePerMaster: Double
    /// Produce bytes/s into the cluster (stored size).
    public var ingressBytesPerSecond: Double
    /// Per master; slaves need the same disk and less CPU and NIC out.
    public var resources: [ResourceUse]
    /// Slave: CPU and NIC in.
    public var slaveCores: Double
    /// In-flight sends the producers must allow (Little's law: rate × ack latency).
    public var inFlightSends: Double?
}

/// The plan at ten times the largest target.
public struct ScaleUp: Sendable, Codable, Equatable {
    public var target: SizingTarget
    public var cluster: ClusterPlan
    public var load: LoadAtTarget
    /// What differs from the plan, in sentences.
    public var changes: [String]
}

/// The planner's answer.
public struct CapacityPlan: Sendable, Codable {
    public var cluster: ClusterPlan
    public var loads: [LoadAtTarget]
    public var tenfold: ScaleUp
    public var parameters: SizingParameters
    public var costs: ResourceCosts
    public var usl: USLFit?
    /// Why the USL could not be fitted, when it could not.
    public var uslError: String?
    public var knee: Knee?
    /// What limited the measured host.
    public var bottleneck: Bottleneck
    /// Extrapolation and data-quality warnings.
    public var warnings: [String]
    public var input: PlannerInput
    /// The accuracy check against runs not used for the costs (`mqbench plan --check`), when made.
    public var checks: [PredictionCheck]?
}
