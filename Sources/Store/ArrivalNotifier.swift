import Synchronization

/// Wakes whoever waits for new messages in a queue: the broker's held
/// long-poll pulls hang here. The dispatcher reports each queue's new end once
/// per pass, so a burst of appends costs one wake-up per queue, not per message.
public final class ArrivalNotifier: Sendable {
    private struct Waiter {
        let id: UInt64
        let beyond: Int64
        let resume: @Sendable (Bool) -> Void
    }
    private struct State {
        var nextId: UInt64 = 0
        var waiters: [QueueKey: [Waiter]] = [:]
    }
    private let state = Mutex(State())
    private let listeners = Mutex<[@Sendable (QueueKey, Int64) -> Void]>([])

    public init() {}

    /// Adds a callback run (on the dispatcher thread) for every arrival batch.
    /// It must be quick: hand work to another thread.
    public func addListener(_ listener: @escaping @Sendable (QueueKey, Int64) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Registers a one-shot waiter, resumed with `true` when the queue's max
    /// offset passes `offset`, or with `false` by `cancel`.
    /// - Returns: an id for `cancel`.
    public func wait(for key: QueueKey, beyond offset: Int64, resume: @escaping @Sendable (Bool) -> Void) -> UInt64 {
        state.withLock { s in
            s.nextId += 1
            s.waiters[key, default: []].append(Waiter(id: s.nextId, beyond: offset, resume: resume))
            return s.nextId
        }
    }

    /// Resumes a waiter with `false` if it is still waiting (its timeout fired).
    public func cancel(_ key: QueueKey, id: UInt64) {
        let w: Waiter? = state.withLock { s in
            guard var list = s.waiters[key], let i = list.firstIndex(where: { $0.id == id }) else { return nil }
            let w = list.remove(at: i)
            s.waiters[key] = list.isEmpty ? nil : list
            return w
        }
        w?.resume(false)
    }

    /// True while a pull waits for a queue or a listener is registered: only
    /// then is an immediate dispatch worth a wake-up of the dispatcher.
    public var isAwaited: Bool {
        state.withLock { !$0.waiters.isEmpty } || listeners.withLock { !$0.isEmpty }
    }

    /// Called by the dispatcher: the queue now holds offsets below `maxOffset`.
    func arrived(_ key: QueueKey, maxOffset: Int64) {
        let ready: [Waiter] = state.withLock { s in
            guard let list = s.waiters[key] else { return [] }
            var keep: [Waiter] = []
            var fire: [Waiter] = []
            for w in list { if maxOffset > w.beyond { fire.append(w) } else { keep.append(w) } }
            s.waiters[key] = keep.isEmpty ? nil : keep
            return fire
        }
        for w in ready { w.resume(true) }
        for l in listeners.withLock({ $0 }) { l(key, maxOffset) }
    }

    /// Resumes every waiter with `false` (shutdown).
    func cancelAll() {
        let all = state.withLock { s -> [Waiter] in
            let a = s.waiters.values.flatMap { $0 }
            s.waiters.removeAll()
            return a
        }
        for w in all { w.resume(false) }
    }
}
