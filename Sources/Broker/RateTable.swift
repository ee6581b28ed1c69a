import Foundation
import Synchronization

/// Message counts per key with their recent rate (RocketMQ `StatsItem`'s TPS):
/// every ``sample()`` (the broker calls it every 10 s) records each key's total,
/// and a rate is the growth since the sample closest to `window` ago. Before
/// the first sample it is the growth since the key was first counted.
public final class RateTable: Sendable {
    private struct Entry {
        var total: Int64 = 0
        /// (monotonic ns, total then), oldest first.
        var samples: [(UInt64, Int64)]
    }

    private let table = Mutex<[String: Entry]>([:])
    private let keep: Int

    /// - Parameter keep: samples kept per key (7 covers a minute at 10 s).
    public init(keep: Int = 7) { self.keep = max(2, keep) }

    public func add(_ key: String, _ n: Int) {
        // One hash look-up (every stored message passes here).
        table.withLock { t in t[key, default: Entry(samples: [(monotonicNow(), 0)])].total += Int64(n) }
    }

    /// Records every key's total now.
    public func sample() {
        let now = monotonicNow()
        table.withLock { t in
            for k in t.keys {
                t[k]!.samples.append((now, t[k]!.total))
                if t[k]!.samples.count > keep { t[k]!.samples.removeFirst(t[k]!.samples.count - keep) }
            }
        }
    }

    public func total(_ key: String) -> Int64 { table.withLock { $0[key]?.total ?? 0 } }

    /// Messages per second over about the last `window` seconds (0 for an unknown key).
    public func tps(_ key: String, window: Int = 60) -> Double {
        let now = monotonicNow()
        return table.withLock { t in
            guard let e = t[key] else { return 0 }
            let since = now &- UInt64(window) * 1_000_000_000
            let base = e.samples.first { $0.0 >= since } ?? e.samples.last ?? (now, e.total)
            let seconds = Double(now &- base.0) / 1e9
            return seconds > 0.001 ? Double(e.total - base.1) / seconds : 0
        }
    }
}
