import Foundation
import Synchronization

/// Counters of what the broker answered (for runtime info and tests).
public final class BrokerStats: Sendable {
    public enum Counter: Int, CaseIterable, Sendable {
        case messagesStored
        case sendsRefused
        /// SYSTEM_BUSY answers (flow control), whatever the condition.
        case systemBusy
        /// … because the page cache was busy ([PC_SYNCHRONIZED], [PCBUSY_CLEAN_QUEUE]).
        case busyPageCache
        /// … because the send waited too long in the send queue ([TIMEOUT_CLEAN_QUEUE]).
        case busyTimeoutInQueue
        /// … because the send queue was full ([OVERLOAD]).
        case busyQueueFull
        /// Messages returned by pulls.
        case messagesPulled
        case pullsFound
        /// Pulls parked for long polling (cumulative).
        case pullsHeld
        /// Sends an event loop appended itself (the send service was idle).
        case sendsInline
    }

    private let values = Mutex([Int](repeating: 0, count: Counter.allCases.count))

    /// Messages stored per topic.
    public let putsByTopic = RateTable()
    /// Messages pulled per `topic@group`.
    public let pullsByGroup = RateTable()
    /// Broker totals ("put", "get"), kept ten minutes for the 10 s / 1 min / 10 min rates.
    public let totals = RateTable(keep: 61)
    /// When the broker started (ms since the epoch).
    public let bootTimestamp = Int64(Date().timeIntervalSince1970 * 1000)

    public init() {}

    /// Samples the rate tables (every 10 s).
    func sampleRates() {
        putsByTopic.sample()
        pullsByGroup.sample()
        totals.sample()
    }

    /// Counts messages a pull returned.
    func pulled(_ n: Int, topic: String, group: String) {
        add(.messagesPulled, n)
        pullsByGroup.add(topic + "@" + group, n)
        totals.add("get", n)
    }

    func add(_ c: Counter, _ n: Int = 1) {
        values.withLock { $0[c.rawValue] += n }
    }

    /// Counts a SYSTEM_BUSY answer under its condition and in the total.
    func busy(_ reason: BusyReason) {
        values.withLock { v in
            v[Counter.systemBusy.rawValue] += 1
            v[reason.counter.rawValue] += 1
        }
    }

    public subscript(_ c: Counter) -> Int { values.withLock { $0[c.rawValue] } }
}
