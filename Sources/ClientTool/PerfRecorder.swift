import Client
import Metrics
import Synchronization

/// What a perf run counts: acknowledged and failed messages, latency
/// histograms, the first few distinct errors, the time of the last answer;
/// and the same counts since the last ``takePeriod()`` (the `--interval` lines).
/// Completions arrive on the client's event loop or on tasks, hence the lock
/// (held for a histogram record: tens of nanoseconds).
final class PerfRecorder: Sendable {
    /// Counts of one interval, or of the whole run.
    struct Period {
        var acked = 0
        var failed = 0
        var latency = LatencyHistogram()
        /// Open loop only: from the scheduled send time, so a late sender shows.
        var scheduled = LatencyHistogram()

        mutating func acknowledged(_ messages: Int, latencyNanos: UInt64, scheduledNanos: UInt64?) {
            acked += messages
            latency.record(nanos: latencyNanos, count: messages)
            if let scheduledNanos { scheduled.record(nanos: scheduledNanos, count: messages) }
        }
    }

    private struct State {
        var total = Period()
        var period = Period()
        var errors: [String: Int] = [:]
        var lastAnswer: UInt64 = 0
    }
    private let state = Mutex(State())

    /// `messages` acknowledged (or refused with `error`), sent at `sentAt`
    /// (monotonic ns; `scheduledAt` for paced sends).
    func record(messages: Int, sentAt: UInt64, scheduledAt: UInt64? = nil, error: ClientError? = nil) {
        let now = nowNanos()
        state.withLock { s in
            s.lastAnswer = max(s.lastAnswer, now)
            if let error {
                s.total.failed += messages
                s.period.failed += messages
                let key = "\(error)"
                if s.errors[key] != nil || s.errors.count < 8 { s.errors[key, default: 0] += messages }
                return
            }
            let scheduled = scheduledAt.map { now &- min($0, sentAt) }
            s.total.acknowledged(messages, latencyNanos: now &- sentAt, scheduledNanos: scheduled)
            s.period.acknowledged(messages, latencyNanos: now &- sentAt, scheduledNanos: scheduled)
        }
    }

    /// One async send's answer, sent at `sentAt` (`scheduledAt` for paced sends).
    func record(_ answer: Result<SendResult, ClientError>, sentAt: UInt64, scheduledAt: UInt64? = nil) {
        if case .failure(let e) = answer {
            record(messages: 1, sentAt: sentAt, scheduledAt: scheduledAt, error: e)
        } else {
            record(messages: 1, sentAt: sentAt, scheduledAt: scheduledAt)
        }
    }

    /// The counts since the previous call (or the start), which start again from zero.
    func takePeriod() -> Period {
        // The empty histograms are allocated outside the lock: completions on
        // the event loop would otherwise wait for the allocation.
        var fresh = Period()
        state.withLock { swap(&$0.period, &fresh) }
        return fresh
    }

    var acked: Int { state.withLock { $0.total.acked } }
    var answered: Int { state.withLock { $0.total.acked + $0.total.failed } }

    struct Snapshot {
        var acked: Int
        var failed: Int
        var latency: LatencyHistogram
        var scheduled: LatencyHistogram
        var errors: [String: Int]
        var lastAnswer: UInt64
    }

    var snapshot: Snapshot {
        state.withLock { Snapshot(acked: $0.total.acked, failed: $0.total.failed, latency: $0.total.latency,
                                  scheduled: $0.total.scheduled, errors: $0.errors, lastAnswer: $0.lastAnswer) }
    }
}
