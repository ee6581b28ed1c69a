import Logging
import NIOCore
import Protocol

/// Requests sent on one connection and waiting for their responses, keyed by
/// opaque. Lives in the channel handler, so it is touched only on the event loop.
///
/// Methods hand back the waiters to resume instead of resuming them: a waiter
/// may be a callback that sends the next request, which must not find the
/// table in the middle of a mutation.
///
/// Timeouts use one timer per connection, armed at the earliest deadline,
/// instead of one scheduled task per request: with a steady pipelined window
/// of same-timeout requests the timer fires about once per timeout period,
/// finds nothing expired, and re-arms at the next deadline.
struct PendingTable {
    private struct Entry {
        var code: Int32
        var deadline: NIODeadline
        var timeoutMilliseconds: Int64
        var waiter: ResponseWaiter
    }
    private var entries: [Int32: Entry] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    var count: Int { entries.count }

    /// - Returns: the waiter of an older request with the same opaque, to be failed.
    mutating func add(
        opaque: Int32, code: Int32, deadline: NIODeadline, timeoutMilliseconds: Int64,
        waiter: ResponseWaiter, handler: RemotingChannelHandler, context: ChannelHandlerContext
    ) -> ResponseWaiter? {
        // An opaque still pending after 2^32 later requests would be a bug in
        // the caller's timeouts; answer the old one rather than leak it.
        let old = entries.updateValue(
            Entry(code: code, deadline: deadline, timeoutMilliseconds: timeoutMilliseconds, waiter: waiter), forKey: opaque)
        arm(deadline, handler: handler, context: context)
        return old?.waiter
    }

    /// The waiter of `response`, removed; nil for a response nobody waits for
    /// (it came after its timeout), which is dropped.
    mutating func take(_ response: RemotingCommand, logger: Logger) -> ResponseWaiter? {
        guard let entry = entries.removeValue(forKey: response.opaque) else {
            logger.debug("dropping response nobody waits for (late or unknown), opaque \(response.opaque)")
            return nil
        }
        if entries.isEmpty { disarm() }
        return entry.waiter
    }

    mutating func cancel(_ opaque: Int32) -> ResponseWaiter? {
        entries.removeValue(forKey: opaque)?.waiter
    }

    /// Every waiter, removed.
    mutating func removeAll() -> [ResponseWaiter] {
        disarm()
        defer { entries = [:] }
        return entries.values.map(\.waiter)
    }

    /// Removes the expired requests, then re-arms for the next deadline.
    /// - Returns: each expired waiter with its timeout error.
    mutating func sweep(address: String, handler: RemotingChannelHandler, context: ChannelHandlerContext)
        -> [(ResponseWaiter, RemotingError)]
    {
        timer = nil
        timerDeadline = nil
        let now = NIODeadline.now()
        var next: NIODeadline?
        var expired: [(Int32, Entry)] = []
        for (opaque, e) in entries {
            if e.deadline <= now {
                expired.append((opaque, e))
            } else if next.map({ e.deadline < $0 }) ?? true {
                next = e.deadline
            }
        }
        for (opaque, _) in expired { entries.removeValue(forKey: opaque) }
        if let next { arm(next, handler: handler, context: context) }
        return expired.map { ($0.1.waiter, .timeout(address: address, code: $0.1.code, milliseconds: $0.1.timeoutMilliseconds)) }
    }

    private mutating func arm(_ deadline: NIODeadline, handler: RemotingChannelHandler, context: ChannelHandlerContext) {
        if let current = timerDeadline, current <= deadline { return }
        timer?.cancel()
        let bound = NIOLoopBound(handler, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) { bound.value.sweepPending() }
        timerDeadline = deadline
    }

    private mutating func disarm() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}
