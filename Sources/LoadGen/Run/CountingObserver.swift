import Metrics
import Synchronization

/// Counts what the fleets report (sends by outcome, receives per group) with
/// relaxed atomics and passes every event on to `next` (the run's recorder,
/// attached when load starts, so that its clock does not include the set-up).
/// The generator reads these counts for decisions during the run: backlog for
/// `resumeAtBacklog`, when consumers have drained, the progress line.
public final class CountingObserver: LoadObserver {
    public final class Group: Sendable {
        public let name: String
        /// Messages delivered to the group, duplicates included.
        public let received = Atomic<Int>(0)
        /// Consumers of the group on this agent that each see every message (broadcasting), else 1.
        public let copies: Int
        init(name: String, copies: Int) {
            self.name = name
            self.copies = copies
        }
    }

    /// Messages acknowledged by the broker.
    public let acknowledged = Atomic<Int>(0)
    /// Messages sent one-way (no acknowledgement expected).
    public let unacknowledged = Atomic<Int>(0)
    /// Messages whose send failed.
    public let failed = Atomic<Int>(0)
    /// Send requests completed (a batch is one).
    public let requests = Atomic<Int>(0)
    /// Messages without a PeakMQ stamp (not this run's), ignored.
    public let foreign = Atomic<Int>(0)
    public let groups: [String: Group]
    private let nextObserver: Mutex<(any LoadObserver)?>

    /// - Parameter groups: group name → how many copies of each message it receives on this agent.
    public init(groups: [String: Int], next: (any LoadObserver)? = nil) {
        var g: [String: Group] = [:]
        for (name, copies) in groups { g[name] = Group(name: name, copies: copies) }
        self.groups = g
        nextObserver = Mutex(next)
    }

    /// Passes later events on to `next`.
    public func attach(_ next: any LoadObserver) { nextObserver.withLock { $0 = next } }

    private var next: (any LoadObserver)? { nextObserver.withLock { $0 } }

    public func sendCompleted(_ send: SendRecord) {
        requests.add(1, ordering: .relaxed)
        switch send.outcome {
        case .acknowledged: acknowledged.add(send.count, ordering: .relaxed)
        case .unacknowledged: unacknowledged.add(send.count, ordering: .relaxed)
        case .failed: failed.add(send.count, ordering: .relaxed)
        }
        next?.sendCompleted(send)
    }

    public func received(_ message: ReceiveRecord) {
        groups[message.group]?.received.add(1, ordering: .relaxed)
        next?.received(message)
    }

    /// One listener call's deliveries: all of one group.
    public func received(_ messages: [ReceiveRecord]) {
        guard let first = messages.first else { return }
        groups[first.group]?.received.add(messages.count, ordering: .relaxed)
        next?.received(messages)
    }

    /// Messages stored (or sent one-way) so far.
    public var sent: Int { acknowledged.load(ordering: .relaxed) + unacknowledged.load(ordering: .relaxed) }

    /// Messages `group` should have received by now and has not (never negative).
    public func backlog(_ group: String) -> Int {
        guard let g = groups[group] else { return 0 }
        return max(0, sent * g.copies - g.received.load(ordering: .relaxed))
    }

    /// The largest backlog over the groups.
    public var maxBacklog: Int { groups.keys.map(backlog).max() ?? 0 }

    /// Whether every group received at least what was sent to it.
    public var drained: Bool { groups.keys.allSatisfy { backlog($0) == 0 } }

    /// Messages received over all groups.
    public var receivedTotal: Int { groups.values.reduce(0) { $0 + $1.received.load(ordering: .relaxed) } }
}
