import MessageFormat
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Client-side message ids (the `UNIQ_KEY` property), in RocketMQ's
/// `MessageClientIDSetter` format: 16 bytes as 32 upper-case hex digits,
///
/// ```
/// IPv4 (4) | pid (2) | class-loader hash (4) | ms since start of month (4) | counter (2)
/// ```
///
/// The first 10 bytes are fixed per process (PeakMQ puts a random value where
/// Java has its class loader's hash); the time part counts from the start of
/// the current month in UTC (Java uses the local time zone; only the id's
/// uniqueness and rough time matter). A ``MessageClientIDGenerator`` is
/// Sendable: one lock-protected counter and clock read per id.
public final class MessageClientIDGenerator: Sendable {
    private struct State {
        var counter: UInt16
        var monthStart: Int64
        var nextMonthStart: Int64
    }

    /// The 20 hex digits of IP, pid and the random hash.
    public let prefix: String
    private let prefixBytes: [UInt8]
    private let state: Mutex<State>
    private let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - ipv4: the host's address bytes (RocketMQ uses the first non-loopback IPv4).
    ///   - pid: the process id (its low 16 bits are used).
    ///   - hash: stands in for the class loader's hash; random by default.
    ///   - clock: milliseconds since the epoch.
    public init(
        ipv4: [UInt8] = [127, 0, 0, 1], pid: Int32 = Int32(getpid()), hash: UInt32 = UInt32.random(in: .min ... .max),
        clock: @escaping @Sendable () -> Int64 = MessageClientIDGenerator.systemMillis
    ) {
        var bytes = Array(ipv4.prefix(4))
        while bytes.count < 4 { bytes.append(0) }
        bytes.append(UInt8(truncatingIfNeeded: pid >> 8))
        bytes.append(UInt8(truncatingIfNeeded: pid))
        for shift in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: hash >> UInt32(shift))) }
        prefixBytes = bytes
        prefix = MessageID.hex(bytes)
        self.clock = clock
        let now = clock()
        let (start, next) = Self.monthBounds(containing: now)
        state = Mutex(State(counter: UInt16.random(in: .min ... .max), monthStart: start, nextMonthStart: next))
    }

    /// A new id.
    public func next() -> String {
        let now = clock()
        let (elapsed, counter) = state.withLock { s -> (Int64, UInt16) in
            if now >= s.nextMonthStart || now < s.monthStart {
                (s.monthStart, s.nextMonthStart) = Self.monthBounds(containing: now)
            }
            let c = s.counter
            s.counter &+= 1
            return (now - s.monthStart, c)
        }
        // Written straight into the string's storage: one per message sent.
        let t = UInt32(truncatingIfNeeded: elapsed)
        return String(unsafeUninitializedCapacity: 32) { out in
            var p = 0
            func put(_ b: UInt8) {
                out[p] = Self.hexDigits[Int(b >> 4)]
                out[p + 1] = Self.hexDigits[Int(b & 0xF)]
                p += 2
            }
            for b in prefixBytes { put(b) }
            for shift in [24, 16, 8, 0] as [UInt32] { put(UInt8(truncatingIfNeeded: t >> shift)) }
            put(UInt8(truncatingIfNeeded: counter >> 8))
            put(UInt8(truncatingIfNeeded: counter))
            return p
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Milliseconds since the epoch from the system clock.
    @Sendable public static func systemMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// The UTC month [start, next start) holding `millis`.
    static func monthBounds(containing millis: Int64) -> (Int64, Int64) {
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let (y, m, _) = civil(fromDays: days)
        let start = daysFromCivil(y, m, 1) * 86_400_000
        let next = (m == 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1)) * 86_400_000
        return (start, next)
    }

    // Howard Hinnant's civil-calendar algorithms (days since 1970-01-01, proleptic Gregorian).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// What a client message id says about where and when it was made.
public struct MessageClientID: Sendable, Equatable {
    /// The producer host's IPv4 address.
    public var ipv4: [UInt8]
    /// The low 16 bits of the producer's pid.
    public var pid: UInt16
    /// Milliseconds since the start of the month the id was made in.
    public var millisInMonth: UInt32
    public var counter: UInt16

    /// Parses a 32-hex-digit id; nil for anything else.
    public init?(_ id: String) {
        guard id.utf8.count == 32, let bytes = MessageID.unhex(id) else { return nil }
        ipv4 = Array(bytes[0..<4])
        pid = UInt16(bytes[4]) << 8 | UInt16(bytes[5])
        millisInMonth = bytes[10..<14].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        counter = UInt16(bytes[14]) << 8 | UInt16(bytes[15])
    }

    /// "a.b.c.d".
    public var ipString: String { ipv4.map(String.init).joined(separator: ".") }
}
