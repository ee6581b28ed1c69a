import Foundation
import Metrics
import Profiles

extension Profile.Processing {
    /// Nanoseconds of simulated processing for a message, drawn from the
    /// distribution with `u` (uniform in [0, 1)) so no shared generator is needed.
    func nanos(u: Double) -> UInt64 {
        let ms: Double
        switch self {
        case .none: return 0
        case .fixed(let v): ms = v
        case .uniform(let lo, let hi): ms = lo + (hi - lo) * u
        case .exponential(let mean): ms = -mean * log(1 - u)
        }
        return UInt64(max(0, ms) * 1e6)
    }

    var isNone: Bool { if case .none = self { true } else { false } }
}

extension MessageStamp {
    /// A uniform value in [0, 1) derived from the stamp and a salt (the group), stable per message.
    func unitHash(salt: UInt64) -> Double {
        var z = (UInt64(producer) << 40) ^ sequence ^ (salt &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
