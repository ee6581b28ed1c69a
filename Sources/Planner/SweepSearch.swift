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

        public init(rate: Double, held: Bool, reasons: [String]) {
            self.rate = rate; self.held = held; self.reasons = reasons
        }
    }

    public let estimate: Double
    public let settings: Settings
    let logicalCPUs: Int
    public private(set) var verdicts: [Verdict] = []
    /// p99 of the lightest step run so far (rate, p99): the baseline a blown-up p99 is judged against.
    private var base: (rate: Double, p99: Double)?
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
    /// Why the search ended, once `record` returned nil.
    public private(set) var finished: String?

    /// The first rate to run.
    public var firstRate: Double { (estimate * settings.startShare).rounded() }

    /// Records a finished step and returns the next rate to run, or nil when done.
    public mutating func record(_ step: MeasuredStep) -> Double? {
        let rate = step.offeredRate ?? step.sendRate
        if let p99 = step.latencyP99Ms, rate < base?.rate ?? .infinity { base = (rate, p99) }
        let reasons = Knee.problems(step, baseP99: base?.p99) + settings.ceilings.exceeded(by: step, logicalCPUs: logicalCPUs)
        verdicts.append(Verdict(rate: rate, held: reasons.isEmpty, reasons: reasons))
        if reasons.isEmpty { held = max(held ?? 0, rate) } else { broken = min(broken ?? .infinity, rate) }
        guard verdicts.count < settings.maxSteps else { return finish("reached the step limit (\(settings.maxSteps))") }
        guard let broken else {
            // Still ramping: one increment of the estimate further.
            return (rate + estimate * settings.rampShare).rounded()
        }
        let low = held ?? 0
        // Broke at the first step: halve towards zero until something holds.
        if low == 0 { return broken / 2 >= 1 ? (broken / 2).rounded() : finish("no step held, down to \(Int(broken)) msg/s") }
        guard (broken - low) / low > settings.resolution else {
            return finish("held and broken rates within \(Int((settings.resolution * 100).rounded())) % of each other")
        }
        let next = ((low + broken) / 2).rounded()
        // Rounding to whole msg/s cannot split a gap of 1 msg/s.
        guard next > low && next < broken else { return finish("held and broken rates 1 msg/s apart") }
        return next
    }

    private mutating func finish(_ why: String) -> Double? {
        finished = why
        return nil
    }
}
