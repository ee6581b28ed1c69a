import Foundation
import Testing
import TestSupport
@testable import Metrics

@Suite struct VerifierTests {
    static func stamp(_ producer: UInt32, _ sequence: UInt64, key: UInt32 = MessageStamp.noOrderKey) -> MessageStamp {
        MessageStamp(producer: producer, sequence: sequence, sentWallNanos: 0, orderKey: key)
    }

    @Test func cleanRunHasNothingToReport() {
        var v = Verifier(groups: [GroupSpec(name: "points"), GroupSpec(name: "sms")])
        for p in UInt32(0)..<3 {
            v.acknowledged(producer: p, firstSequence: 0, count: 500)
            for s in UInt64(0)..<500 {
                v.received(group: 0, consumer: Int(s % 2), stamp: Self.stamp(p, s))
                v.received(group: 1, consumer: 0, stamp: Self.stamp(p, 499 - s))
            }
        }
        let c = v.report().counts
        #expect(c.acknowledged == 1500)
        #expect(c.expected == 3000)
        #expect(c.received == 3000)
        #expect(c.lost == 0 && c.duplicated == 0 && c.reordered == 0 && c.receivedUnacknowledged == 0)
    }

    @Test func injectedLossIsCountedAndLocated() {
        var v = Verifier(groups: [GroupSpec(name: "points"), GroupSpec(name: "coupons")])
        v.acknowledged(producer: 1, firstSequence: 0, count: 1000)
        for s in UInt64(0)..<1000 {
            if s != 5 && !(500...509).contains(s) { v.received(group: 0, consumer: 0, stamp: Self.stamp(1, s)) }
            v.received(group: 1, consumer: 0, stamp: Self.stamp(1, s))
        }
        let r = v.report()
        #expect(r.counts.lost == 11)
        #expect(r.counts.byGroup["points"]?.lost == 11)
        #expect(r.counts.byGroup["coupons"]?.lost == 0)
        #expect(r.lostSample == [LostSequences(group: "points", consumer: nil, producer: 1, count: 11, ranges: [[5, 5], [500, 509]])])
    }

    @Test func duplicatesAreCountedOncePerExtraDelivery() {
        var v = Verifier(groups: [GroupSpec(name: "points")])
        v.acknowledged(producer: 0, firstSequence: 0, count: 100)
        for s in UInt64(0)..<100 { v.received(group: 0, consumer: 0, stamp: Self.stamp(0, s)) }
        // A rebalance hands queue 3's last ten messages to another consumer again,
        // and one message arrives a third time.
        for s in UInt64(30)..<40 {
            let verdict = v.received(group: 0, consumer: 1, stamp: Self.stamp(0, s))
            #expect(verdict == .duplicate)
        }
        v.received(group: 0, consumer: 0, stamp: Self.stamp(0, 35))
        let c = v.report().counts
        #expect(c.duplicated == 11)
        #expect(c.deliveries == 111)
        #expect(c.received == 100)
        #expect(c.lost == 0)
    }

    @Test func reorderingIsJudgedPerConsumerProducerAndKey() {
        var v = Verifier(groups: [GroupSpec(name: "delivery")])
        v.acknowledged(producer: 0, firstSequence: 0, count: 100)
        v.acknowledged(producer: 1, firstSequence: 0, count: 100)
        let consumer0: [(UInt32, UInt64, UInt32)] = [
            (0, 1, 7), (0, 2, 7), (0, 4, 7), (0, 3, 7),   // 3 after 4: one step back
            (0, 5, 7), (0, 4, 7),                          // 4 again: a duplicate, not a reorder
            (1, 0, 7),                                     // another producer's key 7: its own order
            (0, 10, 8), (0, 9, 9),                         // different keys: no order between them
            (0, 20, MessageStamp.noOrderKey), (0, 19, MessageStamp.noOrderKey), // unordered sends
        ]
        var verdicts: [Verifier.Delivery] = []
        for (p, s, k) in consumer0 { verdicts.append(v.received(group: 0, consumer: 0, stamp: Self.stamp(p, s, key: k))) }
        #expect(verdicts == [.first, .first, .first, .reordered, .first, .duplicate, .first, .first, .first, .first, .first])
        // Another consumer's view starts afresh (after a rebalance it owns the queue).
        let other = [6, 8, 7].map { v.received(group: 0, consumer: 1, stamp: Self.stamp(0, $0, key: 7)) }
        #expect(other == [.first, .first, .reordered])
        let c = v.report().counts
        #expect(c.reordered == 2)
        #expect(c.duplicated == 1)
    }

    @Test func broadcastingGroupsNeedEveryConsumer() {
        var v = Verifier(groups: [GroupSpec(name: "audit", model: .broadcasting, consumers: 3)])
        v.acknowledged(producer: 0, firstSequence: 0, count: 50)
        for s in UInt64(0)..<50 {
            v.received(group: 0, consumer: 0, stamp: Self.stamp(0, s))
            if s < 40 { v.received(group: 0, consumer: 1, stamp: Self.stamp(0, s)) }
        }
        // Consumer 2 got nothing: every message is lost for it.
        let r = v.report()
        #expect(r.counts.expected == 150)
        #expect(r.counts.lost == 10 + 50)
        #expect(r.lostSample.map(\.consumer) == [1, 2])
        #expect(r.lostSample[0].ranges == [[40, 49]])
    }

    @Test func unacknowledgedArrivalsAreNotLossOrDuplicates() {
        var v = Verifier(groups: [GroupSpec(name: "points")])
        // Sequences 0..<10 acknowledged; 10..<15 failed (timeout) yet stored; 15..<20 one-way.
        v.acknowledged(producer: 0, firstSequence: 0, count: 10)
        for s in UInt64(0)..<20 { v.received(group: 0, consumer: 0, stamp: Self.stamp(0, s)) }
        // A producer none of whose sends were acknowledged.
        v.received(group: 0, consumer: 0, stamp: Self.stamp(9, 0))
        let c = v.report().counts
        #expect(c.lost == 0)
        #expect(c.duplicated == 0)
        #expect(c.receivedUnacknowledged == 11)
        #expect(c.received == 21)
    }

    @Test func batchesAndOutOfOrderAcknowledgements() {
        var v = Verifier(groups: [GroupSpec(name: "g")])
        // Async completions arrive out of order; batches ack consecutive ranges.
        for first in [UInt64(16), 0, 48, 32] { v.acknowledged(producer: 2, firstSequence: first, count: 16) }
        #expect(v.report().acknowledged == [ProducerSequences(producer: 2, sequences: SequenceSet(ranges: [0...63]))])
        #expect(v.report().counts.lost == 64)
    }

    /// Events of one run split between two agents (producers 0–1 and a consumer on
    /// agent A, producers 2–3 and another consumer on agent B), with loss,
    /// duplicates within and across agents and reordering: the merged report equals
    /// the report of one verifier that saw everything.
    @Test func mergingTwoAgentsEqualsOneWhole() throws {
        let groups = [GroupSpec(name: "points"), GroupSpec(name: "audit", model: .broadcasting, consumers: 2)]
        var whole = Verifier(groups: groups)
        var agents = [Verifier(groups: groups), Verifier(groups: groups)]
        var rng = SplitMix64(seed: 9)
        for p in UInt32(0)..<4 {
            let producerAgent = Int(p / 2)
            for s in UInt64(0)..<2_000 where s % 97 != 13 {   // failed sends are not acknowledged
                whole.acknowledged(producer: p, firstSequence: s, count: 1)
                agents[producerAgent].acknowledged(producer: p, firstSequence: s, count: 1)
            }
        }
        for p in UInt32(0)..<4 {
            for s in UInt64(0)..<2_000 {
                let roll = UInt64.random(in: 0..<1000, using: &rng)
                if roll < 3 { continue }                           // lost
                let a = Int(roll % 2)                              // the clustering consumer on agent a
                let key = UInt32(s % 5)
                let stampNow = Self.stamp(p, roll < 10 && s > 0 ? s - 1 : s, key: key)
                for target in [(0, a), (1, a)] {                   // points, and audit consumer a (on agent a)
                    whole.received(group: target.0, consumer: target.1, stamp: stampNow)
                    agents[a].received(group: target.0, consumer: target.1, stamp: stampNow)
                }
                if roll >= 990 {                                   // redelivered to the other agent's consumer
                    whole.received(group: 0, consumer: 1 - a, stamp: stampNow)
                    agents[1 - a].received(group: 0, consumer: 1 - a, stamp: stampNow)
                }
            }
        }
        let merged = try VerificationReport.merge(agents.map { $0.report() })
        let expected = whole.report()
        #expect(merged.counts == expected.counts)
        #expect(merged == expected)
        #expect(expected.counts.lost > 0 && expected.counts.duplicated > 0)
        // And through JSON, as `mqbench merge` reads them.
        let decoded = try agents.map { try JSONDecoder().decode(VerificationReport.self, from: JSONEncoder().encode($0.report())) }
        #expect(try VerificationReport.merge(decoded) == expected)
    }

    @Test func mergeRejectsDifferentGroupShapes() {
        let a = Verifier(groups: [GroupSpec(name: "audit", model: .broadcasting, consumers: 2)]).report()
        let b = Verifier(groups: [GroupSpec(name: "audit", model: .broadcasting, consumers: 3)]).report()
        #expect(throws: MergeError.self) { try VerificationReport.merge([a, b]) }
    }
}
