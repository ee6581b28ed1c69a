import Synchronization

/// A multi-consumer FIFO for async workers: `next()` suspends until an item
/// arrives or the queue closes (then nil). Producers never wait; the push
/// consumer bounds what it puts here by per-queue flow control.
final class WorkQueue<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var head = 0
        var waiters: [CheckedContinuation<Item?, Never>] = []
        var closed = false
    }
    private let state = Mutex(State())

    /// Adds `item`, handing it straight to a waiting worker if there is one. Dropped once closed.
    func put(_ item: Item) {
        let waiter = state.withLock { s -> CheckedContinuation<Item?, Never>? in
            guard !s.closed else { return nil }
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.items.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    /// The next item, or nil once closed.
    func next() async -> Item? {
        await withCheckedContinuation { (c: CheckedContinuation<Item?, Never>) in
            let ready: Item?? = state.withLock { s in
                if s.head < s.items.count {
                    let item = s.items[s.head]
                    s.head += 1
                    if s.head > 1024 && s.head * 2 > s.items.count {
                        s.items.removeFirst(s.head)
                        s.head = 0
                    }
                    return .some(item)
                }
                if s.closed { return .some(nil) }
                s.waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    /// Ends every waiting and later `next()` with nil; queued items are discarded.
    func close() {
        let waiters = state.withLock { s in
            s.closed = true
            s.items = []
            s.head = 0
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: nil) }
    }
}
