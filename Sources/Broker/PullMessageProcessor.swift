import Config
import MessageFormat
import NIOCore
import Protocol
import Remoting
import Store
import Synchronization

/// PULL_MESSAGE: reads from the store and answers with the records as file
/// regions (sent with `sendfile`, no copy). A pull that finds nothing and
/// carries the suspend flag is parked on the store's ``ArrivalNotifier`` and
/// re-run when its queue grows past the requested offset, or at its suspend
/// timeout (then answered PULL_NOT_FOUND) — RocketMQ's long polling.
struct PullMessageProcessor: RemotingInlineProcessor {
    let store: MessageStore
    let topics: TopicConfigManager
    let offsets: ConsumerOffsetManager
    let isSlave: Bool
    let held: HeldPulls
    let stats: BrokerStats

    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        let header: PullMessageRequestHeader
        do {
            header = try request.decodeHeader()
        } catch {
            return request.answer(.systemError, remark: "bad pull header: \(error)")
        }
        guard let topic = topics.topic(header.topic) else {
            return request.answer(.topicNotExist, remark: "topic[\(header.topic)] not exist, apply first please!")
        }
        guard Perm(rawValue: topic.perm).isReadable else {
            return request.answer(.noPermission, remark: "the topic[\(header.topic)] pulling message is forbidden")
        }
        guard header.queueId >= 0, header.queueId < topic.readQueueNums else {
            return request.answer(.systemError,
                                  remark: "queueId[\(header.queueId)] is illegal, topic \(header.topic) has \(topic.readQueueNums) read queues")
        }
        let flags = PullSysFlag(rawValue: header.sysFlag)
        if flags.contains(.commitOffset), !isSlave, header.commitOffset >= 0 {
            offsets.commit(group: header.consumerGroup, topic: header.topic, queueId: header.queueId, offset: header.commitOffset)
        }
        let filter = flags.contains(.subscription) ? TagFilter(header.subscription) : nil
        let (response, notFound) = read(request, header, filter)
        guard notFound, flags.contains(.suspend), header.suspendTimeoutMillis > 0 else { return .response(response) }
        stats.add(.pullsHeld)
        park(request, header, filter, context: context)
        return .deferred
    }

    /// Runs the read; `notFound` = the answer is PULL_NOT_FOUND (a candidate for parking).
    private func read(_ request: RemotingCommand, _ h: PullMessageRequestHeader, _ filter: TagFilter?)
        -> (RemotingResponse, notFound: Bool)
    {
        let maxMessages = Int(max(1, min(h.maxMsgNums, 1024)))
        let maxBytes = h.maxMsgBytes.map { Int(max(1, $0)) } ?? Int.max
        let r = store.getMessage(topic: h.topic, queueId: h.queueId, offset: h.queueOffset, maxMessages: maxMessages,
                                 maxBytes: maxBytes, tagsFilter: filter.map { f in { f.matches($0) } })
        let code: ResponseCode
        switch r.status {
        case .found: code = .success
        case .noMessageInQueue, .noMatchedLogicQueue: code = h.queueOffset != 0 ? .pullOffsetMoved : .pullNotFound
        case .offsetOverflowOne, .offsetFoundNull: code = .pullNotFound
        case .offsetOverflowBadly, .offsetTooSmall: code = .pullOffsetMoved
        case .noMatchedMessage, .messageWasRemoving: code = .pullRetryImmediately
        }
        let header = PullMessageResponseHeader(suggestWhichBrokerId: 0, nextBeginOffset: r.nextBeginOffset,
                                               minOffset: r.minOffset, maxOffset: r.maxOffset)
        if code == .success {
            stats.add(.pullsFound)
            stats.pulled(r.messages.count, topic: h.topic, group: h.consumerGroup)
            let head = request.response(.success, header: header)
            let regions = r.regions.map(QueryMessageProcessor.region)
            return (.fileRegions(header: head, regions: regions), false)
        }
        return (.command(request.response(code, header: header, remark: r.status.rawValue)), code == .pullNotFound)
    }

    /// Holds the request until its queue grows or the suspend timeout passes,
    /// then re-runs the read (without suspending again) and replies.
    private func park(_ request: RemotingCommand, _ h: PullMessageRequestHeader, _ filter: TagFilter?,
                      context: RemotingContext) {
        let key = QueueKey(topic: h.topic, queueId: h.queueId)
        let loop = context.connection.eventLoop
        let timer = TimerSlot()
        let processor = self
        let held = self.held
        let ticket = held.newTicket()
        let id = store.notifier.wait(for: key, beyond: h.queueOffset) { _ in
            timer.cancel()
            held.remove(ticket)
            loop.execute {
                context.reply(processor.read(request, h, filter).0)
            }
        }
        let notifier = store.notifier
        held.add(ticket, key: key, waiterId: id)
        timer.set(loop.scheduleTask(in: .milliseconds(min(h.suspendTimeoutMillis, 3_600_000))) {
            notifier.cancel(key, id: id)
        })
        // A message that arrived between the read and the registration would
        // otherwise wait for the timeout.
        if store.maxOffset(topic: h.topic, queueId: h.queueId) > h.queueOffset { notifier.cancel(key, id: id) }
    }
}

/// The pulls parked right now, so shutdown can answer them at once (rather
/// than holding the drain for their suspend timeouts), and tests can see them.
public final class HeldPulls: Sendable {
    private struct State {
        var next: UInt64 = 0
        var entries: [UInt64: (key: QueueKey, id: UInt64)] = [:]
        /// Tickets answered before `add` ran.
        var done: Set<UInt64> = []
    }

    private let state = Mutex(State())

    func newTicket() -> UInt64 {
        state.withLock { s in
            s.next += 1
            return s.next
        }
    }

    func add(_ ticket: UInt64, key: QueueKey, waiterId: UInt64) {
        state.withLock { s in
            if s.done.remove(ticket) == nil { s.entries[ticket] = (key, waiterId) }
        }
    }

    func remove(_ ticket: UInt64) {
        state.withLock { s in
            if s.entries.removeValue(forKey: ticket) == nil { s.done.insert(ticket) }
        }
    }

    /// How many pulls are parked.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Wakes every parked pull (each re-reads and replies).
    func releaseAll(_ notifier: ArrivalNotifier) {
        let all = state.withLock { Array($0.entries.values) }
        for e in all { notifier.cancel(e.key, id: e.id) }
    }
}

/// The scheduled timeout of one parked pull, cancelled when the pull is answered first.
private final class TimerSlot: Sendable {
    private let task = Mutex<(task: Scheduled<Void>?, cancelled: Bool)>((nil, false))

    func set(_ t: Scheduled<Void>) {
        let cancelNow = task.withLock { s in
            s.task = t
            return s.cancelled
        }
        if cancelNow { t.cancel() }
    }

    func cancel() {
        let t = task.withLock { s in
            s.cancelled = true
            return s.task
        }
        t?.cancel()
    }
}

/// A tag subscription ("*" or "a || b") as the set of tag hash codes the
/// ConsumeQueue stores (Java `String.hashCode`).
struct TagFilter: Sendable {
    let codes: Set<Int64>

    /// Nil when the expression accepts everything.
    init?(_ expression: String?) {
        guard let e = expression?.trimmingCharacters(in: " "), !e.isEmpty, e != "*" else { return nil }
        let tags = e.split(separator: "|").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        guard !tags.isEmpty else { return nil }
        codes = Set(tags.map { Int64($0.javaHashCode) })
    }

    func matches(_ code: Int64) -> Bool { codes.contains(code) }

}
