/// The sequences one producer had acknowledged.
public struct ProducerSequences: Codable, Sendable, Equatable {
    public var producer: UInt32
    /// `[[first, last], …]`.
    public var sequences: SequenceSet
}

/// The sequences one receiver got from one producer.
public struct ReceivedSequences: Codable, Sendable, Equatable {
    public var group: String
    /// The consumer, for a broadcasting group (each consumer must receive every
    /// message); absent for a clustering group (the group as a whole must).
    public var consumer: Int?
    public var producer: UInt32
    /// Distinct sequences received, `[[first, last], …]`.
    public var sequences: SequenceSet
    /// Deliveries, duplicates included.
    public var deliveries: Int
    /// Deliveries of a sequence this receiver already had.
    public var duplicates: Int
}

/// Sequences a receiver never got although the producer had them acknowledged.
public struct LostSequences: Codable, Sendable, Equatable {
    public var group: String
    public var consumer: Int?
    public var producer: UInt32
    public var count: Int
    /// The first ranges (at most `VerificationReport.lostRangesPerReceiver`).
    public var ranges: [[UInt64]]
}

/// Totals for one group.
public struct GroupVerification: Codable, Sendable, Equatable {
    public var received = 0
    public var lost = 0
    public var duplicated = 0
    public var reordered = 0
    public var receivedUnacknowledged = 0
}

/// The figures people read, evaluated from the ranges.
public struct VerificationCounts: Codable, Sendable, Equatable {
    /// Messages acknowledged by the broker (oneway and failed sends are not).
    public var acknowledged = 0
    /// Deliveries that verification expected: acknowledged × receivers per message.
    public var expected = 0
    /// Distinct (receiver, message) deliveries.
    public var received = 0
    /// All deliveries, duplicates included.
    public var deliveries = 0
    /// Acknowledged messages a receiver never got (summed over receivers).
    public var lost = 0
    /// Deliveries of a message the receiver already had.
    public var duplicated = 0
    /// Deliveries that went backwards within one producer's order key (see `Verifier`).
    public var reordered = 0
    /// Distinct messages received that were never acknowledged: oneway sends, or
    /// sends that failed or timed out on the producer side yet were stored. Not lost,
    /// not duplicates; counted apart.
    public var receivedUnacknowledged = 0
    public var byGroup: [String: GroupVerification] = [:]
}

/// Delivery verification of a run: the raw ranges (so several agents' reports
/// merge exactly) and the counts evaluated from them.
///
/// Definitions, per *receiver* (a clustering group, or one consumer of a
/// broadcasting group) and producer:
/// - lost = acknowledged sequences the receiver never got;
/// - duplicated = deliveries of a sequence the receiver already had;
/// - receivedUnacknowledged = sequences received that were never acknowledged;
/// - reordered = deliveries to a consumer of an ordered message (order key set)
///   with a lower sequence than the previous delivery of the same producer and key
///   to that consumer (each backwards step counts once; duplicates do not count).
public struct VerificationReport: Codable, Sendable, Equatable {
    public static let lostRangesPerReceiver = 8
    public static let lostSampleLimit = 64

    public var groups: [GroupSpec]
    public var acknowledged: [ProducerSequences]
    public var received: [ReceivedSequences]
    public var reorderedByGroup: [String: Int]
    /// Evaluated from the fields above (recomputed when decoding and merging).
    public private(set) var counts: VerificationCounts
    /// Where the loss is: the first lost ranges of the first receivers with loss.
    public private(set) var lostSample: [LostSequences]

    public init(groups: [GroupSpec], acknowledged: [ProducerSequences], received: [ReceivedSequences], reorderedByGroup: [String: Int]) {
        self.groups = groups
        self.acknowledged = acknowledged
        self.received = received
        self.reorderedByGroup = reorderedByGroup
        (counts, lostSample) = Self.evaluate(groups: groups, acknowledged: acknowledged, received: received, reordered: reorderedByGroup)
    }

    private enum CodingKeys: String, CodingKey {
        case groups, acknowledged, received, reorderedByGroup, counts, lostSample
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(groups: try c.decode([GroupSpec].self, forKey: .groups),
                  acknowledged: try c.decode([ProducerSequences].self, forKey: .acknowledged),
                  received: try c.decode([ReceivedSequences].self, forKey: .received),
                  reorderedByGroup: try c.decode([String: Int].self, forKey: .reorderedByGroup))
    }

    static func evaluate(groups: [GroupSpec], acknowledged: [ProducerSequences], received: [ReceivedSequences],
                         reordered: [String: Int]) -> (VerificationCounts, [LostSequences]) {
        var counts = VerificationCounts()
        var sample: [LostSequences] = []
        let acked = Dictionary(acknowledged.map { ($0.producer, $0.sequences) }, uniquingKeysWith: { a, b in var u = a; u.formUnion(b); return u })
        counts.acknowledged = acked.values.reduce(0) { $0 + $1.count }
        struct Receiver: Hashable { var group: String; var consumer: Int? }
        var byReceiver: [Receiver: [UInt32: ReceivedSequences]] = [:]
        for r in received { byReceiver[Receiver(group: r.group, consumer: r.consumer), default: [:]][r.producer] = r }

        func noteLost(_ group: String, _ consumer: Int?, _ producer: UInt32, _ ackedSet: SequenceSet, _ got: SequenceSet?, _ missing: Int) {
            counts.lost += missing
            counts.byGroup[group, default: GroupVerification()].lost += missing
            guard sample.count < lostSampleLimit else { return }
            let gone = got.map { ackedSet.subtracting($0) } ?? ackedSet
            sample.append(LostSequences(group: group, consumer: consumer, producer: producer, count: missing,
                                        ranges: gone.ranges.prefix(lostRangesPerReceiver).map { [$0.lowerBound, $0.upperBound] }))
        }

        for g in groups {
            var receivers: Set<Receiver> = g.model == .broadcasting
                ? Set((0..<g.consumers).map { Receiver(group: g.name, consumer: $0) })
                : [Receiver(group: g.name, consumer: nil)]
            for r in byReceiver.keys where r.group == g.name { receivers.insert(r) }
            counts.byGroup[g.name, default: GroupVerification()].reordered = reordered[g.name] ?? 0
            counts.reordered += reordered[g.name] ?? 0
            for receiver in receivers.sorted(by: { ($0.consumer ?? -1) < ($1.consumer ?? -1) }) {
                let got = byReceiver[receiver] ?? [:]
                for producer in acked.keys.sorted() {
                    let a = acked[producer]!
                    counts.expected += a.count
                    let r = got[producer]?.sequences
                    let missing = a.count - (r.map { a.intersectionCount($0) } ?? 0)
                    if missing > 0 { noteLost(g.name, receiver.consumer, producer, a, r, missing) }
                }
                for (producer, r) in got {
                    let unacked = r.sequences.count - (acked[producer].map { $0.intersectionCount(r.sequences) } ?? 0)
                    counts.received += r.sequences.count
                    counts.deliveries += r.deliveries
                    counts.duplicated += r.duplicates
                    counts.receivedUnacknowledged += unacked
                    var gv = counts.byGroup[g.name, default: GroupVerification()]
                    gv.received += r.sequences.count
                    gv.duplicated += r.duplicates
                    gv.receivedUnacknowledged += unacked
                    counts.byGroup[g.name] = gv
                }
            }
        }
        return (counts, sample)
    }

    /// Several agents' reports as one: ranges united, duplicates across agents
    /// found by intersection, counts evaluated anew.
    public static func merge(_ reports: [VerificationReport]) throws(MergeError) -> VerificationReport {
        var groups: [GroupSpec] = []
        for r in reports {
            for g in r.groups {
                if let existing = groups.first(where: { $0.name == g.name }) {
                    guard existing == g else {
                        throw MergeError("group \(g.name) differs between results: \(existing.model.rawValue) × \(existing.consumers) vs \(g.model.rawValue) × \(g.consumers)")
                    }
                } else {
                    groups.append(g)
                }
            }
        }
        var acked: [UInt32: SequenceSet] = [:]
        for r in reports {
            for p in r.acknowledged { acked[p.producer, default: SequenceSet()].formUnion(p.sequences) }
        }
        struct Key: Hashable { var group: String; var consumer: Int?; var producer: UInt32 }
        var received: [Key: ReceivedSequences] = [:]
        for r in reports {
            for s in r.received {
                let key = Key(group: s.group, consumer: s.consumer, producer: s.producer)
                if var existing = received[key] {
                    // A message both agents' consumers got is one more duplicate.
                    let overlap = existing.sequences.formUnion(s.sequences)
                    existing.deliveries += s.deliveries
                    existing.duplicates += s.duplicates + overlap
                    received[key] = existing
                } else {
                    received[key] = s
                }
            }
        }
        var reordered: [String: Int] = [:]
        for r in reports { reordered.merge(r.reorderedByGroup, uniquingKeysWith: +) }
        // The order `Verifier.report()` uses: group, consumer, producer.
        let position = Dictionary(groups.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let keys = received.keys.sorted {
            (position[$0.group] ?? 0, $0.consumer ?? -1, $0.producer) < (position[$1.group] ?? 0, $1.consumer ?? -1, $1.producer)
        }
        return VerificationReport(groups: groups,
                                  acknowledged: acked.keys.sorted().map { ProducerSequences(producer: $0, sequences: acked[$0]!) },
                                  received: keys.map { received[$0]! }, reorderedByGroup: reordered)
    }
}
