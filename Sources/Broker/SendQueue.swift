import Foundation
import Protocol
import Remoting

/// A send request waiting for a send thread, stamped when it arrived.
struct SendTask: Sendable {
    let request: RemotingCommand
    let context: RemotingContext
    /// Monotonic ns when the event loop queued it.
    let enqueuedAt: UInt64
    /// Body bytes it holds.
    let bytes: Int

    /// ms spent queued as of `now`.
    func waitedMillis(now: UInt64) -> Int64 { Int64((now &- enqueuedAt) / 1_000_000) }
}

/// The broker's send queue (RocketMQ's send thread-pool queue): bounded in
/// requests and in bytes, so memory stays bounded whatever producers offer.
/// Event loops offer, send threads take from the head, and the fast-failure
/// sweep removes what waited too long, all in arrival order.
///
/// A fixed ring under a pthread mutex, with a condition the send threads
/// sleep on while it is empty.
final class SendQueue: @unchecked Sendable {
    // @unchecked: every field below is read and written with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let nonEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var ring: [SendTask?]
    private var head = 0
    private var count = 0
    private var bytes = 0
    private var sleepers = 0
    /// Tasks taken by send threads and not yet handled.
    private var active = 0
    private var stopped = false
    let capacity: Int
    let maxBytes: Int

    init(capacity: Int, maxBytes: Int) {
        self.capacity = capacity
        self.maxBytes = maxBytes
        ring = []
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(nonEmpty, nil)
    }

    deinit {
        pthread_cond_destroy(nonEmpty)
        pthread_mutex_destroy(mutex)
        nonEmpty.deallocate()
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Why an offer was refused: what the queue held.
    struct Full: Error {
        let count: Int
        let bytes: Int
    }

    /// Queues `task` unless that would exceed the capacity or the byte limit
    /// (one task larger than the byte limit is still taken into an empty queue).
    func offer(_ task: SendTask) -> Full? {
        let (refused, wake): (Full?, Bool) = locked {
            if stopped || count >= capacity || (count > 0 && bytes + task.bytes > maxBytes) {
                return (Full(count: count, bytes: bytes), false)
            }
            // The ring grows to the capacity on demand, not up front.
            if ring.count < capacity && count == ring.count {
                let grown = Swift.min(capacity, Swift.max(64, ring.count * 2))
                var fresh = [SendTask?](repeating: nil, count: grown)
                for i in 0..<count { fresh[i] = ring[(head + i) % ring.count] }
                ring = fresh
                head = 0
            }
            ring[(head + count) % ring.count] = task
            count += 1
            bytes += task.bytes
            return (nil, sleepers > 0)
        }
        if wake { pthread_cond_signal(nonEmpty) }
        return refused
    }

    private func popHead() -> SendTask {
        let t = ring[head]!
        ring[head] = nil
        head = (head + 1) % ring.count
        count -= 1
        bytes -= t.bytes
        return t
    }

    /// The task at the head; with `wait`, sleeps while the queue is empty.
    /// Nil when empty and not waiting, or once stopped and drained.
    /// - Parameter finished: tasks the caller took earlier and has handled since
    ///   (they count as in progress until then: see ``isIdle``).
    func take(wait: Bool, finished: Int = 0) -> SendTask? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        active -= finished
        while wait && count == 0 && !stopped {
            sleepers += 1
            pthread_cond_wait(nonEmpty, mutex)
            sleepers -= 1
        }
        guard count > 0 else { return nil }
        active += 1
        return popHead()
    }

    /// True when nothing waits and no send thread is handling a task: every
    /// send admitted so far has been appended (or refused), so one appended
    /// now cannot overtake an earlier send of the same connection.
    var isIdle: Bool { locked { count == 0 && active == 0 && !stopped } }

    /// Removes tasks from the head while they have waited at least `millis`.
    /// - Returns: each with its wait, and the queue size after the removal.
    func removeExpired(waitedAtLeast millis: Int64, now: UInt64) -> (tasks: [SendTask], left: Int) {
        locked {
            var out: [SendTask] = []
            while count > 0, let t = ring[head], t.waitedMillis(now: now) >= millis { out.append(popHead()) }
            return (out, count)
        }
    }

    /// Empties the queue (page cache busy, shutdown).
    func removeAll() -> [SendTask] {
        locked {
            var out: [SendTask] = []
            while count > 0 { out.append(popHead()) }
            return out
        }
    }

    /// Wakes the send threads for good: `take` returns what is left, then empty.
    func stop() {
        locked { stopped = true }
        pthread_cond_broadcast(nonEmpty)
    }

    /// Tasks waiting now.
    var size: Int { locked { count } }
    /// Body bytes waiting now.
    var queuedBytes: Int { locked { bytes } }

    /// How long the oldest waiting task has waited, ms (RocketMQ `headSlowTimeMills`).
    func headWaitMillis(now: UInt64) -> Int64 {
        locked { count > 0 ? ring[head]?.waitedMillis(now: now) ?? 0 : 0 }
    }
}

/// Monotonic ns (the clock of queue wait times).
func monotonicNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
