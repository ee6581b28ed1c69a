/// Chooses the offered rate of each sweep step: a coarse ramp up from a fraction
/// of the closed-loop estimate, then bisection between the last step that held
/// and the first that broke, until they are within `resolution` of each other.
///
/// A step "breaks" when it fails the knee's tests (achieved < 95 % of offered,
/// growing backlog, SLO broken, p99 blown up) or passes a resource ceiling
/// (CPU 85 %, disk %util 90 %, NIC 70 %, the generator saturated).
public struct SweepSearch: Sendable {
    public struct Settings: Sendable, Codable, Equatable {
        /// First step as a share of the estimate, and the ramp's increment.
        public var startShare = 0.2
        public var rampShare = 0.2
        /// Stop bisecting when (broken − held) ÷ held is below this.
        public var resolution = 0.05
        public var maxSteps = 16
        public var ceilings = Ceilings()

        public init() {}
    }

    /// Why a step counted as broken, or why the search stopped.
    public struct Verdict: Sendable, Codable, Equatable {
        public var rate: Double
        public var held: Bool
        public var reasons: [String]
    }

    public let estimate: Double
    public let settings: Settings
    let logicalCPUs: Int
    public private(set) var verdicts: [Verdict] = []
    private var baseP99: Double?
    private var held: Double?
    private var broken: Double?

    /// - Parameter estimate: the closed-loop throughput (msg/s) that seeds the ramp.
    public init(estimate: Double, logicalCPUs: Int, settings: Settings = Settings()) {
        self.estimate = max(1, estimate); self.logicalCPUs = logicalCPUs; self.settings = settings
    }

    /// The highest rate that held so far.
    public var sustainable: Double? { held }
    /// The lowest rate that broke so far.
    public var firstBroken: Double? { broken }

    /// The first rate to run.
    public var firstRate: Double { (estimate * settings.startShare).rounded() }

    /// Records a finished step and returns the next rate to run, or nil when done.
    public mutating func record(_ step: MeasuredStep) -> Double? {
        let rate = step.offeredRate ?? step.sendRate
        if baseP99 == nil { baseP99 = step.latencyP99Ms }
        let reasons = Knee.problems(step, baseP99: baseP99) + settings.ceilings.exceeded(by: step, logicalCPUs: logicalCPUs)
        verdicts.append(Verdict(rate: rate, held: reasons.isEmpty, reasons: reasons))
        if reasons.isEmpty { held = max(held ?? 0, rate) } else { broken = min(broken ?? .infinity, rate) }
        guard verdicts.count < settings.maxSteps else { return nil }
        guard let broken else {
            // Still ramping: one increment of the estimate further.
            return (rate + estimate * settings.rampShare).rounded()
        }
        let low = held ?? 0
        // Broke at the first step: halve towards zero until something holds.
        if low == 0 { return broken / 2 >= 1 ? (broken / 2).rounded() : nil }
        guard (broken - low) / low > settings.resolution else { return nil }
        return ((low + broken) / 2).rounded()
    }
}
