import Planner
import Testing

/// The planner's accuracy check: costs fitted on some steps against a run they did not see.
@Suite struct PredictionCheckTests {
    /// A step whose resources follow the given per-message costs exactly, scaled by `cpuFactor` for the broker.
    private func step(_ rate: Double, cpuFactor: Double = 1, label: String? = nil) -> MeasuredStep {
        MeasuredStep(label: label ?? "\(Int(rate))", seconds: 30, offeredRate: rate, sendRate: rate, latencyP99Ms: 5,
                     resources: StepResources(brokerCores: (0.1 + 20e-6 * rate) * cpuFactor, diskWriteBytesPerSecond: 1_100 * rate,
                                              nicRxBytesPerSecond: 3_000 * rate, nicTxBytesPerSecond: 3_100 * rate))
    }

    private var fitted: [MeasuredStep] { [step(2000), step(4000), step(8000)] }

    @Test func aRunBetweenTheStepsIsPredictedWithinTolerance() throws {
        let costs = ResourceCosts.regress(fitted)
        let check = PredictionCheck.make(costs: costs, fitted: fitted, run: step(6000, cpuFactor: 1.1, label: "check"))
        #expect(check.rows.map(\.resource) == ["broker CPU", "disk write", "NIC (tx + rx)"])
        let cpu = try #require(check.rows.first)
        // Predicted 0.22 cores, measured 0.242: −9.1 %.
        #expect(abs(cpu.predicted - 0.22) < 1e-9 && abs(cpu.measured - 0.242) < 1e-9)
        #expect(abs(cpu.errorPercent - (-100.0 / 11)) < 1e-6 && cpu.withinTolerance)
        let nic = check.rows[2]
        #expect(abs(nic.predicted - 6_100 * 6000) < 1e-3 && abs(nic.errorPercent) < 1e-9)
        #expect(check.passed && !check.extrapolated && !check.rateWasMeasured && check.skipped.isEmpty)
    }

    @Test func aCostThatIsOffFailsTheCheck() {
        let costs = ResourceCosts.regress(fitted)
        let check = PredictionCheck.make(costs: costs, fitted: fitted, run: step(6000, cpuFactor: 1.4))
        #expect(!check.passed)
        #expect(check.rows.filter { !$0.withinTolerance }.map(\.resource) == ["broker CPU"])
        #expect(PredictionCheck.make(costs: costs, fitted: fitted, run: step(6000, cpuFactor: 1.4), tolerancePercent: 30).passed)
    }

    @Test func saysWhenTheRateWasMeasuredOrLiesOutsideTheSteps() {
        let costs = ResourceCosts.regress(fitted)
        #expect(PredictionCheck.make(costs: costs, fitted: fitted, run: step(4000)).rateWasMeasured)
        #expect(PredictionCheck.make(costs: costs, fitted: fitted, run: step(12000)).extrapolated)
        // Nothing measured in the run: no rows, so no pass.
        let bare = MeasuredStep(label: "bare", seconds: 30, offeredRate: 6000, sendRate: 6000, latencyP99Ms: 5, resources: StepResources())
        let check = PredictionCheck.make(costs: costs, fitted: fitted, run: bare)
        #expect(check.rows.isEmpty && !check.passed && check.skipped.count == 3)
    }
}
