import Testing
@testable import Planner

@Suite struct CostAndKneeTests {
    @Test func perMessageCostsByRegressionOverSteadySteps() throws {
        let costs = ResourceCosts.regress(Fixtures.input().steps)
        // The 7000 msg/s step only achieved 6000: left out.
        #expect(costs.stepsUsed == ["1000", "2000", "3000", "4000", "5000", "6000"])
        let cpu = try #require(costs.brokerCPU)
        #expect(abs(cpu.slope - 50e-6) < 1e-12 && abs(cpu.intercept - 0.1) < 1e-9)
        #expect(abs(try #require(costs.diskWrite).slope - 2 * Fixtures.stored) < 1e-6)
        #expect(costs.pageCache == nil)
    }

    @Test func kneeIsTheLastStepThatKeptUp() throws {
        let knee = try #require(Knee.find(Fixtures.input().steps))
        #expect(knee.sustainable.label == "6000")
        #expect(knee.firstBroken?.label == "7000")
        #expect(knee.reasons.contains { $0.hasPrefix("achieved 6000 of 7000") })
        #expect(knee.reasons.contains("SLO broken"))
        #expect(Knee.find(Fixtures.input([1000, 2000]).steps)?.firstBroken == nil)
    }

    @Test func littlesLawGivesConcurrency() {
        let s = Fixtures.step(3000)
        // 3,000 msg/s × 3 ms mean latency = 9 sends in flight.
        #expect(abs(s.concurrency! - 9) < 1e-9)
    }
}

@Suite struct SizingTests {
    @Test func promotionClusterFromKnownCosts() throws {
        let plan = try Planner.plan(Fixtures.input(), Fixtures.config())
        let p = plan.parameters
        #expect(p.storedBytesPerMessage == Fixtures.stored)
        // Measured with 2 groups, no slave: 1 + 0.5 × 2 streams → write path 25 µs; planned 2 groups + 1 slave → × 2.5.
        #expect(abs(p.writeCPUSecondsPerMessage - 25e-6) < 1e-12)
        #expect(abs(p.masterCPUSecondsPerMessage - 62.5e-6) < 1e-12)
        #expect(abs(p.diskBytesPerMessage - 2 * Fixtures.stored) < 1e-6)
        #expect(abs(p.wireBytesPerMessage - 1300) < 1e-6)

        let c = plan.cluster
        #expect(c.masters == 2 && c.slaves == 2 && c.nameServers == 2 && c.sizedFor == "promotion")
        // 10,000 msg/s per master: 0.1 + 0.625 = 0.725 cores; with one master lost 1.45 ÷ 0.85 → 2 cores.
        #expect(c.node.cores == 2)
        // Lag memory 10,000 × 1,255 B × 300 s ÷ 0.4 = 9.41 GB → 16 GiB.
        #expect(c.node.memoryBytes == 16 * 1024 * 1024 * 1024)
        // (2,000 × 70 h + 20,000 × 2 h) × 3,600 ÷ 2 masters × 1,255 B ÷ 0.75 = 542 GB → 600 GiB.
        #expect(c.node.diskBytes == 600 * 1024 * 1024 * 1024)

        let promotion = try #require(plan.loads.first { $0.target.name == "promotion" })
        let cpu = try #require(promotion.resources.first { $0.resource == .cpu })
        #expect(abs(cpu.need - 0.725) < 1e-9 && abs(cpu.utilisation - 0.3625) < 1e-9)
        #expect(abs(cpu.failoverUtilisation! - 0.725) < 1e-9)
        let nic = try #require(promotion.resources.first { $0.resource == .nic })
        // Out: 10,000 × 1,300 B × (2 groups + 1 slave) × 8 bit.
        #expect(abs(nic.need - 312e6) < 1)
        let disk = try #require(promotion.resources.first { $0.resource == .diskBandwidth })
        #expect(abs(disk.need - 10_000 * 2 * Fixtures.stored) < 1e-3)
        let normal = try #require(plan.loads.first { $0.target.name == "normal" })
        #expect(abs(normal.resources[0].need - (0.1 + 1000 * 62.5e-6)) < 1e-9)
        #expect(normal.inFlightSends != nil)
    }

    @Test func tenfoldAddsGroupsWhenTheDiskBinds() throws {
        let plan = try Planner.plan(Fixtures.input(), Fixtures.config())
        // 200,000 msg/s: disk writes 2,510 B/msg; 2 masters need 239 MiB/s and 3 need 160 MiB/s,
        // over 60 % of 250 MiB/s; 4 masters need 120 MiB/s.
        #expect(plan.tenfold.cluster.masters == 4)
        #expect(plan.tenfold.cluster.binding == .diskBandwidth)
        #expect(plan.tenfold.changes.first?.contains("from 2 to 4 masters") == true)
    }

    @Test func warnsWhenTargetsAreBeyondTheMeasurements() throws {
        let plan = try Planner.plan(Fixtures.input(), Fixtures.config())
        // 10,000 msg/s per master against 6,000 measured.
        #expect(plan.warnings.contains { $0.hasPrefix("promotion: 10000 msg/s per master is beyond") })
        #expect(!plan.warnings.contains { $0.hasPrefix("normal:") })
        #expect(plan.warnings.contains { $0.contains("replication (2 copies) was not measured") })
        let assumptions = Dictionary(uniqueKeysWithValues: plan.parameters.assumptions.map { ($0.name, $0.source) })
        #expect(assumptions["retention"] == .default)
        #expect(assumptions["copies per message"] == .configured)
        #expect(assumptions["message body"] == .measured)
        #expect(assumptions["disk write bandwidth per node"] == .configured)
    }

    @Test func badRequestsAreRejectedClearly() throws {
        #expect(throws: PlannerError.badTarget("promotion")) { try SizingTarget(parsing: "promotion") }
        #expect(try SizingTarget(parsing: "promotion=20k").rate == 20000)
        var c = Fixtures.config()
        c.headroom = 1.5
        #expect(throws: PlannerError.self) { try Planner.plan(Fixtures.input(), c) }
        #expect(throws: PlannerError.noTargets) { try Planner.plan(Fixtures.input(), SizingConfig(targets: [])) }
        // No CPU samples: no cost to plan with.
        var input = Fixtures.input()
        for i in input.steps.indices { input.steps[i].resources.brokerCores = nil }
        #expect(throws: PlannerError.self) { try Planner.plan(input, Fixtures.config()) }
    }
}

@Suite struct DiskEstimateTests {
    @Test func bandwidthFromUtilisationOnlyWhenItTracksTheWrites() throws {
        var input = Fixtures.input()
        // %util = 5 + writes / 200 kB/s: 100 % at 19 MB/s.
        for i in input.steps.indices {
            let w = input.steps[i].resources.diskWriteBytesPerSecond!
            input.steps[i].resources.diskUtilisationPercent = 5 + w / 2e5
        }
        #expect(abs(try #require(SizingParameters.diskEstimate(input)) - 19e6) < 1)
        // A flat %util (another process keeps the disk busy) says nothing about capacity.
        for i in input.steps.indices { input.steps[i].resources.diskUtilisationPercent = 40 }
        #expect(SizingParameters.diskEstimate(input) == nil)
        // A disk never busy enough neither.
        for i in input.steps.indices { input.steps[i].resources.diskUtilisationPercent = Double(i) }
        #expect(SizingParameters.diskEstimate(input) == nil)
    }
}

@Suite struct BottleneckTests {
    let host = HostProfile(hostname: "h", logicalCPUs: 2)

    private func steps(broken: StepResources) -> [MeasuredStep] {
        let ok = MeasuredStep(label: "4000", seconds: 30, offeredRate: 4000, sendRate: 4000, latencyP99Ms: 5,
                              resources: StepResources(hostCPUPercent: 50, diskWriteBytesPerSecond: 8e6, diskUtilisationPercent: 30,
                                                       diskWriteAwaitMs: 0.5, nicUtilisationPercent: 10))
        let bad = MeasuredStep(label: "8000", seconds: 30, offeredRate: 8000, sendRate: 6000, latencyP99Ms: 90, resources: broken)
        return [ok, bad]
    }

    private func judge(_ r: StepResources) -> Bottleneck {
        let s = steps(broken: r)
        return Bottleneck.identify(knee: Knee.find(s), steps: s, host: host)
    }

    @Test func namesTheResourceAtItsCeilingWithEvidence() {
        let cpu = judge(StepResources(brokerCores: 1.6, generatorCores: 0.2, hostCPUPercent: 99, diskUtilisationPercent: 40))
        #expect(cpu.resource == .brokerCPU)
        #expect(cpu.evidence.first == "host CPU without the generator 89 % at 8000 (50 % at 4000)")
        #expect(cpu.evidence.contains { $0.hasPrefix("achieved 6000 of 8000") })
        #expect(judge(StepResources(hostCPUPercent: 60, diskWriteBytesPerSecond: 2e8, diskUtilisationPercent: 97)).resource == .diskBandwidth)
        #expect(judge(StepResources(hostCPUPercent: 60, nicUtilisationPercent: 75)).resource == .nic)
        #expect(judge(StepResources(hostCPUPercent: 60, diskUtilisationPercent: 50, diskWriteAwaitMs: 9)).resource == .diskLatency)
        #expect(judge(StepResources(hostCPUPercent: 60, diskWriteBytesPerSecond: 1e7, diskReadBytesPerSecond: 5e6)).resource == .pageCache)
    }

    /// The CPU ceiling is for the broker's host: a generator sharing the measured
    /// host (embedded mode) does not count towards it.
    @Test func theGeneratorsOwnCPUDoesNotCountTowardsTheCPUCeiling() {
        let shared = steps(broken: StepResources(brokerCores: 1.1, generatorCores: 0.7, hostCPUPercent: 95))[1]
        #expect(shared.resources.brokerSideCPUPercent(logicalCPUs: 2) == 60)
        #expect(Ceilings().exceeded(by: shared, logicalCPUs: 2).isEmpty)
        // The host was saturated nonetheless: broker and generator shared it.
        let coLocated = judge(shared.resources)
        #expect(coLocated.resource == .generator)
        #expect(coLocated.evidence.first?.hasPrefix("host CPU 95 % at 8000, 35 % of it the generator's (0.7 cores)") == true)
        let brokerHot = steps(broken: StepResources(brokerCores: 1.8, generatorCores: 0.1, hostCPUPercent: 97))[1]
        #expect(Ceilings().exceeded(by: brokerHot, logicalCPUs: 2) == ["host CPU without the generator 92 % ≥ 85 %"])
    }

    /// Broker CPU capped by a saturated host does not rise with the rate: its cost is
    /// the average per message (through the origin), never a negative slope.
    @Test func flatBrokerCPUIsCostedThroughTheOrigin() throws {
        let flat = [(8000.0, 1.0), (12000, 0.95), (16000, 1.02)].map { rate, cores in
            MeasuredStep(label: "\(Int(rate))", seconds: 30, offeredRate: rate, sendRate: rate, latencyP99Ms: 5,
                         resources: StepResources(brokerCores: cores, diskWriteBytesPerSecond: 1_100 * rate))
        }
        let costs = ResourceCosts.regress(flat)
        // The ordinary fit stays (it predicts within the measured rates); sizing uses the average.
        #expect(costs.brokerCPU?.throughOrigin == nil && (costs.brokerCPU?.rSquared ?? 1) < 0.5)
        let cpu = try #require(costs.brokerCPUAverage)
        #expect(costs.brokerCPUForSizing == cpu)
        #expect(cpu.throughOrigin == true && cpu.intercept == 0)
        #expect(abs(cpu.slope - (8000 * 1.0 + 12000 * 0.95 + 16000 * 1.02) / (8000.0 * 8000 + 12000 * 12000 + 16000 * 16000)) < 1e-12)
        // A proportional resource keeps its ordinary fit.
        #expect(costs.diskWrite?.throughOrigin == nil && abs((costs.diskWrite?.slope ?? 0) - 1_100) < 1e-6)
        let rising = ResourceCosts.regress(flat.map { s in
            var s = s; s.resources.brokerCores = 0.1 + 20e-6 * s.sendRate; return s
        })
        #expect(rising.brokerCPUAverage == nil && abs((rising.brokerCPUForSizing?.slope ?? 0) - 20e-6) < 1e-12)
        #expect(ResourceCosts.regress(Array(flat.prefix(1))).brokerCPUForSizing == nil)
    }

    @Test func aSaturatedGeneratorComesFirst() {
        let b = judge(StepResources(brokerCores: 0.2, generatorCores: 1.8, hostCPUPercent: 99))
        #expect(b.resource == .generator)
        #expect(b.evidence.contains { $0.hasPrefix("generator used 1.8 of 2 CPUs") })
    }

    @Test func contentionWhenNothingIsAtACeiling() {
        #expect(judge(StepResources(hostCPUPercent: 40, diskUtilisationPercent: 20)).resource == .contention)
        let fine = Array(steps(broken: StepResources()).prefix(1))
        #expect(Bottleneck.identify(knee: Knee.find(fine), steps: fine, host: host).resource == .notReached)
        #expect(Ceilings().exceeded(by: steps(broken: StepResources(hostCPUPercent: 90, nicUtilisationPercent: 71))[1], logicalCPUs: 2)
                == ["host CPU 90 % ≥ 85 %", "NIC 71 % ≥ 70 %"])
    }
}
