import MessageFormat
import NIOCore
import Protocol
import Remoting

/// How a pull ended (RocketMQ `PullStatus`).
public enum PullStatus: Sendable, Equatable {
    /// Messages were found (possibly none left after client-side tag filtering).
    case found
    /// No message at or after the offset yet.
    case noNewMsg
    /// Messages exist but none matched the subscription.
    case noMatchedMsg
    /// The offset is outside the queue; restart from `nextBeginOffset`.
    case offsetIllegal
}

/// The outcome of one pull.
public struct PullResult: Sendable {
    public var status: PullStatus
    public var nextBeginOffset: Int64
    public var minOffset: Int64
    public var maxOffset: Int64
    /// The messages, bodies decompressed.
    public var messages: [StoredMessage]
}

/// The broker requests consumers make, shared by the pull and push consumers.
extension ClientCore {
    /// PULL_MESSAGE to the master of `queue`'s broker.
    func pull(
        group: String, queue: MessageQueue, offset: Int64, maxNums: Int32, expression: TagExpression,
        suspend: Duration?, commitOffset: Int64?
    ) async throws(ClientError) -> PullResult {
        let address = try await masterAddress(queue.brokerName, topic: queue.topic)
        var flag: PullSysFlag = [.subscription]
        if suspend != nil { flag.insert(.suspend) }
        if commitOffset != nil { flag.insert(.commitOffset) }
        let suspendMillis = suspend.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 0
        let header = PullMessageRequestHeader(
            consumerGroup: group, topic: queue.topic, queueId: queue.queueId, queueOffset: offset, maxMsgNums: maxNums,
            sysFlag: flag.rawValue, commitOffset: commitOffset ?? 0, suspendTimeoutMillis: suspendMillis,
            subscription: expression.expression, subVersion: 0, expressionType: "TAG")
        // A held pull answers after the suspend time; leave room for the answer.
        let timeout = (suspend ?? .zero) + options.requestTimeout
        let response = try await invoke(request(.pullMessage, header: header), to: address, timeout: timeout)
        let status: PullStatus
        switch response.responseCode {
        case .success: status = .found
        case .pullNotFound: status = .noNewMsg
        case .pullRetryImmediately: status = .noMatchedMsg
        case .pullOffsetMoved: status = .offsetIllegal
        default: throw .broker(code: response.responseCode, remark: response.remark)
        }
        let h = try response.header(PullMessageResponseHeader.self)
        var messages: [StoredMessage] = []
        if status == .found, let body = response.body {
            do { messages = try PulledMessages.decode(body) } catch { throw ClientError(error) }
            if !expression.matchesAll { messages = messages.filter { expression.matches($0.tags) } }
        }
        return PullResult(status: status, nextBeginOffset: h.nextBeginOffset, minOffset: h.minOffset,
                          maxOffset: h.maxOffset, messages: messages)
    }

    /// QUERY_CONSUMER_OFFSET; nil when the broker has none for the group (QUERY_NOT_FOUND).
    func queryConsumerOffset(group: String, queue: MessageQueue) async throws(ClientError) -> Int64? {
        let address = try await masterAddress(queue.brokerName, topic: queue.topic)
        let header = QueryConsumerOffsetRequestHeader(consumerGroup: group, topic: queue.topic, queueId: queue.queueId)
        let response = try await invoke(request(.queryConsumerOffset, header: header), to: address)
        if response.responseCode == .queryNotFound { return nil }
        return try response.require().header(QueryConsumerOffsetResponseHeader.self).offset
    }

    /// UPDATE_CONSUMER_OFFSET.
    func updateConsumerOffset(group: String, queue: MessageQueue, offset: Int64) async throws(ClientError) {
        let address = try await masterAddress(queue.brokerName, topic: queue.topic)
        let header = UpdateConsumerOffsetRequestHeader(consumerGroup: group, topic: queue.topic, queueId: queue.queueId,
                                                       commitOffset: offset)
        _ = try await invoke(request(.updateConsumerOffset, header: header), to: address).require()
    }

    /// GET_MAX_OFFSET (the offset after the last message) or GET_MIN_OFFSET.
    func queueOffset(_ queue: MessageQueue, max: Bool) async throws(ClientError) -> Int64 {
        let address = try await masterAddress(queue.brokerName, topic: queue.topic)
        let request = max
            ? request(.getMaxOffset, header: GetMaxOffsetRequestHeader(topic: queue.topic, queueId: queue.queueId))
            : request(.getMinOffset, header: GetMinOffsetRequestHeader(topic: queue.topic, queueId: queue.queueId))
        return try await invoke(request, to: address).require().header(OffsetResponseHeader.self).offset
    }

    /// The readable queues of `topic`: `readQueueNums` per readable queue data, sorted.
    func subscribableQueues(_ topic: String, refresh: Bool = false) async throws(ClientError) -> [MessageQueue] {
        let route = refresh ? try await routes.refresh(topic) : try await routes.route(topic)
        return route.queueDatas.filter { Perm(rawValue: $0.perm).isReadable }
            .flatMap { q in (0..<q.readQueueNums).map { MessageQueue(topic: topic, brokerName: q.brokerName, queueId: $0) } }
            .sorted()
    }
}
