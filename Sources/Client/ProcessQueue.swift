import MessageFormat
import Protocol
import Synchronization

/// The push consumer's state of one assigned queue (RocketMQ `ProcessQueue`):
/// the offsets pulled but not yet consumed, for flow control and for the
/// offset that may be committed (the lowest outstanding one).
final class ProcessQueue: Sendable {
    let queue: MessageQueue
    private struct State {
        var outstanding: Set<Int64> = []
        var highest: Int64 = -1
        var dropped = false
        var pullTask: Task<Void, Never>?
    }
    private let state = Mutex(State())

    init(queue: MessageQueue) { self.queue = queue }

    /// Messages pulled and not yet consumed.
    var cachedCount: Int { state.withLock { $0.outstanding.count } }

    var isDropped: Bool { state.withLock { $0.dropped } }

    func setPullTask(_ task: Task<Void, Never>) {
        let cancel = state.withLock { s in
            s.pullTask = task
            return s.dropped
        }
        if cancel { task.cancel() }
    }

    /// Records pulled messages.
    func add(_ offsets: [Int64]) {
        state.withLock { s in
            s.outstanding.formUnion(offsets)
            if let m = offsets.max() { s.highest = max(s.highest, m) }
        }
    }

    /// Marks `offset` consumed. - Returns: the offset to commit (next to consume), nil if dropped.
    func remove(_ offset: Int64) -> Int64? {
        state.withLock { s in
            s.outstanding.remove(offset)
            guard !s.dropped else { return nil }
            return s.outstanding.min() ?? (s.highest + 1)
        }
    }

    /// Marks a batch consumed. - Returns: the offset to commit, nil if dropped.
    func remove(_ offsets: [Int64]) -> Int64? {
        state.withLock { s in
            for o in offsets { s.outstanding.remove(o) }
            guard !s.dropped else { return nil }
            return s.outstanding.min() ?? (s.highest + 1)
        }
    }

    /// Stops pulling; consumption results arriving later no longer move the offset.
    func drop() {
        let task = state.withLock { s in
            s.dropped = true
            return s.pullTask
        }
        task?.cancel()
    }
}

/// Consumed offsets per queue (RocketMQ `OffsetStore`): kept in memory, sent
/// to the broker for clustering, local only for broadcasting.
final class OffsetTable: Sendable {
    private let table = Mutex<[MessageQueue: Int64]>([:])

    func read(_ q: MessageQueue) -> Int64? { table.withLock { $0[q] } }

    /// Sets `q`'s offset; with `increaseOnly`, never moves it back.
    func update(_ q: MessageQueue, _ offset: Int64, increaseOnly: Bool = false) {
        table.withLock { t in
            if increaseOnly, let old = t[q], old >= offset { return }
            t[q] = offset
        }
    }

    func remove(_ q: MessageQueue) { _ = table.withLock { $0.removeValue(forKey: q) } }

    var snapshot: [MessageQueue: Int64] { table.withLock { $0 } }
}
