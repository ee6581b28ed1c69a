import Synchronization

/// Counters of what the broker answered (for runtime info and tests).
public final class BrokerStats: Sendable {
    public enum Counter: Int, CaseIterable, Sendable {
        case messagesStored
        case sendsRefused
        /// SYSTEM_BUSY answers (flow control), whatever the condition.
        case systemBusy
        case pullsFound
        /// Pulls parked for long polling (cumulative).
        case pullsHeld
    }

    private let values = Mutex([Int](repeating: 0, count: Counter.allCases.count))

    public init() {}

    func add(_ c: Counter, _ n: Int = 1) {
        values.withLock { $0[c.rawValue] += n }
    }

    public subscript(_ c: Counter) -> Int { values.withLock { $0[c.rawValue] } }
}
