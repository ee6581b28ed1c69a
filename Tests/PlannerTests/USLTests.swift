import Testing
import TestSupport
@testable import Planner

@Suite struct USLTests {
    let truth = USLModel(sigma: 0.03, kappa: 0.0005, lambda: 1000)
    let concurrencies: [Double] = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64]

    @Test func recoversExactParameters() throws {
        let fit = try USLFitter.fit(concurrencies.map { USLPoint(concurrency: $0, throughput: truth.throughput($0)) })
        #expect(abs(fit.model.sigma - 0.03) < 1e-4)
        #expect(abs(fit.model.kappa - 0.0005) / 0.0005 < 1e-3)
        #expect(abs(fit.model.lambda - 1000) < 0.5)
        #expect(fit.rSquared > 0.999_999)
        // N* = √((1 − σ)/κ) = √(0.97/0.0005) ≈ 44.05.
        #expect(abs(fit.peakConcurrency! - 44.045) < 0.05)
        #expect(fit.warnings.isEmpty)
    }

    @Test func recoversFromNoisyMeasurements() throws {
        var rng = SplitMix64(seed: 42)
        var points: [USLPoint] = []
        for n in concurrencies {
            for _ in 0..<3 {
                let noise = 1 + Double.random(in: -0.02...0.02, using: &rng)
                points.append(USLPoint(concurrency: n, throughput: truth.throughput(n) * noise))
            }
        }
        let fit = try USLFitter.fit(points)
        #expect(abs(fit.model.sigma - 0.03) < 0.01)
        #expect(abs(fit.model.kappa - 0.0005) / 0.0005 < 0.3)
        #expect(abs(fit.peakThroughput! - truth.peakThroughput!) / truth.peakThroughput! < 0.05)
        #expect(fit.rSquared > 0.98 && fit.rSquared < 1)
        #expect(fit.rmse > 0)
    }

    @Test func amdahlDataHasNoRetrogradePeak() throws {
        let amdahl = USLModel(sigma: 0.1, kappa: 0, lambda: 500)
        let fit = try USLFitter.fit(concurrencies.map { USLPoint(concurrency: $0, throughput: amdahl.throughput($0)) })
        #expect(fit.model.kappa < 1e-7)
        #expect(abs(fit.model.sigma - 0.1) < 1e-3)
        // Without κ the throughput approaches λ/σ; the peak concurrency is then far past the data.
        #expect(abs(fit.peakThroughput! - 5000) / 5000 < 0.05)
    }

    @Test func needsFourDistinctPoints() {
        #expect(throws: USLFitError.tooFewPoints(3)) {
            try USLFitter.fit([1, 2, 4, 4].map { USLPoint(concurrency: $0, throughput: 100 * $0) })
        }
        let fewWarn = try? USLFitter.fit([1, 2, 4, 8].map { USLPoint(concurrency: $0, throughput: truth.throughput($0)) })
        #expect(fewWarn?.warnings.contains { $0.contains("at least 6") } == true)
    }

    @Test func linearFitAndItsQuality() throws {
        let fit = try #require(LinearFit.fit([1, 2, 3, 4], [3, 5, 7, 9]))
        #expect(abs(fit.slope - 2) < 1e-12 && abs(fit.intercept - 1) < 1e-12 && fit.rSquared == 1)
        let noisy = try #require(LinearFit.fit([1, 2, 3, 4], [3, 6, 6, 9]))
        #expect(noisy.rSquared < 1 && noisy.rmse > 0)
        #expect(LinearFit.fit([2, 2, 2], [1, 2, 3]) == nil)
        #expect(LinearFit.fit([1], [1]) == nil)
    }
}
