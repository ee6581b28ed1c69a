/// Where the load generator's fleets report what happened, one call per event.
///
/// Producers call `sendCompleted` once per send request (a batch is one call
/// covering `count` consecutive sequence numbers); consumers call `received`
/// once per delivered message, duplicates included. Implementations must be
/// cheap and thread-safe: at a 20,000 msg/s promotion peak with four consumer
/// groups they see about 100,000 calls a second from many tasks.
public protocol LoadObserver: Sendable {
    func sendCompleted(_ send: SendRecord)
    func received(_ message: ReceiveRecord)
    /// The deliveries of one listener call, in order (the default reports each):
    /// an implementation can take its lock once per batch.
    func received(_ messages: [ReceiveRecord])
}

extension LoadObserver {
    public func received(_ messages: [ReceiveRecord]) {
        for m in messages { received(m) }
    }
}

/// One send request, as the producer saw it.
public struct SendRecord: Sendable, Equatable {
    /// Producer id (unique over all agents of a run) and the first sequence number
    /// the request carried; a batch carries `count` consecutive numbers.
    public var producer: UInt32
    public var firstSequence: UInt64
    public var count: Int
    /// Body bytes over the whole request.
    public var bytes: Int
    /// When the schedule meant the send to start (open loop), when it really
    /// started, and when its acknowledgement (or failure) arrived:
    /// `BenchClock.monotonicNanos()` values. Send latency is completed − intended
    /// (coordinated-omission safe); send delay is started − intended. In closed-loop
    /// runs intended == started.
    public var intendedNanos: UInt64
    public var startedNanos: UInt64
    public var completedNanos: UInt64
    public var outcome: SendOutcome

    public init(producer: UInt32, firstSequence: UInt64, count: Int, bytes: Int,
                intendedNanos: UInt64, startedNanos: UInt64, completedNanos: UInt64, outcome: SendOutcome) {
        self.producer = producer
        self.firstSequence = firstSequence
        self.count = count
        self.bytes = bytes
        self.intendedNanos = intendedNanos
        self.startedNanos = startedNanos
        self.completedNanos = completedNanos
        self.outcome = outcome
    }
}

/// How a send ended. Oneway sends report `.unacknowledged`: they count as sent but
/// verification cannot call them lost (nothing promised they were stored).
public enum SendOutcome: Sendable, Equatable {
    case acknowledged
    case unacknowledged
    /// The broker's response code (or -1 for a local/timeout error) and its remark.
    case failed(code: Int, reason: String)
}

/// One message delivered to a consumer of `group`.
public struct ReceiveRecord: Sendable, Equatable {
    public var group: String
    /// Consumer index within the group on this agent (for per-consumer lag and throttling).
    public var consumer: Int
    public var stamp: MessageStamp
    /// `BenchClock.wallNanos()` when the listener got the message; end-to-end latency
    /// is this minus `stamp.sentWallNanos` (wall clock, so agents on several hosts compare).
    public var receivedWallNanos: UInt64
    /// Simulated processing time spent on this message.
    public var consumeNanos: UInt64
    public var bytes: Int

    public init(group: String, consumer: Int, stamp: MessageStamp, receivedWallNanos: UInt64, consumeNanos: UInt64, bytes: Int) {
        self.group = group
        self.consumer = consumer
        self.stamp = stamp
        self.receivedWallNanos = receivedWallNanos
        self.consumeNanos = consumeNanos
        self.bytes = bytes
    }
}
