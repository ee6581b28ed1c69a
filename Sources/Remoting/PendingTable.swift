import Logging
import NIOCore
import Protocol

/// Requests sent on one connection and waiting for their responses, keyed by
/// opaque. Lives in the channel handler, so it is touched only on the event loop.
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
        var continuation: UnsafeContinuation<Result<RemotingCommand, RemotingError>, Never>
    }
    private var entries: [Int32: Entry] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    var count: Int { entries.count }

    mutating func add(
        opaque: Int32, code: Int32, deadline: NIODeadline, timeoutMilliseconds: Int64,
        continuation: UnsafeContinuation<Result<RemotingCommand, RemotingError>, Never>,
        handler: RemotingChannelHandler, context: ChannelHandlerContext
    ) {
        // An opaque still pending after 2^32 later requests would be a bug in
        // the caller's timeouts; answer the old one rather than leak it.
        if let old = entries.updateValue(
            Entry(code: code, deadline: deadline, timeoutMilliseconds: timeoutMilliseconds, continuation: continuation), forKey: opaque)
        {
            old.continuation.resume(returning: .failure(.cancelled))
        }
        arm(deadline, handler: handler, context: context)
    }

    /// Resumes the waiter of `response`; a response nobody waits for (it came
    /// after its timeout) is dropped.
    mutating func complete(_ response: RemotingCommand, logger: Logger) {
        guard let entry = entries.removeValue(forKey: response.opaque) else {
            logger.debug("dropping response nobody waits for (late or unknown), opaque \(response.opaque)")
            return
        }
        entry.continuation.resume(returning: .success(response))
        if entries.isEmpty { disarm() }
    }

    mutating func cancel(_ opaque: Int32) {
        entries.removeValue(forKey: opaque)?.continuation.resume(returning: .failure(.cancelled))
    }

    mutating func failAll(_ error: RemotingError) {
        disarm()
        let all = entries
        entries = [:]
        for (_, e) in all { e.continuation.resume(returning: .failure(error)) }
    }

    /// Fails every expired request with a timeout, then re-arms for the next deadline.
    mutating func sweep(address: String, handler: RemotingChannelHandler, context: ChannelHandlerContext) {
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
        for (opaque, e) in expired {
            entries.removeValue(forKey: opaque)
            e.continuation.resume(returning: .failure(.timeout(
                address: address, code: e.code, milliseconds: e.timeoutMilliseconds)))
        }
        if let next { arm(next, handler: handler, context: context) }
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
