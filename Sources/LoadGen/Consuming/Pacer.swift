import Metrics
import Synchronization

/// Simulated work on a virtual clock instead of a timer per message.
///
/// Each admitted message moves `busyUntil` forward by its cost divided by the
/// number of parallel workers (a consumer's consumer tasks, or 1 for a group's
/// rate limit). Only when that clock runs ahead of real time by more than
/// `slack` does the caller sleep, and then until the clock is caught up. The
/// capacity equals that of `workers` threads each sleeping the cost, but an
/// unsaturated consumer never sleeps and never arms a timer.
final class Pacer: Sendable {
    private let busyUntil = Mutex<UInt64>(0)
    let workers: Int
    let slackNanos: UInt64

    init(workers: Int, slackNanos: UInt64 = 1_000_000) {
        self.workers = max(1, workers)
        self.slackNanos = slackNanos
    }

    /// Accounts `costNanos` of work at `now` (`BenchClock.monotonicNanos()`);
    /// returns how long the caller should sleep (0 = carry on).
    func admit(costNanos: UInt64, now: UInt64) -> UInt64 {
        let share = costNanos / UInt64(workers)
        let until = busyUntil.withLock { b in
            b = max(b, now) + share
            return b
        }
        let ahead = until > now ? until - now : 0
        return ahead > slackNanos ? ahead : 0
    }

    /// Forgets accumulated work (a throttle lifted or changed).
    func reset() { busyUntil.withLock { $0 = 0 } }
}
