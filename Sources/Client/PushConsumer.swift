import Logging
import MessageFormat
import NIOCore
import Protocol
import Remoting
import Synchronization

/// What the listener says about the messages it was given.
public enum ConsumeResult: Sendable {
    case success
    /// Deliver again later. PeakMQ's broker has no retry topic yet, so the
    /// consumer re-delivers locally after ``PushConsumer/Configuration/reconsumeDelay``
    /// (up to ``PushConsumer/Configuration/maxReconsumeTimes``), keeping the queue's
    /// committed offset below the message meanwhile.
    case reconsumeLater
}

/// A consumer that long-polls its queues and hands messages to a listener
/// (RocketMQ `DefaultMQPushConsumer`, concurrent mode).
public final class PushConsumer: Sendable {
    public enum Model: Sendable {
        /// Queues are shared among the group's consumers; offsets are kept on the broker.
        case clustering
        /// Every consumer reads every queue; offsets are kept locally.
        case broadcasting
    }

    public enum StartPosition: Sendable {
        /// The end of each queue (CONSUME_FROM_LAST_OFFSET, the default).
        case last
        /// The first message still stored (CONSUME_FROM_FIRST_OFFSET).
        case first
    }

    public typealias Listener = @Sendable ([StoredMessage]) async -> ConsumeResult

    public struct Configuration: Sendable {
        public var group: String
        public var options: ClientOptions
        public var model: Model = .clustering
        /// Where a queue without a committed offset starts.
        public var startPosition: StartPosition = .last
        /// Consumer tasks (consumeThreadMin/Max 20).
        public var consumeConcurrency = 20
        /// Most messages handed to one listener call, all from one queue
        /// (consumeMessageBatchMaxSize, 1).
        public var consumeMessageBatchMaxSize = 1
        /// Pause between two pulls of one queue (pullInterval, 0): lets messages
        /// gather so that one pull brings several.
        public var pullInterval: Duration = .zero
        /// Messages asked per pull (pullBatchSize).
        public var pullBatchSize: Int32 = 32
        /// Cached messages per queue above which pulling backs off (pullThresholdForQueue).
        public var pullThresholdForQueue = 1000
        /// How long the broker may hold a pull with nothing new (brokerSuspendMaxTimeMillis 15 s).
        public var longPollingTimeout: Duration = .seconds(15)
        /// Back-off after a failed pull (RocketMQ: 3 s).
        public var pullErrorDelay: Duration = .seconds(3)
        /// Back-off while a queue is over its threshold (RocketMQ: 50 ms).
        public var flowControlDelay: Duration = .milliseconds(50)
        public var rebalanceInterval: Duration = .seconds(20)
        public var heartbeatInterval: Duration = .seconds(30)
        /// How often consumed offsets are sent to the broker (persistConsumerOffsetInterval).
        public var persistOffsetInterval: Duration = .seconds(5)
        public var reconsumeDelay: Duration = .seconds(1)
        public var maxReconsumeTimes = 16

        public init(group: String, options: ClientOptions) {
            self.group = group
            self.options = options
        }
    }

    public let configuration: Configuration
    let core: ClientCore
    private let listener: Listener
    private let offsets = OffsetTable()
    private let work = WorkQueue<(ProcessQueue, [StoredMessage])>()
    private let rebalanceLock = InFlightWindow(limit: 1)
    private struct State {
        var subscriptions: [String: TagExpression] = [:]
        var queues: [MessageQueue: ProcessQueue] = [:]
        var workers: [Task<Void, Never>] = []
        var retries: [Int: Task<Void, Never>] = [:]
        var nextRetry = 0
        var suspended = false
    }
    private let state = Mutex(State())

    public init(configuration: Configuration, logger: Logger = Logger(label: "peakmq.pushconsumer"), listener: @escaping Listener) {
        self.configuration = configuration
        self.listener = listener
        core = ClientCore(options: configuration.options, logger: logger)
        core.remoting.register(.notifyConsumerIdsChanged, NotifyProcessor(consumer: WeakConsumer(self)))
    }

    /// Subscribes to `topic`'s messages whose tag matches `expression` ("*" or "a || b"). Before `start()`.
    public func subscribe(_ topic: String, expression: String = "*") throws(ClientError) {
        try TopicValidator.check(topic)
        guard !core.isRunning else { throw .illegalState("subscribe before start()") }
        state.withLock { $0.subscriptions[topic] = TagExpression(expression) }
    }

    /// Fetches routes, registers with the brokers (HEART_BEAT), takes its share of queues and starts consuming.
    public func start() async throws(ClientError) {
        let topics = state.withLock { Array($0.subscriptions.keys) }
        guard !topics.isEmpty else { throw .illegalState("subscribe to a topic before start()") }
        try core.markStarted()
        do {
            for t in topics { try await core.routes.refresh(t) }
        } catch {
            _ = core.markStopped()
            await core.close()
            throw error
        }
        let workers = (0..<max(1, configuration.consumeConcurrency)).map { _ in
            Task(executorPreference: core.options.taskExecutor) { [self] in while let (pq, batch) = await work.next() { await consume(pq, batch) } }
        }
        state.withLock { $0.workers = workers }
        await heartbeat()
        await rebalance()
        core.startRouteRefresh()
        core.every(configuration.heartbeatInterval) { [weak self] in await self?.heartbeat() }
        core.every(configuration.rebalanceInterval) { [weak self] in await self?.rebalance() }
        core.every(configuration.persistOffsetInterval) { [weak self] in await self?.persistOffsets() }
    }

    /// Stops pulling and consuming (a listener call in progress completes), commits
    /// offsets, unregisters from the brokers (UNREGISTER_CLIENT) and closes the connections.
    public func shutdown() async {
        guard core.markStopped() else { return }
        let (queues, workers, retries) = state.withLock { s in
            defer { s.queues = [:]; s.workers = []; s.retries = [:] }
            return (Array(s.queues.values), s.workers, Array(s.retries.values))
        }
        work.close()
        for t in retries { t.cancel() }
        for w in workers { await w.value }
        await persistOffsets(queues.map(\.queue))
        for pq in queues { pq.drop() }
        await core.unregister(consumerGroup: configuration.group)
        rebalanceLock.close()
        await core.close()
    }

    /// Messages pulled from `queue` and not yet consumed (flow control counts these).
    public func cachedMessageCount(_ queue: MessageQueue) -> Int {
        state.withLock { $0.queues[queue] }?.cachedCount ?? 0
    }

    /// Stops pulling (RocketMQ `suspend()`): messages already pulled are still
    /// consumed; queues, offsets and the group membership stay.
    public func suspend() { state.withLock { $0.suspended = true } }

    /// Pulls again after ``suspend()``.
    public func resume() { state.withLock { $0.suspended = false } }

    /// Whether pulling is suspended.
    public var isSuspended: Bool { state.withLock { $0.suspended } }

    /// The queues this consumer currently consumes.
    public var assignedQueues: [MessageQueue] { state.withLock { $0.queues.keys.sorted() } }

    // MARK: registration and rebalance

    private func heartbeat() async {
        let subs = state.withLock { $0.subscriptions }
        let data = HeartbeatData(clientID: core.options.clientID, consumerDataSet: [ConsumerData(
            groupName: configuration.group, consumeType: .consumePassively,
            messageModel: configuration.model == .clustering ? .clustering : .broadcasting,
            consumeFromWhere: configuration.startPosition == .last ? .consumeFromLastOffset : .consumeFromFirstOffset,
            subscriptionDataSet: subs.sorted { $0.key < $1.key }.map { $0.value.subscriptionData(topic: $0.key, version: 0) })])
        await core.sendHeartbeat(data)
    }

    /// Recomputes this consumer's queues for every subscription (one rebalance at a time).
    func rebalance() async {
        do { try await rebalanceLock.acquire() } catch { return }
        defer { rebalanceLock.release() }
        guard core.isRunning else { return }
        let subs = state.withLock { $0.subscriptions }
        for (topic, expression) in subs {
            do {
                let all = try await core.subscribableQueues(topic)
                let mine: [MessageQueue]
                switch configuration.model {
                case .broadcasting: mine = all
                case .clustering:
                    let ids = try await consumerIDs(topic: topic)
                    mine = AllocateMessageQueueAveragely.allocate(queues: all, consumers: ids, me: core.options.clientID)
                }
                await assign(topic: topic, queues: Set(mine), expression: expression)
            } catch {
                core.logger.warning("rebalance of \(topic) failed: \(error)")
            }
        }
    }

    /// GET_CONSUMER_LIST_BY_GROUP from a broker of `topic`.
    private func consumerIDs(topic: String) async throws(ClientError) -> [String] {
        let route = try await core.routes.route(topic)
        guard let address = route.brokerDatas.sorted(by: { $0.brokerName < $1.brokerName }).compactMap(\.masterAddress).first else {
            throw .brokerNotFound(topic)
        }
        let header = GetConsumerListByGroupRequestHeader(consumerGroup: configuration.group)
        let response = try await core.invoke(core.request(.getConsumerListByGroup, header: header), to: address).require()
        do { return try ConsumerListBody(bodyOf: response).consumerIdList } catch { throw ClientError(error) }
    }

    private func assign(topic: String, queues: Set<MessageQueue>, expression: TagExpression) async {
        let running = core.isRunning
        let (removed, added) = state.withLock { s -> ([ProcessQueue], [ProcessQueue]) in
            guard running else { return ([], []) }
            let current = s.queues.filter { $0.key.topic == topic }
            let removed = current.filter { !queues.contains($0.key) }.map(\.value)
            for pq in removed { s.queues[pq.queue] = nil }
            let added = queues.subtracting(current.keys).sorted().map { ProcessQueue(queue: $0) }
            for pq in added { s.queues[pq.queue] = pq }
            return (removed, added)
        }
        for pq in removed {
            pq.drop()
            if configuration.model == .clustering {
                await persistOffsets([pq.queue])
                offsets.remove(pq.queue)
            }
        }
        for pq in added {
            pq.setPullTask(Task(executorPreference: core.options.taskExecutor) { [self] in await pullLoop(pq, expression: expression) })
        }
        if !removed.isEmpty || !added.isEmpty {
            core.logger.info("\(configuration.group) now consumes \(assignedQueues.filter { $0.topic == topic })")
        }
    }

    // MARK: pulling and consuming

    private func initialOffset(_ q: MessageQueue) async throws(ClientError) -> Int64 {
        if let local = offsets.read(q) { return local }
        if configuration.model == .clustering, let stored = try await core.queryConsumerOffset(group: configuration.group, queue: q),
           stored >= 0 {
            return stored
        }
        return try await core.queueOffset(q, max: configuration.startPosition == .last)
    }

    private func pullLoop(_ pq: ProcessQueue, expression: TagExpression) async {
        let q = pq.queue
        var offset: Int64?
        while !pq.isDropped && !Task.isCancelled {
            do {
                if offset == nil {
                    let start = try await initialOffset(q)
                    offset = start
                    offsets.update(q, start)
                }
                guard let from = offset else { continue }
                if isSuspended || pq.cachedCount >= configuration.pullThresholdForQueue {
                    try await Task.sleep(for: configuration.flowControlDelay)
                    continue
                }
                let commit = configuration.model == .clustering ? offsets.read(q).flatMap { $0 > 0 ? $0 : nil } : nil
                let r = try await core.pull(group: configuration.group, queue: q, offset: from,
                                            maxNums: configuration.pullBatchSize, expression: expression,
                                            suspend: configuration.longPollingTimeout, commitOffset: commit)
                guard !pq.isDropped else { return }
                offset = r.nextBeginOffset
                switch r.status {
                case .found where !r.messages.isEmpty:
                    pq.add(r.messages.map(\.queueOffset))
                    let size = max(1, configuration.consumeMessageBatchMaxSize)
                    for start in stride(from: 0, to: r.messages.count, by: size) {
                        work.put((pq, Array(r.messages[start..<min(r.messages.count, start + size)])))
                    }
                    if configuration.pullInterval > .zero { try await core.sleep(for: configuration.pullInterval) }
                case .offsetIllegal:
                    core.logger.warning("offset \(from) of \(q) is illegal; moving to \(r.nextBeginOffset)")
                    offsets.update(q, r.nextBeginOffset)
                default:
                    // Nothing (matching) to consume: let the offset follow when nothing is outstanding.
                    if pq.cachedCount == 0 { offsets.update(q, r.nextBeginOffset, increaseOnly: true) }
                }
            } catch {
                if Task.isCancelled || pq.isDropped { return }
                if case .shutDown = error as? ClientError { return }
                core.logger.warning("pull of \(q) failed: \(error)")
                try? await Task.sleep(for: configuration.pullErrorDelay)
            }
        }
    }

    private func consume(_ pq: ProcessQueue, _ messages: [StoredMessage]) async {
        guard !pq.isDropped else { return }
        switch await listener(messages) {
        case .success:
            if let next = pq.remove(messages.map(\.queueOffset)) { offsets.update(pq.queue, next, increaseOnly: true) }
        case .reconsumeLater:
            var again: [StoredMessage] = []
            for message in messages {
                guard Int(message.reconsumeTimes) < configuration.maxReconsumeTimes else {
                    core.logger.warning("message \(message.uniqueKey ?? "?") of \(pq.queue) dropped after \(message.reconsumeTimes) retries")
                    done(pq, message)
                    continue
                }
                var retried = message
                retried.reconsumeTimes += 1
                again.append(retried)
            }
            guard !again.isEmpty else { return }
            let batch = again
            let delay = configuration.reconsumeDelay
            let running = core.isRunning
            state.withLock { s in
                guard running else { return }
                let id = s.nextRetry
                s.nextRetry += 1
                s.retries[id] = Task(executorPreference: core.options.taskExecutor) { [self] in
                    try? await Task.sleep(for: delay)
                    _ = state.withLock { $0.retries.removeValue(forKey: id) }
                    if !Task.isCancelled { work.put((pq, batch)) }
                }
            }
        }
    }

    private func done(_ pq: ProcessQueue, _ message: StoredMessage) {
        if let next = pq.remove(message.queueOffset) { offsets.update(pq.queue, next, increaseOnly: true) }
    }

    /// Sends consumed offsets to the broker (clustering only).
    private func persistOffsets(_ only: [MessageQueue]? = nil) async {
        guard configuration.model == .clustering else { return }
        let table = offsets.snapshot
        let queues = only ?? state.withLock { Array($0.queues.keys) }
        for q in queues {
            guard let offset = table[q] else { continue }
            do { try await core.updateConsumerOffset(group: configuration.group, queue: q, offset: offset) } catch {
                core.logger.warning("offset commit of \(q) failed: \(error)")
            }
        }
    }
}

/// Lets the NOTIFY_CONSUMER_IDS_CHANGED processor reach the consumer without keeping it alive.
final class WeakConsumer: Sendable {
    weak let consumer: PushConsumer?
    init(_ consumer: PushConsumer) { self.consumer = consumer }
}

/// Rebalances at once when the broker says the group's members changed.
struct NotifyProcessor: RemotingProcessor {
    let consumer: WeakConsumer

    func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
        await consumer.consumer?.rebalance()
        return nil
    }
}
