import Protocol
import Synchronization

/// The queues a producer may write to for one topic: `writeQueueNums` queues of
/// every writable queue data whose broker has a master, in broker-name order,
/// chosen round robin from a random start (RocketMQ `TopicPublishInfo`).
final class TopicPublishInfo: Sendable {
    let queues: [MessageQueue]
    /// True when the topic does not exist yet and this comes from the TBW102 template.
    let fromDefaultTopic: Bool
    private let index = Atomic<Int>(Int.random(in: 0..<1024))

    init(topic: String, route: TopicRouteData, fromDefaultTopic: Bool = false, maxQueuesPerBroker: Int32 = .max) {
        let masters = Set(route.brokerDatas.filter { $0.masterAddress != nil }.map(\.brokerName))
        queues = route.queueDatas
            .filter { Perm(rawValue: $0.perm).isWriteable && masters.contains($0.brokerName) }
            .sorted { $0.brokerName < $1.brokerName }
            .flatMap { q in
                (0..<min(q.writeQueueNums, maxQueuesPerBroker)).map { MessageQueue(topic: topic, brokerName: q.brokerName, queueId: $0) }
            }
        self.fromDefaultTopic = fromDefaultTopic
    }

    /// The next queue round robin, skipping `avoiding` brokers while another queue is left
    /// (the broker that just failed, brokers isolated by fault avoidance).
    func select(avoiding: (MessageQueue) -> Bool = { _ in false }) -> MessageQueue? {
        guard !queues.isEmpty else { return nil }
        for _ in 0..<queues.count {
            let i = index.wrappingAdd(1, ordering: .relaxed).oldValue
            let q = queues[abs(i % queues.count)]
            if !avoiding(q) { return q }
        }
        return queues[abs(index.wrappingAdd(1, ordering: .relaxed).oldValue % queues.count)]
    }
}

/// Latency-based fault avoidance (RocketMQ `MQFaultStrategy`, off by default):
/// a send's latency (an error counts as 30 s) maps through `latencyMax` to a
/// period during which its broker is avoided.
final class LatencyFaultStrategy: Sendable {
    static let latencyMax: [Int64] = [50, 100, 550, 1000, 2000, 3000, 15000]
    static let notAvailableDuration: [Int64] = [0, 0, 30000, 60000, 120000, 180000, 600000]

    let enabled: Bool
    private let unavailableUntil = Mutex<[String: ContinuousClock.Instant]>([:])

    init(enabled: Bool) { self.enabled = enabled }

    /// Records a send to `brokerName` that took `latency` (or failed, `isolation` = true).
    func update(brokerName: String, latency: Duration, isolation: Bool) {
        guard enabled else { return }
        let ms = isolation ? 30000 : latency.components.seconds * 1000 + latency.components.attoseconds / 1_000_000_000_000_000
        var pause: Int64 = 0
        for i in stride(from: Self.latencyMax.count - 1, through: 0, by: -1) where ms >= Self.latencyMax[i] {
            pause = Self.notAvailableDuration[i]
            break
        }
        let until = ContinuousClock.now + .milliseconds(pause)
        unavailableUntil.withLock { $0[brokerName] = until }
    }

    func isAvailable(_ brokerName: String) -> Bool {
        guard enabled else { return true }
        return unavailableUntil.withLock { $0[brokerName].map { ContinuousClock.now >= $0 } ?? true }
    }
}
