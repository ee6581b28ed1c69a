import Foundation
import Metrics
import Profiles
import Sampler

/// Run results built the way `mqbench run` builds them: a recorder fed a steady
/// open-loop run (1 s warm-up, then `measured` seconds, every send acknowledged
/// in 2 ms, delivered 3 ms after sending), and a sampler series in which broker
/// CPU is 0.1 core + 100 µs per message and the store disk writes 2,000 B per message.
public enum SyntheticResults {
    public static let wall0: UInt64 = 1_800_000_000_000_000_000
    static let mono0: UInt64 = 5_000_000_000
    static let ms: UInt64 = 1_000_000

    /// - Parameters:
    ///   - stallAt: seconds after load start at which sends take 150 ms for one second, with a fault noted.
    ///   - cpuScale: multiplies the sampled broker CPU (a run that costs more than the others).
    public static func make(rate: Int, body: Int = 1024, groups: Int = 1, measured: Int = 2, stallAt: Int? = nil,
                            cpuScale: Double = 1) throws -> RunResults {
        let consumers = (0..<groups).map { "  - {group: g\($0), count: 1}" }.joined(separator: "\n")
        let profile = try ProfileParser.parse("""
            name: step
            duration: \(measured)s
            warmup: 1s
            sampleInterval: 1s
            message: {size: \(body)}
            producers: {count: 1, rate: \(rate), mode: async}
            consumers:
            \(consumers)
            """, file: "step.yaml")
        let recorder = RunRecorder(profile: profile, startWallNanos: wall0, startMonotonicNanos: mono0)
        let perSlot = rate / 100, slots = (1 + measured) * 100
        var seq: UInt64 = 0
        for slot in 0..<slots {
            let t = UInt64(slot) * 10 * ms
            if slot > 0, slot % 100 == 0 {
                _ = recorder.closeInterval(wallNanos: wall0 + t, monotonicNanos: mono0 + t)
                if slot == 100 { recorder.beginMeasurement(wallNanos: wall0 + t, monotonicNanos: mono0 + t) }
            }
            let stalled = stallAt.map { slot / 100 == $0 } ?? false
            if stalled, slot % 100 == 0 {
                recorder.noteFault(FaultEvent(action: "stop-broker", detail: "broker pid \(SyntheticSample.brokerPID)",
                                              wallTime: Double(wall0 + t) / 1e9))
            }
            for _ in 0..<perSlot {
                let latency = (stalled ? 150 : 2) * ms
                recorder.sendCompleted(SendRecord(producer: 0, firstSequence: seq, count: 1, bytes: body, intendedNanos: mono0 + t,
                                                  startedNanos: mono0 + t, completedNanos: mono0 + t + latency, outcome: .acknowledged))
                for g in 0..<groups {
                    recorder.received(ReceiveRecord(group: "g\(g)", consumer: 0,
                                                    stamp: MessageStamp(producer: 0, sequence: seq, sentWallNanos: wall0 + t),
                                                    receivedWallNanos: wall0 + t + latency + ms, consumeNanos: 0, bytes: body))
                }
                seq += 1
            }
        }
        let end = UInt64(slots) * 10 * ms
        _ = recorder.closeInterval(wallNanos: wall0 + end, monotonicNanos: mono0 + end)
        recorder.endMeasurement(wallNanos: wall0 + end, monotonicNanos: mono0 + end)
        let start = Double(wall0) / 1e9
        let samples = (1...(1 + measured)).map { i in
            SyntheticSample.make(time: start + Double(i), brokerCPU: (0.1 + 1e-4 * Double(rate)) * 100 * cpuScale, write: 2000 * Double(rate))
        }
        // Sampler.Cost has no public initialiser; its JSON form is public.
        let cost = try JSONDecoder().decode(Sampler.Cost.self, from: Data(#"{"reads": \#(samples.count + 1), "cpuSeconds": 0, "wallSeconds": \#(samples.count)}"#.utf8))
        let series = ResourceSeries(agent: 1, series: SampleSeries(intervalSeconds: 1, storeDisks: ["vda"], samples: samples,
                                                                  samplerCost: cost),
                                    processes: [ProcessRole(pid: SyntheticSample.brokerPID, role: .broker),
                                                ProcessRole(pid: SyntheticSample.generatorPID, role: .generator)])
        return RunResults(profile: profile, recorded: recorder.recorded(wallNanos: wall0 + end, monotonicNanos: mono0 + end),
                          agent: AgentInfo(hostname: "bench-a", pid: SyntheticSample.generatorPID),
                          environment: RunEnvironment(hostname: "bench-a", cpuModel: "Test CPU", cores: 2, memoryBytes: 1 << 34),
                          resources: series, createdAt: 1_800_000_010)
    }
}
