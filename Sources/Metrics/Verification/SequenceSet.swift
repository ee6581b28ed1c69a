/// A set of sequence numbers, kept as a bitset in chunks of 4,096 numbers.
///
/// Verification inserts about 100,000 numbers a second, mostly ascending but not
/// in order (asynchronous sends complete out of order, consumers of different
/// queues run at different speeds), and must tell a duplicate from a first
/// arrival. A sorted range list would fragment into thousands of ranges when one
/// queue lags; a bitset inserts in constant time whatever the pattern. A chunk
/// that fills up drops its bits, so a run with no loss costs a few bytes per
/// 4,096 messages; a fragmented one at most one bit per number (20,000 msg/s for
/// 5 minutes is 6 M numbers: 750 KB per receiving group at worst).
///
/// The stored form is a list of closed ranges `[[first, last], …]`, ascending.
public struct SequenceSet: Sendable, Equatable {
    static let chunkShift: UInt64 = 12
    static let chunkBits = 1 << 12
    static let wordsPerChunk = chunkBits / 64

    struct Chunk: Sendable, Equatable {
        /// Empty once every bit is set.
        var words: [UInt64]
        var count: Int

        init() {
            words = [UInt64](repeating: 0, count: SequenceSet.wordsPerChunk)
            count = 0
        }

        init(words: [UInt64]) {
            self.words = words
            count = words.reduce(0) { $0 + $1.nonzeroBitCount }
            if count == SequenceSet.chunkBits { self.words = [] }
        }

        static var full: Chunk {
            var c = Chunk()
            c.words = []
            c.count = SequenceSet.chunkBits
            return c
        }

        var isFull: Bool { count == SequenceSet.chunkBits }

        /// All 64 words (materialised for a full chunk).
        var allWords: [UInt64] { isFull ? [UInt64](repeating: .max, count: SequenceSet.wordsPerChunk) : words }

        func contains(_ bit: Int) -> Bool {
            isFull || words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }

        mutating func insert(_ bit: Int) -> Bool {
            if isFull { return false }
            let mask: UInt64 = 1 << UInt64(bit & 63)
            let w = bit >> 6
            if words[w] & mask != 0 { return false }
            words[w] |= mask
            count += 1
            if isFull { words = [] }
            return true
        }

        /// Sets bits `lo...hi`; returns how many were new.
        mutating func insert(bits lo: Int, _ hi: Int) -> Int {
            if isFull { return 0 }
            var added = 0
            var bit = lo
            while bit <= hi {
                let w = bit >> 6
                let first = bit & 63
                let last = Swift.min(63, hi - (w << 6))
                let width = last - first + 1
                let mask: UInt64 = width == 64 ? .max : ((1 << UInt64(width)) - 1) << UInt64(first)
                added += (mask & ~words[w]).nonzeroBitCount
                words[w] |= mask
                bit = (w + 1) << 6
            }
            count += added
            if isFull { words = [] }
            return added
        }
    }

    private(set) var chunks: [UInt64: Chunk] = [:]
    /// Numbers in the set.
    public private(set) var count = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// Inserts `sequence`; false when it was already present.
    @discardableResult
    public mutating func insert(_ sequence: UInt64) -> Bool {
        let added = chunks[sequence >> Self.chunkShift, default: Chunk()].insert(Int(sequence & UInt64(Self.chunkBits - 1)))
        if added { count += 1 }
        return added
    }

    /// Inserts `first...last`; returns how many numbers were new.
    @discardableResult
    public mutating func insert(_ range: ClosedRange<UInt64>) -> Int {
        var added = 0
        var key = range.lowerBound >> Self.chunkShift
        let lastKey = range.upperBound >> Self.chunkShift
        let bitMask = UInt64(Self.chunkBits - 1)
        while true {
            let lo = key == range.lowerBound >> Self.chunkShift ? Int(range.lowerBound & bitMask) : 0
            let hi = key == lastKey ? Int(range.upperBound & bitMask) : Self.chunkBits - 1
            if lo == 0 && hi == Self.chunkBits - 1 {
                let before = chunks[key]?.count ?? 0
                chunks[key] = .full
                added += Self.chunkBits - before
            } else {
                added += chunks[key, default: Chunk()].insert(bits: lo, hi)
            }
            if key == lastKey { break }
            key += 1
        }
        count += added
        return added
    }

    public func contains(_ sequence: UInt64) -> Bool {
        chunks[sequence >> Self.chunkShift]?.contains(Int(sequence & UInt64(Self.chunkBits - 1))) ?? false
    }

    /// The set as ascending, non-adjacent closed ranges.
    public var ranges: [ClosedRange<UInt64>] {
        var result: [ClosedRange<UInt64>] = []
        var runStart: UInt64?
        var runEnd: UInt64 = 0
        func extend(_ lo: UInt64, _ hi: UInt64) {
            if let s = runStart, runEnd &+ 1 == lo {
                runStart = s
                runEnd = hi
            } else {
                if let s = runStart { result.append(s...runEnd) }
                runStart = lo
                runEnd = hi
            }
        }
        for key in chunks.keys.sorted() {
            let chunk = chunks[key]!
            let base = key << Self.chunkShift
            if chunk.isFull {
                extend(base, base + UInt64(Self.chunkBits - 1))
                continue
            }
            for (w, word) in chunk.words.enumerated() where word != 0 {
                var bits = word
                let wordBase = base + UInt64(w << 6)
                while bits != 0 {
                    let start = bits.trailingZeroBitCount
                    let ones = (~(bits >> UInt64(start))).trailingZeroBitCount
                    extend(wordBase + UInt64(start), wordBase + UInt64(start + ones - 1))
                    bits = ones + start >= 64 ? 0 : bits & ~((1 << UInt64(start + ones)) - 1)
                }
            }
        }
        if let s = runStart { result.append(s...runEnd) }
        return result
    }

    public init(ranges: [ClosedRange<UInt64>]) {
        for r in ranges { insert(r) }
    }

    /// Adds every number of `other`; returns how many were already present (the overlap).
    @discardableResult
    public mutating func formUnion(_ other: SequenceSet) -> Int {
        var overlap = 0
        for (key, theirs) in other.chunks {
            guard let mine = chunks[key] else {
                chunks[key] = theirs
                count += theirs.count
                continue
            }
            let merged: Chunk
            if mine.isFull || theirs.isFull {
                merged = .full
            } else {
                merged = Chunk(words: zip(mine.words, theirs.words).map { $0 | $1 })
            }
            overlap += mine.count + theirs.count - merged.count
            count += merged.count - mine.count
            chunks[key] = merged
        }
        return overlap
    }

    /// How many numbers both sets hold.
    public func intersectionCount(_ other: SequenceSet) -> Int {
        let (small, large) = chunks.count <= other.chunks.count ? (self, other) : (other, self)
        var total = 0
        for (key, a) in small.chunks {
            guard let b = large.chunks[key] else { continue }
            if a.isFull { total += b.count } else if b.isFull { total += a.count } else {
                for i in 0..<Self.wordsPerChunk { total += (a.words[i] & b.words[i]).nonzeroBitCount }
            }
        }
        return total
    }

    /// The numbers of this set that `other` lacks.
    public func subtracting(_ other: SequenceSet) -> SequenceSet {
        var result = SequenceSet()
        for (key, a) in chunks {
            guard let b = other.chunks[key] else {
                result.chunks[key] = a
                result.count += a.count
                continue
            }
            if b.isFull { continue }
            let words = zip(a.allWords, b.words).map { $0 & ~$1 }
            let chunk = Chunk(words: words)
            if chunk.count > 0 {
                result.chunks[key] = chunk
                result.count += chunk.count
            }
        }
        return result
    }
}

extension SequenceSet: Codable {
    static let maxRangeWidth: UInt64 = 1 << 32

    /// `[[first, last], …]`.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        self.init()
        while !container.isAtEnd {
            let pair = try container.decode([UInt64].self)
            guard pair.count == 2, pair[0] <= pair[1] else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a sequence range must be [first, last] with first <= last, got \(pair)")
            }
            // One producer does not send 4 billion messages in a run; a wider range
            // is a corrupt file, and would otherwise allocate without bound.
            guard pair[1] - pair[0] < Self.maxRangeWidth else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "sequence range \(pair) is wider than \(Self.maxRangeWidth)")
            }
            insert(pair[0]...pair[1])
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for r in ranges { try container.encode([r.lowerBound, r.upperBound]) }
    }
}
