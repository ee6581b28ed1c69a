import Synchronization

/// A consumer group's rate limit (the `throttle-consumers` fault): messages are
/// admitted at most `rate` per second over the group's consumers on this agent,
/// on a virtual clock (see `Pacer`).
final class GroupThrottle: Sendable {
    private let state = Mutex<(pacer: Pacer, perMessage: UInt64)?>(nil)

    /// Sets the limit; nil or 0 lifts it.
    func set(rate: Double?) {
        state.withLock { s in
            if let rate, rate > 0 {
                s = (Pacer(workers: 1, slackNanos: 0), UInt64(1e9 / rate))
            } else {
                s = nil
            }
        }
    }

    /// Nanoseconds the caller must wait before processing one more message (0 = none).
    func admit(now: UInt64) -> UInt64 {
        guard let (pacer, perMessage) = state.withLock({ $0 }) else { return 0 }
        return pacer.admit(costNanos: perMessage, now: now)
    }

    var rate: Double? { state.withLock { $0.map { 1e9 / Double($0.perMessage) } } }
}
