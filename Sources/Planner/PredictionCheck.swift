/// How well the per-message costs predict a run they were not fitted on: the
/// planner's accuracy check. Fit the costs on some steps, run the profile at a
/// rate none of them had, and compare what the costs predict at that run's
/// achieved rate with what the run measured (`mqbench plan --check RUN`).
public struct PredictionCheck: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        /// "broker CPU", "disk write", "NIC (tx + rx)".
        public var resource: String
        /// "cores" or "bytes/s".
        public var unit: String
        public var predicted: Double
        public var measured: Double
        /// (predicted − measured) / measured, percent.
        public var errorPercent: Double
        public var withinTolerance: Bool
    }

    /// The checked run's label and achieved send rate (msg/s).
    public var label: String
    public var rate: Double
    public var tolerancePercent: Double
    /// The rate lies outside the fitted steps' range: the check tests extrapolation.
    public var extrapolated: Bool
    /// True when a fitted step had (nearly) this rate: then the check proves little.
    public var rateWasMeasured: Bool
    public var rows: [Row]
    /// Resources that could not be compared (no fit, or not measured in the run), with why.
    public var skipped: [String]

    public var passed: Bool { !rows.isEmpty && rows.allSatisfy(\.withinTolerance) }

    /// Compares `costs` (fitted on `fitted`) with `run`.
    public static func make(costs: ResourceCosts, fitted: [MeasuredStep], run: MeasuredStep, tolerancePercent: Double = 15) -> PredictionCheck {
        let x = run.sendRate
        var rows: [Row] = []
        var skipped: [String] = []
        func compare(_ name: String, _ unit: String, _ fit: LinearFit?, _ measured: Double?) {
            guard let fit else { return skipped.append("\(name): no cost fitted from the steps") }
            guard let measured, measured > 0 else { return skipped.append("\(name): not measured in \(run.label)") }
            let predicted = fit.predict(x)
            let error = (predicted - measured) / measured * 100
            rows.append(Row(resource: name, unit: unit, predicted: predicted, measured: measured,
                            errorPercent: error, withinTolerance: abs(error) <= tolerancePercent))
        }
        let r = run.resources
        compare("broker CPU", "cores", costs.brokerCPU, r.brokerCores)
        compare("disk write", "bytes/s", costs.diskWrite, r.diskWriteBytesPerSecond)
        let nic: LinearFit? = {
            guard let tx = costs.nicTx, let rx = costs.nicRx else { return nil }
            return LinearFit(intercept: tx.intercept + rx.intercept, slope: tx.slope + rx.slope, rSquared: min(tx.rSquared, rx.rSquared),
                             rmse: tx.rmse + rx.rmse, points: min(tx.points, rx.points), xMin: tx.xMin, xMax: tx.xMax)
        }()
        let nicMeasured: Double? = r.nicTxBytesPerSecond.flatMap { tx in r.nicRxBytesPerSecond.map { tx + $0 } }
        compare("NIC (tx + rx)", "bytes/s", nic, nicMeasured)
        let rates = fitted.map(\.sendRate)
        let lo = rates.min() ?? x, hi = rates.max() ?? x
        return PredictionCheck(label: run.label, rate: x, tolerancePercent: tolerancePercent,
                               extrapolated: x < lo || x > hi,
                               rateWasMeasured: rates.contains { abs($0 - x) <= 0.02 * max(x, 1) },
                               rows: rows, skipped: skipped)
    }
}
