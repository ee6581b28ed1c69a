/// Where a planning input came from.
public enum AssumptionSource: String, Sendable, Codable {
    /// From the measured steps (regression, averages).
    case measured
    /// Given on the command line.
    case configured
    /// A documented default (RocketMQ's, or a published rule).
    case `default`
}

/// One input of the plan, stated so a reader can check or override it.
public struct Assumption: Sendable, Codable, Equatable {
    public var name: String
    /// Formatted with its unit.
    public var value: String
    public var source: AssumptionSource
    /// Why this value: the rule, the regression, the RocketMQ default it mirrors.
    public var basis: String

    public init(_ name: String, _ value: String, _ source: AssumptionSource, _ basis: String) {
        self.name = name; self.value = value; self.source = source; self.basis = basis
    }
}
