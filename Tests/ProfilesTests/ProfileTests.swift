import Foundation
import Testing
@testable import Profiles

let profilesDir: String = {
    let here = URL(fileURLWithPath: #filePath)
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("profiles").path
}()

@Suite struct ShippedProfileTests {
    @Test(arguments: ["normal-2000tps", "promotion-20000tps", "flash-sale-spike", "backlog-drain", "zero-loss", "max-throughput", "smoke"])
    func parses(name: String) throws {
        let p = try ProfileParser.parse(contentsOf: "\(profilesDir)/\(name).yaml")
        #expect(p.name == name)
        #expect(p.duration > 0 && !p.description.isEmpty)
    }

    @Test func normalIsTheEveningPeak() throws {
        let p = try ProfileParser.parse(contentsOf: "\(profilesDir)/normal-2000tps.yaml")
        #expect(p.intendedRate(at: 10) == 2000 && p.intendedRate(at: 200) == 2000)
        #expect(p.message.sizes == [.init(bytes: 1024, weight: 1)])
        #expect(p.consumers.map(\.name) == ["points", "coupons", "delivery", "sms"])
        #expect(p.slo.sendP99 == 10 && p.slo.maxLost == 0 && p.verification)
        #expect(p.warmup == 30 && p.duration == 300)
        let promo = try ProfileParser.parse(contentsOf: "\(profilesDir)/promotion-20000tps.yaml")
        #expect(promo.intendedRate(at: 100) == 10 * p.intendedRate(at: 100))
    }

    @Test func spikeAndZeroLossAndClosedLoop() throws {
        let s = try ProfileParser.parse(contentsOf: "\(profilesDir)/flash-sale-spike.yaml")
        #expect(s.intendedRate(at: 89) == 2000 && s.intendedRate(at: 95) == 50_000 && s.intendedRate(at: 101) == 2000)
        #expect(s.warmup + s.duration == 220)
        let z = try ProfileParser.parse(contentsOf: "\(profilesDir)/zero-loss.yaml")
        #expect(z.broker.flushDiskType == "SYNC_FLUSH" && z.producers.mode == .sync)
        #expect(z.faults == [.init(at: 90, action: .killBroker, restartAfter: 5, group: nil, rate: nil)])
        let m = try ProfileParser.parse(contentsOf: "\(profilesDir)/max-throughput.yaml")
        #expect(m.producers.closedLoop && m.producers.schedule.isEmpty)
        let b = try ProfileParser.parse(contentsOf: "\(profilesDir)/backlog-drain.yaml")
        #expect(b.consumers.first?.resumeAtBacklog == 1_000_000)
    }
}

@Suite struct ProfileValidationTests {
    func failure(_ yaml: String) -> ProfileError? {
        do {
            _ = try ProfileParser.parse(yaml, file: "t.yaml")
            return nil
        } catch {
            return error
        }
    }

    let base = """
        name: t
        duration: 1m
        producers: {count: 2, rate: 100}

        """

    @Test func unknownKeyNamesLineAndSuggestsTheKnownOne() throws {
        let e = try #require(failure(base + "consumers:\n  - group: a\n    cuont: 3\n"))
        #expect(e.line == 6 && e.file == "t.yaml")
        #expect(e.message.contains("cuont") && e.suggestion == "did you mean 'count'?")
        let top = try #require(failure("name: t\nduraton: 1m\nproducers: {rate: 1}\n"))
        #expect(top.line == 2 && top.suggestion == "did you mean 'duration'?")
    }

    @Test func wrongTypesAndImpossibleValuesAreRejectedWithTheLine() throws {
        let t = try #require(failure("name: t\nduration: 1m\nproducers: {count: many, rate: 100}\n"))
        #expect(t.line == 3 && t.message.contains("producers.count must be a number"))
        let neg = try #require(failure("name: t\nduration: 1m\nproducers: {count: 1, rate: -5}\n"))
        #expect(neg.message.contains("outside"))
        let d = try #require(failure("name: t\nduration: soon\nproducers: {rate: 1}\n"))
        #expect(d.line == 2 && d.message.contains("duration"))
        let size = try #require(failure(base + "message: {size: 1KB, randomRatio: 2}\n"))
        #expect(size.message.contains("randomRatio") && size.line == 4)
        let flush = try #require(failure(base + "broker: {flushDiskType: SYNC_FLUSHED}\n"))
        #expect(flush.suggestion == "did you mean 'SYNC_FLUSH'?")
        let mode = try #require(failure("name: t\nduration: 1m\nproducers: {rate: 1, mode: asynch}\n"))
        #expect(mode.suggestion == "did you mean 'async'?")
    }

    @Test func contradictionsAreRejected() throws {
        #expect(failure("duration: 1m\nproducers: {rate: 10, schedule: [{constant: 5, for: 1m}]}\n")?.message.contains("not both") == true)
        #expect(failure("duration: 1m\nproducers: {count: 1}\n")?.message.contains("need a rate") == true)
        #expect(failure("duration: 1m\nproducers: {closedLoop: true, rate: 5}\n")?.message.contains("closed-loop") == true)
        let mismatch = try #require(failure("duration: 5m\nproducers:\n  schedule:\n    - {constant: 5, for: 1m}\n"))
        #expect(mismatch.message.contains("adds up to 60 s"))
        let fault = try #require(failure(base + "consumers: [{group: points}]\nfaults:\n  - {at: 10s, action: pause-consumers, group: pionts}\n"))
        #expect(fault.suggestion == "did you mean 'points'?" && fault.line == 6)
        #expect(failure(base + "faults: [{at: 2m, action: kill-broker}]\n")?.message.contains("after the run ends") == true)
        #expect(failure(base + "faults: [{at: 10s, action: throttle-consumers}]\n")?.message.contains("rate") == true)
        #expect(failure(base + "consumers: [{group: a}, {group: a}]\n")?.message.contains("twice") == true)
        #expect(failure("name: t\n  bad: [indent\n")?.message.contains("not valid YAML") == true)
        #expect(failure("")?.message.contains("empty") == true)
    }

    @Test func schedulesGiveTheIntendedRateOverTime() throws {
        let p = try ProfileParser.parse("""
            producers:
              schedule:
                - {ramp: {from: 0, to: 1000}, for: 10s}
                - {steps: {from: 1000, to: 4000, count: 4}, for: 40s}
                - {spike: 9000, for: 5s}
            """, file: "s.yaml")
        #expect(p.duration == 55 && p.warmup == 0)
        #expect(p.intendedRate(at: 0) == 0 && p.intendedRate(at: 5) == 500)
        #expect(p.intendedRate(at: 10) == 1000 && p.intendedRate(at: 25) == 2000 && p.intendedRate(at: 49) == 4000)
        #expect(p.intendedRate(at: 52) == 9000)
    }

    @Test func defaultsAreTheDocumentedOnes() throws {
        let p = try ProfileParser.parse("duration: 1m\nproducers: {rate: 100}\n", file: "d.yaml", defaultName: "d")
        #expect(p.name == "d" && p.warmup == 0 && p.sampleInterval == 1 && p.verification)
        #expect(p.topics.count == 1 && p.topics.queuesPerTopic == 8 && p.topics.names == ["BenchTopic"])
        #expect(p.message.sizes == [.init(bytes: 1024, weight: 1)] && p.message.randomRatio == 0.5)
        #expect(p.producers.count == 1 && p.producers.mode == .async && p.producers.window == 256)
        #expect(p.broker.flushDiskType == "ASYNC_FLUSH" && p.consumers.isEmpty && p.faults.isEmpty)
    }
}
