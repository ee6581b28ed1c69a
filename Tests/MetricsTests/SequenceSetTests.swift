import Foundation
import Testing
import TestSupport
@testable import Metrics

@Suite struct SequenceSetTests {
    @Test func insertTellsFirstFromDuplicate() {
        var s = SequenceSet()
        let first = s.insert(7)
        let again = s.insert(7)
        #expect(first && !again)
        #expect(s.contains(7) && !s.contains(8))
        #expect(s.count == 1)
    }

    @Test func outOfOrderInsertsCloseTheGaps() {
        var s = SequenceSet()
        for x in stride(from: 0, to: 10_000, by: 2) { s.insert(UInt64(x)) }
        #expect(s.ranges.count == 5_000)
        for x in stride(from: 1, to: 10_000, by: 2) { s.insert(UInt64(x)) }
        #expect(s.ranges == [0...9_999])
        #expect(s.count == 10_000)
    }

    @Test func fullChunksDropTheirBits() {
        var s = SequenceSet()
        for x in 0..<UInt64(3 * 4096) { s.insert(x) }
        #expect(s.chunks.values.allSatisfy { $0.isFull && $0.words.isEmpty })
        let again = s.insert(4096)
        #expect(!again)
        #expect(s.contains(8191))
    }

    @Test func rangesAcrossChunkAndWordBoundaries() {
        var s = SequenceSet()
        let added = [s.insert(60...70), s.insert(4090...4100), s.insert(65...4095)]
        #expect(added == [11, 11, 4019])
        s.insert(1 << 40)
        #expect(s.ranges == [60...4100, (1 << 40)...(1 << 40)])
        #expect(s.count == 4041 + 1)
    }

    @Test func matchesASetOnRandomInput() throws {
        var rng = SplitMix64(seed: 5)
        var s = SequenceSet()
        var reference = Set<UInt64>()
        for _ in 0..<20_000 {
            let x = UInt64.random(in: 0..<30_000, using: &rng)
            let inserted = s.insert(x)
            #expect(inserted == reference.insert(x).inserted)
        }
        #expect(s.count == reference.count)
        let expanded = s.ranges.flatMap { Array($0) }
        #expect(expanded == reference.sorted())
        let back = try JSONDecoder().decode(SequenceSet.self, from: JSONEncoder().encode(s))
        #expect(back == s)
    }

    @Test func unionIntersectionAndDifference() {
        let a = SequenceSet(ranges: [0...9_999])
        let b = SequenceSet(ranges: [5_000...14_999, 20_000...20_009])
        #expect(a.intersectionCount(b) == 5_000)
        #expect(b.intersectionCount(a) == 5_000)
        #expect(a.subtracting(b).ranges == [0...4_999])
        #expect(b.subtracting(a).ranges == [10_000...14_999, 20_000...20_009])
        var u = a
        let overlap = u.formUnion(b)
        #expect(overlap == 5_000)
        #expect(u.ranges == [0...14_999, 20_000...20_009])
        #expect(u.count == 15_010)
    }

    @Test func storedFormIsRangePairs() throws {
        let s = SequenceSet(ranges: [3...5, 9...9])
        #expect(String(decoding: try JSONEncoder().encode(s), as: UTF8.self) == "[[3,5],[9,9]]")
        for bad in ["[[5,3]]", "[[1]]", "[[0,99999999999]]"] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(SequenceSet.self, from: Data(bad.utf8)) }
        }
    }
}
