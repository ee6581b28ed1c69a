import Profiles

/// Pre-generated message bodies: for every size of the profile a few variants,
/// each `randomRatio` random bytes followed by a repeating text, so that
/// compression sees realistic data without generating random bytes per message.
/// Sizes are picked from the weighted distribution by a hash of the message's
/// global index: deterministic, evenly spread, and cheap.
public struct PayloadPool: Sendable {
    /// bodies[sizeIndex][variant]
    let bodies: [[[UInt8]]]
    public let sizes: [Int]
    /// 1024 slots, each a size index, in proportion to the weights.
    let slots: [UInt16]
    static let slotBits = 10
    public static let variants = 16

    static let filler = Array("PeakMQ order event: id, customer, items, amount, address; ".utf8)

    public init(spec: Profile.MessageSpec, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        var rng = SplitMix64(seed: seed)
        sizes = spec.sizes.map { max(1, $0.bytes) }
        bodies = sizes.map { size in
            (0..<Self.variants).map { _ in Self.body(size: size, randomRatio: spec.randomRatio, rng: &rng) }
        }
        let total = spec.sizes.reduce(0) { $0 + max(0, $1.weight) }
        let n = 1 << Self.slotBits
        var table: [UInt16] = []
        table.reserveCapacity(n)
        var cumulative = 0.0
        for (i, s) in spec.sizes.enumerated() {
            cumulative += max(0, s.weight)
            let upTo = i == spec.sizes.count - 1 ? n : Int((cumulative / max(total, 1e-300) * Double(n)).rounded())
            while table.count < upTo { table.append(UInt16(i)) }
        }
        while table.count < n { table.append(UInt16(max(0, sizes.count - 1))) }
        slots = table
    }

    static func body(size: Int, randomRatio: Double, rng: inout SplitMix64) -> [UInt8] {
        let random = min(size, Int((Double(size) * min(1, max(0, randomRatio))).rounded()))
        var b = [UInt8](repeating: 0, count: size)
        var i = 0
        while i < random {
            var word = rng.next()
            for _ in 0..<8 where i < random {
                b[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        var f = 0
        while i < size {
            b[i] = filler[f]
            f = f + 1 == filler.count ? 0 : f + 1
            i += 1
        }
        return b
    }

    /// The size index of global message `k`.
    public func sizeIndex(_ k: UInt64) -> Int {
        Int(slots[Int((k &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - Self.slotBits))])
    }

    /// The (shared, unstamped) body of global message `k`.
    public func body(_ k: UInt64) -> [UInt8] {
        let s = sizeIndex(k)
        return bodies[s][Int((k &* 0xBF58_476D_1CE4_E5B9) >> 60) % Self.variants]
    }
}

/// A small, fast, seeded generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
