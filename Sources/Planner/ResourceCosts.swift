/// What one message costs each resource, by linear regression of the resource's
/// rate over the achieved send rate across steps: the slope is the cost per
/// message, the intercept the idle cost. Only steps that kept up with their
/// offered rate are used (a saturated step's resources no longer track its load).
public struct ResourceCosts: Sendable, Codable, Equatable {
    /// Broker CPU-seconds per message (slope) and idle cores (intercept).
    public var brokerCPU: LinearFit?
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
        // Broker CPU that does not rise with the rate (the host's CPUs were saturated,
        // so the broker got what was left) has no meaningful slope: the cost is then the
        // average per message, idle included — conservative rather than negative.
        func cpuFit(_ pick: (StepResources) -> Double?) -> LinearFit? {
            let pairs = used.compactMap { s in pick(s.resources).map { (s.sendRate, $0) } }
            let xs = pairs.map(\.0), ys = pairs.map(\.1)
            guard pairs.count >= 2 else { return nil }
            if let ols = LinearFit.fit(xs, ys), ols.slope > 0, ols.rSquared >= 0.5 { return ols }
            return LinearFit.throughOrigin(xs, ys)
        }
        return ResourceCosts(brokerCPU: cpuFit(\.brokerCores), generatorCPU: cpuFit(\.generatorCores),
                             diskWrite: fit(\.diskWriteBytesPerSecond), nicTx: fit(\.nicTxBytesPerSecond),
                             nicRx: fit(\.nicRxBytesPerSecond), pageCache: fit(\.pageCacheGrowthBytesPerSecond),
                             stepsUsed: used.map(\.label))
    }
}
