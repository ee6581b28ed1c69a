import Logging
import MessageFormat
import Protocol

/// A consumer that pulls queues explicitly and manages its own offsets
/// (RocketMQ `DefaultMQPullConsumer`, minimal form).
public final class PullConsumer: Sendable {
    public struct Configuration: Sendable {
        public var group: String
        public var options: ClientOptions

        public init(group: String, options: ClientOptions) {
            self.group = group
            self.options = options
        }
    }

    public let configuration: Configuration
    let core: ClientCore

    public init(configuration: Configuration, logger: Logger = Logger(label: "peakmq.pullconsumer")) {
        self.configuration = configuration
        core = ClientCore(options: configuration.options, logger: logger)
    }

    public func start() async throws(ClientError) {
        try core.markStarted()
        core.startRouteRefresh()
    }

    public func shutdown() async {
        guard core.markStopped() else { return }
        await core.close()
    }

    /// The readable queues of `topic`, sorted.
    public func fetchQueues(topic: String) async throws(ClientError) -> [MessageQueue] {
        try core.checkRunning()
        try TopicValidator.check(topic)
        return try await core.subscribableQueues(topic, refresh: true)
    }

    /// Pulls up to `maxNums` messages of `queue` from `offset` whose tags match `expression`.
    /// - Parameter wait: how long the broker may hold the pull when there is nothing new (long polling); nil = answer at once.
    public func pull(queue: MessageQueue, offset: Int64, maxNums: Int32 = 32, expression: String = "*",
                     wait: Duration? = nil) async throws(ClientError) -> PullResult {
        try core.checkRunning()
        return try await core.pull(group: configuration.group, queue: queue, offset: offset, maxNums: maxNums,
                                   expression: TagExpression(expression), suspend: wait, commitOffset: nil)
    }

    /// The group's committed offset of `queue`, nil when it has none.
    public func committedOffset(_ queue: MessageQueue) async throws(ClientError) -> Int64? {
        try core.checkRunning()
        return try await core.queryConsumerOffset(group: configuration.group, queue: queue)
    }

    /// Commits `offset` (the next offset to consume) for the group.
    public func updateOffset(_ queue: MessageQueue, offset: Int64) async throws(ClientError) {
        try core.checkRunning()
        try await core.updateConsumerOffset(group: configuration.group, queue: queue, offset: offset)
    }

    /// The queue's max offset (one past the last message).
    public func maxOffset(_ queue: MessageQueue) async throws(ClientError) -> Int64 {
        try core.checkRunning()
        return try await core.queueOffset(queue, max: true)
    }

    /// The queue's min offset.
    public func minOffset(_ queue: MessageQueue) async throws(ClientError) -> Int64 {
        try core.checkRunning()
        return try await core.queueOffset(queue, max: false)
    }
}
