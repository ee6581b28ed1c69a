import BenchFixtures
import Testing
@testable import Planner
import Sampler

@Suite struct StepResourcesTests {
    @Test func averagesTheStepWindowOnly() {
        let samples = (1...10).map { t in
            SyntheticSample.make(time: Double(t), brokerCPU: t <= 5 ? 20 : 150, write: t <= 5 ? 1e6 : 3e6, cached: Double(t) * 1_000_000)
        }
        let r = StepResources(samples: samples, from: 5, to: 10, brokerPIDs: [10], generatorPIDs: [20])
        #expect(r.brokerCores == 1.5)
        #expect(r.generatorCores == 0.3)
        // The store disk only, not vdb.
        #expect(r.diskWriteBytesPerSecond == 3e6 && r.diskUtilisationPercent == 40 && r.diskWriteAwaitMs == 0.5)
        #expect(r.nicTxBytesPerSecond == 7.5e6 && r.nicRxBytesPerSecond == 6e6)
        #expect(r.hostCPUPercent == 50)
        #expect(abs(r.nicUtilisationPercent! - 2) < 1e-9)
        #expect(r.brokerRSSBytes == Double(300 << 20))
        // Cached grew 1 MB per second between the samples at 5 s and 10 s.
        #expect(r.pageCacheGrowthBytesPerSecond == 1e6)
        #expect(StepResources(samples: samples, from: 20, to: 30, brokerPIDs: [10], generatorPIDs: []) == StepResources())
    }
}
