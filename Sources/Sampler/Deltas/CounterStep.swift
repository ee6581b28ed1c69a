/// What went wrong with a cumulative counter between two reads.
public struct CounterAnomaly: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The value decreased (iowait corrections, CPU hot-plug, a device or
        /// interface re-created under the same name, a driver reset): the delta is
        /// clamped to 0 rather than reported as a huge unsigned number.
        case wentBackwards
        /// A 32-bit kernel field (the diskstats millisecond columns) passed 2^32
        /// and restarted; the delta is computed modulo 2^32.
        case wrapped32
    }

    /// The counter's name, e.g. `io_ticks` or `cpu3.iowait`.
    public var field: String
    public var kind: Kind

    public init(field: String, kind: Kind) {
        self.field = field; self.kind = kind
    }

    public var description: String { "\(field) \(kind == .wrapped32 ? "wrapped at 2^32" : "went backwards (clamped to 0)")" }
}

/// Width of a kernel counter, which decides whether a decrease can be a wrap.
public enum CounterWidth: Sendable {
    /// `unsigned long` on 64-bit kernels: a decrease is never a wrap in practice.
    case bits64
    /// `unsigned int` (diskstats ms fields): wraps after 2^32.
    case bits32
}

/// Accumulates the increase of cumulative counters and the anomalies seen.
///
/// Every delta in the sampler goes through `step` so that clamping and flagging
/// are done one way everywhere.
public struct CounterSteps: Sendable {
    public private(set) var anomalies: [CounterAnomaly] = []

    public init() {}

    /// The increase from `old` to `new` for a counter named `field`.
    ///
    /// A 32-bit counter that decreased is treated as wrapped when the modular
    /// difference is below 2^31 (a real wrap between two reads one interval apart
    /// is small; a reset to near zero from a low value is not), otherwise as
    /// having gone backwards. Values above 2^32 prove the field is 64-bit.
    public mutating func step(_ field: @autoclosure () -> String, _ old: UInt64, _ new: UInt64,
                              width: CounterWidth = .bits64) -> UInt64 {
        if new >= old { return new - old }
        if width == .bits32, old <= UInt64(UInt32.max) {
            let modular = (new &- old) & 0xFFFF_FFFF
            if modular < (1 << 31) {
                anomalies.append(CounterAnomaly(field: field(), kind: .wrapped32))
                return modular
            }
        }
        anomalies.append(CounterAnomaly(field: field(), kind: .wentBackwards))
        return 0
    }
}
