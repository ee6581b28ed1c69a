import Sampler

/// Where a planning input came from.
public enum AssumptionSource: String, Sendable, Codable {
    /// From the measured steps (regression, averages).
    case measured
    /// Given on the command line.
    case configured
    /// A documented default (RocketMQ's, or a published rule).
    case `default`
}

/// The unit of a numeric assumption, so reports can format it their way.
public enum PlanUnit: String, Sendable, Codable {
    case bytes, bytesPerSecond, bitsPerSecond, seconds, microseconds, cores, count
    /// 0.6 = 60 %.
    case share

    /// Plain text for the JSON and the command line.
    func text(_ v: Double) -> String {
        switch self {
        case .bytes: TextFormat.bytes(v)
        case .bytesPerSecond: TextFormat.bytes(v) + "/s"
        case .bitsPerSecond: TextFormat.fixed(v / 1e9, 1) + " Gb/s"
        case .seconds: SizingParameters.duration(v)
        case .microseconds: TextFormat.fixed(v, 1) + " µs"
        case .cores: TextFormat.fixed(v, 2) + " cores"
        case .count: v == v.rounded() ? String(Int(v)) : TextFormat.fixed(v, 2)
        case .share: TextFormat.fixed(v * 100, 0) + " %"
        }
    }
}

/// One input of the plan, stated so a reader can check or override it.
public struct Assumption: Sendable, Codable, Equatable {
    public var name: String
    /// Plain text with its unit.
    public var value: String
    /// The number behind `value`, for numeric inputs.
    public var amount: Double?
    public var unit: PlanUnit?
    public var source: AssumptionSource
    /// Why this value: the rule, the regression, the RocketMQ default it mirrors.
    public var basis: String

    public init(_ name: String, _ value: String, _ source: AssumptionSource, _ basis: String) {
        self.name = name; self.value = value; self.source = source; self.basis = basis
    }

    public init(_ name: String, amount: Double, _ unit: PlanUnit, _ source: AssumptionSource, _ basis: String) {
        self.init(name, unit.text(amount), source, basis)
        self.amount = amount; self.unit = unit
    }
}
