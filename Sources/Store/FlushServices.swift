import Foundation
import Logging
import Synchronization

/// ASYNC_FLUSH (RocketMQ `FlushRealTimeService`): every flushIntervalCommitLog
/// ms, flush when at least flushCommitLogLeastPages pages are dirty, and flush
/// everything every flushCommitLogThoroughInterval ms.
final class AsyncFlushService: Sendable {
    private let thread: ServiceThread

    init(commitLog: CommitLog, onFlushed: @escaping @Sendable (Int64) -> Void, logger: Logger) {
        let c = commitLog.config
        thread = ServiceThread(name: "FlushCommitLog") { t in
            var lastThorough = monotonicNanos()
            while !t.isStopped {
                t.waitForRunning(milliseconds: c.flushIntervalCommitLog)
                var least = c.flushCommitLogLeastPages
                let now = monotonicNanos()
                if now - lastThorough >= UInt64(c.flushCommitLogThoroughInterval) * 1_000_000 {
                    least = 0
                    lastThorough = now
                }
                do {
                    onFlushed(try commitLog.files.flush(leastPages: least))
                } catch {
                    logger.error("commitlog flush failed", metadata: ["error": "\(error)"])
                }
            }
            // RocketMQ retries the final flush up to 10 times.
            for _ in 0..<10 {
                if let end = try? commitLog.files.flush(leastPages: 0) { onFlushed(end); break }
            }
        }
    }

    func start() { thread.start() }
    func shutdown() { thread.shutdown() }
}

/// SYNC_FLUSH group commit (RocketMQ `GroupCommitService` + `FlushDiskWatcher`):
/// while requests wait, flush everything appended so far in one msync, then
/// complete every request it covered. Requests that arrive during a flush are
/// covered by the next one; none waits longer than syncFlushTimeout.
final class GroupCommitService: Sendable {
    struct Request {
        let nextOffset: Int64
        let deadline: UInt64
        let complete: @Sendable (PutStatus, String?) -> Void
    }
    private let thread: ServiceThread
    private let watcher: ServiceThread
    private let timeoutNanos: UInt64

    init(commitLog: CommitLog, onFlushed: @escaping @Sendable (Int64) -> Void,
         beforeFlush: (@Sendable () -> Void)? = nil, logger: Logger) {
        timeoutNanos = UInt64(commitLog.config.syncFlushTimeout) * 1_000_000
        let box = PendingBox()
        let stats = GroupCommitStats()
        self.stats = stats
        self.thread = ServiceThread(name: "GroupCommit") { t in
            while !t.isStopped || box.hasPending {
                if !box.hasPending {
                    t.waitForRunning(milliseconds: 10)
                    continue
                }
                var failure: String?
                beforeFlush?()
                do {
                    onFlushed(try commitLog.files.flush(leastPages: 0))
                } catch {
                    failure = "\(error)"
                    logger.error("group commit flush failed", metadata: ["error": "\(error)"])
                }
                let flushed = commitLog.files.flushedWhere
                let done = box.take(where: { $0.nextOffset <= flushed })
                stats.flushes.add(1, ordering: .relaxed)
                stats.completed.add(done.count, ordering: .relaxed)
                for r in done { r.complete(.putOK, nil) }
                if let failure {
                    for r in box.take(where: { _ in true }) { r.complete(.serviceNotAvailable, "flush failed: \(failure)") }
                }
            }
        }
        self.watcher = ServiceThread(name: "FlushWatcher") { t in
            while !t.isStopped {
                t.waitForRunning(milliseconds: 10)
                let now = monotonicNanos()
                for r in box.take(where: { $0.deadline <= now }) {
                    r.complete(.flushDiskTimeout, "flush did not complete within syncFlushTimeout")
                }
            }
        }
        self.box = box
    }

    private let box: PendingBox
    let stats: GroupCommitStats

    func start() {
        thread.start()
        watcher.start()
    }

    /// Completes `complete` once everything below `nextOffset` is durable.
    func submit(nextOffset: Int64, complete: @escaping @Sendable (PutStatus, String?) -> Void) {
        box.add(Request(nextOffset: nextOffset, deadline: monotonicNanos() + timeoutNanos, complete: complete))
        thread.wakeup()
    }

    func shutdown() {
        thread.shutdown()
        watcher.shutdown()
    }
}

/// The waiting requests; each is removed exactly once, by the flusher or the watcher.
private final class PendingBox: Sendable {
    private let list = Mutex<[GroupCommitService.Request]>([])
    var hasPending: Bool { list.withLock { !$0.isEmpty } }
    func add(_ r: GroupCommitService.Request) { list.withLock { $0.append(r) } }
    func take(where pred: (GroupCommitService.Request) -> Bool) -> [GroupCommitService.Request] {
        list.withLock { l in
            var taken: [GroupCommitService.Request] = []
            l.removeAll { r in
                if pred(r) { taken.append(r); return true }
                return false
            }
            return taken
        }
    }
}

/// How well group commit is grouping: requests completed per flush.
final class GroupCommitStats: Sendable {
    let flushes = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
}
