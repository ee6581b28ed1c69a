import Synchronization

/// A counting semaphore for async code: at most `limit` holders; `acquire()`
/// suspends (without blocking a thread) while the window is full. Waiters are
/// served first come, first served.
final class InFlightWindow: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
        var closed = false
        /// Waiting for every slot to be given back.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>
    let limit: Int

    init(limit: Int) {
        precondition(limit > 0, "the window needs at least one slot")
        self.limit = limit
        state = Mutex(State(available: limit))
    }

    /// Takes a slot, waiting for one if needed.
    /// - Throws: ``ClientError/shutDown`` once closed, `CancellationError` if cancelled while waiting.
    func acquire() async throws {
        let id: Int? = try state.withLock { s in
            if s.closed { throw ClientError.shutDown }
            if s.available > 0 { s.available -= 1; return nil }
            defer { s.nextID += 1 }
            return s.nextID
        }
        guard let id else { return }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let resumeNow: Bool? = state.withLock { s in
                    if s.closed { return false }
                    if Task.isCancelled { return false }
                    if s.available > 0 { s.available -= 1; return true }
                    s.waiters.append((id, c))
                    return nil
                }
                if let resumeNow { c.resume(returning: resumeNow) }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<Bool, Never>? in
                guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: i).continuation
            }
            c?.resume(returning: false)
        }
        if !granted {
            if state.withLock({ $0.closed }) { throw ClientError.shutDown }
            throw CancellationError()
        }
    }

    /// Takes a slot if one is free and nobody waits for one; never waits.
    /// - Throws: ``ClientError/shutDown`` once closed.
    func tryAcquire() throws(ClientError) -> Bool {
        try state.withLock { s throws(ClientError) in
            if s.closed { throw .shutDown }
            guard s.available > 0, s.waiters.isEmpty else { return false }
            s.available -= 1
            return true
        }
    }

    /// Gives a slot back, waking the longest waiter.
    func release() {
        let (c, idle) = state.withLock { s -> (CheckedContinuation<Bool, Never>?, [CheckedContinuation<Void, Never>]) in
            if !s.waiters.isEmpty { return (s.waiters.removeFirst().continuation, []) }
            s.available += 1
            guard s.available == limit, !s.idleWaiters.isEmpty else { return (nil, []) }
            defer { s.idleWaiters = [] }
            return (nil, s.idleWaiters)
        }
        c?.resume(returning: true)
        for w in idle { w.resume() }
    }

    /// Returns once every slot is given back (at once when none is taken).
    func waitUntilIdle() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.available == limit { return true }
                s.idleWaiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// Slots currently taken.
    var inUse: Int { state.withLock { limit - $0.available } }

    /// Callers waiting for a slot.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Fails current and future waiters with ``ClientError/shutDown``.
    func close() {
        let waiters = state.withLock { s in
            s.closed = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.continuation.resume(returning: false) }
    }
}
