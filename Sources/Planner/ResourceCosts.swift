/// What one message costs each resource, by linear regression of the resource's
/// rate over the achieved send rate across steps: the slope is the cost per
/// message, the intercept the idle cost. Only steps that kept up with their
/// offered rate are used (a saturated step's resources no longer track its load).
public struct ResourceCosts: Sendable, Codable, Equatable {
    /// Broker CPU-seconds per message (slope) and idle cores (intercept): the
    /// ordinary fit, which predicts within the measured rates (``PredictionCheck``).
    public var brokerCPU: LinearFit?
    /// Set when broker CPU did not rise with the rate (slope ≤ 0 or R² < 0.5: the
    /// host's CPUs were saturated, so the broker got what was left): the average
    /// per message through the origin, idle cost included. Sizing uses it instead of
    /// ``brokerCPU``, whose slope then means nothing beyond the measured rates.
    public var brokerCPUAverage: LinearFit?

    /// The broker CPU cost sizing uses: ``brokerCPUAverage`` when set, else ``brokerCPU``.
    public var brokerCPUForSizing: LinearFit? { brokerCPUAverage ?? brokerCPU }
    public var generatorCPU: LinearFit?
    /// Bytes written to the store's disk per message (CommitLog, ConsumeQueue, index, file-system metadata).
    public var diskWrite: LinearFit?
    /// Bytes transmitted over all interfaces per message (produce, fan-out, acks).
    public var nicTx: LinearFit?
    public var nicRx: LinearFit?
    /// Page-cache growth per message while memory was not yet full.
    public var pageCache: LinearFit?
    /// Labels of the steps used.
    public var stepsUsed: [String]

    /// Steps whose achieved rate reached 95 % of the offered one (or closed-loop steps).
    public static func steadySteps(_ steps: [MeasuredStep]) -> [MeasuredStep] {
        steps.filter { s in s.offeredRate.map { s.sendRate >= 0.95 * $0 } ?? true }
    }

    public static func regress(_ steps: [MeasuredStep]) -> ResourceCosts {
        let used = steadySteps(steps)
        func fit(_ pick: (StepResources) -> Double?) -> LinearFit? {
            let pairs = used.compactMap { s in pick(s.resources).map { (s.sendRate, $0) } }
            return LinearFit.fit(pairs.map(\.0), pairs.map(\.1))
        }
        // Broker CPU that does not rise with the rate has no meaningful slope for sizing
        // beyond the measured rates: the average per message is used instead, never a
        // negative cost.
        let broker = fit(\.brokerCores)
        var average: LinearFit?
        if let broker, !(broker.slope > 0 && broker.rSquared >= 0.5) {
            let pairs = used.compactMap { s in s.resources.brokerCores.map { (s.sendRate, $0) } }
            average = LinearFit.throughOrigin(pairs.map(\.0), pairs.map(\.1))
        }
        return ResourceCosts(brokerCPU: broker, brokerCPUAverage: average, generatorCPU: fit(\.generatorCores),
                             diskWrite: fit(\.diskWriteBytesPerSecond), nicTx: fit(\.nicTxBytesPerSecond),
                             nicRx: fit(\.nicRxBytesPerSecond), pageCache: fit(\.pageCacheGrowthBytesPerSecond),
                             stepsUsed: used.map(\.label))
    }
}
