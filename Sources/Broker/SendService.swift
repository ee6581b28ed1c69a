import Foundation
import Protocol
import Remoting
import Store
import Synchronization

/// Why the broker refused a send with SYSTEM_BUSY (flow control). The remarks
/// are RocketMQ's (`BrokerFastFailure`, `NettyRemotingAbstract`,
/// `SendMessageProcessor`), so clients and operators recognise them.
enum BusyReason {
    /// The put lock has been held longer than osPageCacheBusyTimeOutMills: refused on arrival.
    case pageCacheBusy(heldMillis: Int64, limitMillis: Int)
    /// Queued when the page cache turned busy: the queue is emptied.
    case pageCacheBusyCleanQueue(waitedMillis: Int64, queueSize: Int)
    /// Waited in the send queue longer than waitTimeMillsInSendQueue.
    case timeoutInQueue(waitedMillis: Int64, queueSize: Int)
    /// The send queue is full (requests or bytes).
    case overload(count: Int, bytes: Int, capacity: Int, maxBytes: Int)

    var remark: String {
        switch self {
        case .pageCacheBusy(let held, let limit):
            "[PC_SYNCHRONIZED]broker busy, start flow control for a while, put lock held \(held)ms (osPageCacheBusyTimeOutMills \(limit))"
        case .pageCacheBusyCleanQueue(let waited, let size):
            "[PCBUSY_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: \(waited)ms, size of queue: \(size)"
        case .timeoutInQueue(let waited, let size):
            "[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: \(waited)ms, size of queue: \(size)"
        case .overload(let count, let bytes, let capacity, let maxBytes):
            "[OVERLOAD]system busy, start flow control for a while, send queue full: \(count) requests (capacity \(capacity)), \(bytes) bytes (limit \(maxBytes))"
        }
    }

    var counter: BrokerStats.Counter {
        switch self {
        case .pageCacheBusy, .pageCacheBusyCleanQueue: .busyPageCache
        case .timeoutInQueue: .busyTimeoutInQueue
        case .overload: .busyQueueFull
        }
    }
}

/// The send threads and the fast-failure sweep (RocketMQ's send executor and
/// `BrokerFastFailure`).
///
/// Event loops admit a send (``SendAdmission``) and queue it for a send
/// thread, so a slow append (a page fault on cold memory, a segment roll
/// waiting for its file, a stalled disk) stalls the send threads and the
/// queue, not the connections' reads, pulls and heartbeats. The sweep, every
/// 10 ms, answers what the stalled threads cannot: the whole queue while the
/// page cache is busy, and every send that has waited too long.
///
/// One exception saves two thread hops per send at moderate rates: while the
/// queue is idle, the put lock free and the last ``inlineAfterFastAppends``
/// appends were fast, the event loop appends the send itself
/// (`sendInlineWhenIdle`). A stall that begins in such an append holds that
/// one event loop until it ends; the slow append then sends every send back
/// to the send threads until appends are fast again.
final class SendService: Sendable {
    let queue: SendQueue
    private let processor: SendMessageProcessor
    private let stats: BrokerStats
    private let store: MessageStore
    private let maxWaitMillis: Int64
    private let fastFailure: Bool
    private let threadCount: Int
    private let finished = DispatchGroup()
    private let sweepStopped = Atomic(false)

    /// Sends handled before their answers go out (one hop per connection per turn).
    static let chunk = 128
    /// Fast appends in a row after which an event loop may append by itself.
    static let inlineAfterFastAppends = 64
    /// An append slower than this (ns) ends the run of fast ones.
    static let slowAppendNanos: UInt64 = 1_000_000
    private let inlineWhenIdle: Bool
    /// Fast appends since the last slow one, capped at ``inlineAfterFastAppends``.
    private let fastStreak = Atomic(0)
    /// Test hook: runs on the send thread after it takes a task, before handling it.
    private let afterTake: (@Sendable () -> Void)?

    init(processor: SendMessageProcessor, config: BrokerConfig, store: MessageStore, stats: BrokerStats,
         afterTake: (@Sendable () -> Void)? = nil) {
        self.afterTake = afterTake
        queue = SendQueue(capacity: config.sendThreadPoolQueueCapacity, maxBytes: config.sendQueueMaxBytes)
        self.processor = processor
        self.stats = stats
        self.store = store
        maxWaitMillis = Int64(config.waitTimeMillsInSendQueue)
        fastFailure = config.brokerFastFailureEnable
        threadCount = config.sendMessageThreadPoolNums
        inlineWhenIdle = config.sendInlineWhenIdle
    }

    func start() {
        for i in 0..<threadCount {
            finished.enter()
            let name = "SendMessageThread_\(i + 1)"
            let t = Thread { [self] in
                setCurrentThreadName("SendMessageThr\(i + 1)")
                run()
                finished.leave()
            }
            t.name = name
            t.start()
        }
        guard fastFailure else { return }
        finished.enter()
        let sweeper = Thread { [self] in
            setCurrentThreadName("BrokerFastFail")
            while !sweepStopped.load(ordering: .relaxed) {
                usleep(10_000)
                cleanExpired()
            }
            finished.leave()
        }
        sweeper.name = "BrokerFastFailure"
        sweeper.start()
    }

    /// Answers `task` with SYSTEM_BUSY for `reason`, and counts it.
    func refuse(_ task: SendTask, _ reason: BusyReason, into replies: ReplyBatch? = nil) {
        stats.busy(reason)
        let response = RemotingResponse.command(task.request.response(.systemBusy, remark: reason.remark))
        if let replies { replies.reply(task.context, response) } else { task.context.reply(response) }
    }

    /// Takes one task at a time, so that everything not being appended stays in
    /// the queue where the sweep can answer it. Answers are sent together once
    /// the queue is empty or ``chunk`` tasks were handled; the store's
    /// dispatcher is woken once per such run when a pull waits for messages,
    /// before the answers go out.
    private func run() {
        var finished = 0
        while let first = queue.take(wait: true, finished: finished) {
            finished = 0
            let replies = ReplyBatch()
            var next: SendTask? = first
            var handled = 0
            while let t = next {
                afterTake?()
                handle(t, replies: replies)
                handled += 1
                if handled < Self.chunk {
                    next = queue.take(wait: false, finished: 1)
                } else {
                    next = nil
                    finished = 1
                }
            }
            store.wakeDispatcherIfAwaited()
            replies.send()
        }
    }

    private func handle(_ t: SendTask, replies: ReplyBatch) {
        let began = monotonicNow()
        let waited = t.waitedMillis(now: began)
        if fastFailure && waited >= maxWaitMillis {
            refuse(t, .timeoutInQueue(waitedMillis: waited, queueSize: queue.size), into: replies)
            return
        }
        let context = t.context
        let outcome = processor.process(t.request, context: context) { replies.reply(context, $0) }
        timed(since: began)
        if case .response(let r) = outcome { replies.reply(context, r) }
    }

    /// Whether the calling event loop may append a send itself now: allowed,
    /// appends have been fast, nobody holds the put lock, and no earlier send
    /// is queued or being appended (so per-connection order holds).
    func mayAppendInline() -> Bool {
        inlineWhenIdle && fastStreak.load(ordering: .relaxed) >= Self.inlineAfterFastAppends
            && !store.isPutLockHeld && queue.isIdle
    }

    /// Appends `task` on the calling event loop (see ``mayAppendInline()``).
    func appendInline(_ task: SendTask) -> InlineOutcome {
        stats.add(.sendsInline)
        let began = monotonicNow()
        let outcome = processor.process(task.request, context: task.context) { [context = task.context] in context.reply($0) }
        timed(since: began)
        store.wakeDispatcherIfAwaited()
        return outcome
    }

    /// Counts an append as fast or slow for ``mayAppendInline()``.
    private func timed(since began: UInt64) {
        if monotonicNow() &- began > Self.slowAppendNanos {
            fastStreak.store(0, ordering: .relaxed)
        } else if fastStreak.load(ordering: .relaxed) < Self.inlineAfterFastAppends {
            fastStreak.add(1, ordering: .relaxed)
        }
    }

    /// The 10 ms sweep (RocketMQ `BrokerFastFailure.cleanExpiredRequest`).
    func cleanExpired() {
        if store.isPageCacheBusy {
            let tasks = queue.removeAll()
            let now = monotonicNow()
            for (i, t) in tasks.enumerated() {
                refuse(t, .pageCacheBusyCleanQueue(waitedMillis: t.waitedMillis(now: now), queueSize: tasks.count - i - 1))
            }
        }
        let (expired, left) = queue.removeExpired(waitedAtLeast: maxWaitMillis, now: monotonicNow())
        let now = monotonicNow()
        for (i, t) in expired.enumerated() {
            refuse(t, .timeoutInQueue(waitedMillis: t.waitedMillis(now: now), queueSize: left + expired.count - i - 1))
        }
    }

    /// Stops the sweep and the send threads once the queue is empty (call after
    /// the server has drained its connections, so nothing new arrives).
    func shutdown() {
        sweepStopped.store(true, ordering: .relaxed)
        queue.stop()
        finished.wait()
    }
}

/// Answers produced while a send thread handles a run of tasks, sent together
/// at the end of the run (one event-loop hop and one flush per connection). An
/// answer that comes after (a SYNC_FLUSH acknowledgement from the group-commit
/// thread) goes out on its own.
final class ReplyBatch: Sendable {
    private struct State {
        var open = true
        var items: [(RemotingContext, RemotingResponse?)] = []
    }
    private let state = Mutex(State())

    func reply(_ context: RemotingContext, _ response: RemotingResponse?) {
        let kept = state.withLock { s in
            guard s.open else { return false }
            s.items.append((context, response))
            return true
        }
        if !kept { context.reply(response) }
    }

    /// Sends what was collected; later answers go out one by one.
    func send() {
        let items = state.withLock { s in
            s.open = false
            return s.items
        }
        RemotingContext.reply(all: items)
    }
}

/// SEND_MESSAGE, SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE on the event loop:
/// refuse at once while the page cache is busy or the send queue is full;
/// append here when the send service is idle and appends are fast
/// (``SendService/mayAppendInline()``); otherwise queue for a send thread
/// (answered later: the request is deferred).
struct SendAdmission: RemotingInlineProcessor {
    let service: SendService
    let store: MessageStore

    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        let task = SendTask(request: request, context: context, enqueuedAt: monotonicNow(), bytes: request.body?.readableBytes ?? 0)
        if store.isPageCacheBusy {
            let reason = BusyReason.pageCacheBusy(heldMillis: store.putLockHeldMillis, limitMillis: store.config.osPageCacheBusyTimeOutMills)
            service.refuse(task, reason)
            return .deferred
        }
        if service.mayAppendInline() { return service.appendInline(task) }
        if let full = service.queue.offer(task) {
            service.refuse(task, .overload(count: full.count, bytes: full.bytes, capacity: service.queue.capacity,
                                           maxBytes: service.queue.maxBytes))
        }
        return .deferred
    }
}
