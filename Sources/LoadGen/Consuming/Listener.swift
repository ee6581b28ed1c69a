import Client
import MessageFormat
import Metrics
import Profiles
import Synchronization

/// What one consumer does with each delivered message: read its stamp, report
/// it, and account the simulated processing time and the group's throttle.
struct Listener: Sendable {
    let group: String
    /// The consumer's index within its group on this agent.
    let consumer: Int
    let processing: Profile.Processing
    /// Makes processing-time draws differ between groups.
    let salt: UInt64
    /// nil when processing takes no time.
    let pacer: Pacer?
    let throttle: GroupThrottle
    /// First queue offsets of this run (empty: every message counts).
    let starts: [ConsumerFleet.QueueKey: Int64]
    let observer: any LoadObserver
    /// Counts messages without a stamp.
    let counters: CountingObserver?

    func consume(_ messages: [StoredMessage]) async -> ConsumeResult {
        let wall = BenchClock.wallNanos()
        var wait: UInt64 = 0
        var records: [ReceiveRecord] = []
        records.reserveCapacity(messages.count)
        for m in messages {
            if !starts.isEmpty, let first = starts[ConsumerFleet.QueueKey(topic: m.topic, queueId: m.queueId, storeHost: m.storeHost)],
               m.queueOffset < first {
                continue
            }
            guard let stamp = Self.stamp(of: m) else {
                counters?.foreign.add(1, ordering: .relaxed)
                continue
            }
            let cost = processing.nanos(u: stamp.unitHash(salt: salt))
            records.append(ReceiveRecord(group: group, consumer: consumer, stamp: stamp, receivedWallNanos: wall,
                                         consumeNanos: cost, bytes: m.body.count))
            let now = BenchClock.monotonicNanos()
            if let pacer { wait = max(wait, pacer.admit(costNanos: cost, now: now)) }
            wait = max(wait, throttle.admit(now: now))
        }
        observer.received(records)
        if wait > 0 { try? await Task.sleep(for: .nanoseconds(Int64(wait))) }
        return .success
    }

    /// The stamp from the body, or from the `PMQ_STAMP` property of a short body.
    static func stamp(of m: StoredMessage) -> MessageStamp? {
        if let s = MessageStamp(body: m.body) { return s }
        return m.properties[MessageStamp.propertyName].flatMap(MessageStamp.init(text:))
    }
}
