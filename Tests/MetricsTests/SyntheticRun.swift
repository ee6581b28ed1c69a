import Foundation
import Profiles
import TestSupport
@testable import Metrics

/// A reproducible 4-second run (1 s warm-up, 3 s measured) played into recorders:
/// one per agent of a two-agent run and one that sees every event, so that merged
/// agent results can be compared with the whole.
///
/// Producers 0 and 2 run on agent 1, producers 1 and 3 on agent 2. Group `points`
/// (clustering) has consumer 0 on agent 1 and consumer 1 on agent 2, taking even
/// and odd sequences; group `audit` (broadcasting) has consumer 0 on agent 1 and
/// consumer 1 on agent 2, each getting everything. Every 101st send fails, about
/// 1 % of `points` deliveries are lost, 1 % are redelivered to the other agent's
/// consumer, and `audit` consumer 1 misses sequences 7 of every producer.
struct SyntheticRun {
    static let yaml = """
        name: fixture
        duration: 3s
        warmup: 1s
        sampleInterval: 1s
        producers: {count: 4, rate: 400, mode: async}
        consumers:
          - {group: points, count: 2}
          - {group: audit, count: 2, model: broadcasting}
        slo: {sendP99: 50ms, endToEndP99: 200ms, maxErrorRate: 0.05, maxLost: 1000}
        """

    static func profile(_ text: String = yaml) throws -> Profile {
        try ProfileParser.parse(text, file: "fixture.yaml")
    }

    static let wall0: UInt64 = 1_800_000_000_000_000_000
    static let mono0: UInt64 = 7_000_000_000
    static let ms: UInt64 = 1_000_000

    let profile: Profile
    let agents: [RunRecorder]
    let whole: RunRecorder

    init(profile: Profile) {
        self.profile = profile
        agents = (0..<2).map { _ in RunRecorder(profile: profile, startWallNanos: Self.wall0, startMonotonicNanos: Self.mono0) }
        whole = RunRecorder(profile: profile, startWallNanos: Self.wall0, startMonotonicNanos: Self.mono0)
        play()
    }

    private func both(_ agent: Int, _ body: (RunRecorder) -> Void) {
        body(agents[agent])
        body(whole)
    }

    private func all(_ body: (RunRecorder) -> Void) {
        for a in agents { body(a) }
        body(whole)
    }

    private func play() {
        var rng = SplitMix64(seed: 2024)
        for slot in 0..<400 {                         // 10 ms slots over 4 s
            let t = UInt64(slot) * 10 * Self.ms
            if slot > 0 && slot % 100 == 0 {
                all { $0.closeInterval(wallNanos: Self.wall0 + t, monotonicNanos: Self.mono0 + t) }
                if slot == 100 { all { $0.beginMeasurement(wallNanos: Self.wall0 + t, monotonicNanos: Self.mono0 + t) } }
            }
            for producer in UInt32(0)..<4 {
                let seq = UInt64(slot)
                let agent = Int(producer % 2)
                let latency = UInt64.random(in: 1_000...(slot % 50 == 0 ? 80_000 : 9_000), using: &rng) * 1000
                let delay = UInt64.random(in: 0...300, using: &rng) * 1000
                let failed = (slot * 4 + Int(producer)) % 101 == 50
                let send = SendRecord(producer: producer, firstSequence: seq, count: 1, bytes: 1024,
                                      intendedNanos: Self.mono0 + t, startedNanos: Self.mono0 + t + delay,
                                      completedNanos: Self.mono0 + t + latency,
                                      outcome: failed ? .failed(code: 14, reason: "broker busy") : .acknowledged)
                both(agent) { $0.sendCompleted(send) }
                if failed { continue }
                let stamp = MessageStamp(producer: producer, sequence: seq, sentWallNanos: Self.wall0 + t)
                func deliver(_ group: String, consumer: Int) {
                    let e2e = UInt64.random(in: 2_000...40_000, using: &rng) * 1000
                    let r = ReceiveRecord(group: group, consumer: consumer, stamp: stamp, receivedWallNanos: Self.wall0 + t + e2e,
                                          consumeNanos: 500_000, bytes: 1024)
                    both(consumer) { $0.received(r) }
                }
                let roll = UInt64.random(in: 0..<100, using: &rng)
                let owner = Int(seq % 2)
                if roll != 0 { deliver("points", consumer: owner) }
                if roll == 1 { deliver("points", consumer: 1 - owner) }
                deliver("audit", consumer: 0)
                if seq != 7 { deliver("audit", consumer: 1) }
            }
        }
        let end = 400 * 10 * Self.ms
        all { $0.closeInterval(wallNanos: Self.wall0 + end, monotonicNanos: Self.mono0 + end) }
        all { $0.endMeasurement(wallNanos: Self.wall0 + end, monotonicNanos: Self.mono0 + end) }
    }

    static let environment = RunEnvironment(hostname: "bench-a", cpuModel: "Test CPU", cores: 2, cluster: "embedded")

    /// The results of agent `index` (1 or 2), as `mqbench run --agent index/2` writes them.
    func agentResults(_ index: Int, profile: Profile? = nil) -> RunResults {
        let end = Self.wall0 + 4000 * Self.ms
        return RunResults(profile: profile ?? self.profile,
                          recorded: agents[index - 1].recorded(wallNanos: end, monotonicNanos: Self.mono0 + 4000 * Self.ms),
                          agent: AgentInfo(index: index, count: 2, hostname: "bench-\(index)", pid: 100 + Int32(index)),
                          environment: Self.environment,
                          generator: .assess(cpuSeconds: 0.3, wallSeconds: 4, messages: 3000, cores: 2),
                          createdAt: 1_800_000_010)
    }

    /// The results of one generator that saw everything.
    func wholeResults() -> RunResults {
        RunResults(profile: profile,
                   recorded: whole.recorded(wallNanos: Self.wall0 + 4000 * Self.ms, monotonicNanos: Self.mono0 + 4000 * Self.ms),
                   agent: AgentInfo(hostname: "bench-1", pid: 101), environment: Self.environment, createdAt: 1_800_000_010)
    }
}
