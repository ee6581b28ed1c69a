import Planner

/// Where a sweep's ramp starts: the closed-loop estimate (`--estimate`, or
/// measured by a short closed-loop run) and an optional absolute first rate
/// (`--start-rate`). Without `--estimate`, a start rate alone stands for an
/// estimate of start ÷ startShare, so the ramp climbs by the start rate and no
/// closed-loop run is needed.
public struct SweepStart: Sendable, Equatable {
    public var estimate: Double?
    public var startRate: Double?

    public init(estimate: Double? = nil, startRate: Double? = nil) throws(SweepError) {
        if let estimate, !(estimate >= 1 && estimate.isFinite) {
            throw SweepError("--estimate must be at least 1 msg/s (got \(estimate))")
        }
        if let startRate, !(startRate >= 1 && startRate.isFinite) {
            throw SweepError("--start-rate must be at least 1 msg/s (got \(startRate))")
        }
        self.estimate = estimate
        self.startRate = startRate
    }

    /// Whether a closed-loop run must measure the estimate first.
    public var needsClosedLoopRun: Bool { estimate == nil && startRate == nil }

    /// The search, once the estimate is known (`measured`: the closed-loop run's send rate).
    public func search(measured: Double?, settings: SweepSearch.Settings, logicalCPUs: Int) throws(SweepError) -> SweepSearch {
        guard settings.startShare > 0 else { throw SweepError("the start share must be positive") }
        guard let e = estimate ?? startRate.map({ $0 / settings.startShare }) ?? measured else {
            throw SweepError("no estimate: give --estimate or --start-rate, or let the closed-loop run measure one")
        }
        guard e >= 1 else {
            throw SweepError("the closed-loop estimate was \(Int(e)) msg/s: the generator sent (almost) nothing; "
                             + "see the estimate run's results, or give --estimate")
        }
        var s = settings
        if let startRate { s.startShare = startRate / e }
        let search = SweepSearch(estimate: e, logicalCPUs: logicalCPUs, settings: s)
        // Whole msg/s: a first step or an increment that rounds to 0 would never climb.
        guard search.firstRate >= 1, (e * s.rampShare).rounded() >= 1 else {
            throw SweepError("an estimate of \(e) msg/s is too low to ramp from in whole msg/s; give --estimate or --start-rate of a few msg/s or more")
        }
        return search
    }
}

/// A sweep that cannot start or go on, with what to do about it.
public struct SweepError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
