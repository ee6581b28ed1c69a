/// Delivery verification while a run is going: which sequences each producer had
/// acknowledged, which each receiver got, duplicates and reordering.
///
/// A *receiver* is what must get each message once: a clustering group (any of its
/// consumers), or one consumer of a broadcasting group. Lost, duplicated and the
/// rest are defined in `VerificationReport`, which `report()` produces and which
/// merges exactly across agents.
///
/// Not thread-safe: `RunRecorder` calls it under its lock.
public struct Verifier: Sendable {
    struct ReceiverKey: Hashable, Sendable {
        var group: Int32
        /// -1 for a clustering group (the group as a whole receives).
        var consumer: Int32
        var producer: UInt32
    }

    struct OrderKey: Hashable, Sendable {
        var group: Int32
        var consumer: Int32
        var producer: UInt32
        var key: UInt32
    }

    struct Receiver: Sendable {
        var set = SequenceSet()
        var deliveries = 0
        var duplicates = 0
    }

    /// How a delivery was judged.
    public enum Delivery: Sendable, Equatable {
        case first
        case duplicate
        /// First arrival, but after a higher sequence of the same producer and
        /// order key had reached the same consumer.
        case reordered
    }

    public private(set) var groups: [GroupSpec]
    private var groupIndex: [String: Int]
    private var acknowledged: [UInt32: SequenceSet] = [:]
    private var receivers: [ReceiverKey: Receiver] = [:]
    private var lastOrdered: [OrderKey: UInt64] = [:]
    private var reordered: [Int]

    public init(groups: [GroupSpec]) {
        self.groups = groups
        groupIndex = Dictionary(groups.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        reordered = Array(repeating: 0, count: groups.count)
    }

    /// The index of `name`, registering an undeclared group as clustering (a
    /// consumer the runner started outside the profile is still verified).
    public mutating func index(ofGroup name: String) -> Int {
        if let i = groupIndex[name] { return i }
        groups.append(GroupSpec(name: name))
        reordered.append(0)
        groupIndex[name] = groups.count - 1
        return groups.count - 1
    }

    /// Records an acknowledged send of `count` consecutive sequences.
    public mutating func acknowledged(producer: UInt32, firstSequence: UInt64, count: Int) {
        guard count > 0 else { return }
        if count == 1 {
            acknowledged[producer, default: SequenceSet()].insert(firstSequence)
        } else {
            let (last, overflow) = firstSequence.addingReportingOverflow(UInt64(count - 1))
            acknowledged[producer, default: SequenceSet()].insert(firstSequence...(overflow ? .max : last))
        }
    }

    /// Records one delivery to `consumer` of group number `group`.
    @discardableResult
    public mutating func received(group: Int, consumer: Int, stamp: MessageStamp) -> Delivery {
        let broadcast = groups[group].model == .broadcasting
        let key = ReceiverKey(group: Int32(group), consumer: broadcast ? Int32(truncatingIfNeeded: consumer) : -1, producer: stamp.producer)
        let first = receivers[key, default: Receiver()].record(stamp.sequence)
        guard first else { return .duplicate }
        guard stamp.orderKey != MessageStamp.noOrderKey else { return .first }
        // Order is judged per consumer: an orderly consumer holds a queue and
        // consumes it serially, so what one consumer sees of one key from one
        // producer must ascend. Across a rebalance the key's queue moves to another
        // consumer, whose view starts afresh.
        let orderKey = OrderKey(group: Int32(group), consumer: Int32(truncatingIfNeeded: consumer), producer: stamp.producer, key: stamp.orderKey)
        var verdict = Delivery.first
        if let last = lastOrdered[orderKey], stamp.sequence < last {
            reordered[group] += 1
            verdict = .reordered
        }
        lastOrdered[orderKey] = stamp.sequence
        return verdict
    }

    /// Everything recorded so far, with the counts evaluated.
    public func report() -> VerificationReport {
        let acked = acknowledged.keys.sorted().map { ProducerSequences(producer: $0, sequences: acknowledged[$0]!) }
        let received = receivers.keys.sorted(by: { ($0.group, $0.consumer, $0.producer) < ($1.group, $1.consumer, $1.producer) }).map { k in
            let r = receivers[k]!
            return ReceivedSequences(group: groups[Int(k.group)].name, consumer: k.consumer < 0 ? nil : Int(k.consumer),
                                     producer: k.producer, sequences: r.set, deliveries: r.deliveries, duplicates: r.duplicates)
        }
        let reorderedByGroup = Dictionary(groups.indices.map { (groups[$0].name, reordered[$0]) }, uniquingKeysWith: +)
        return VerificationReport(groups: groups, acknowledged: acked, received: received, reorderedByGroup: reorderedByGroup)
    }
}

extension Verifier.Receiver {
    /// True on the first delivery of `sequence`.
    mutating func record(_ sequence: UInt64) -> Bool {
        deliveries += 1
        if set.insert(sequence) { return true }
        duplicates += 1
        return false
    }
}
