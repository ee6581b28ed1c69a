import Client
import Logging
import NIOCore
import NIOPosix
import MessageFormat
import Metrics
import Profiles
import Synchronization

/// This agent's consumers of every profile group: `count` push consumers per
/// group (clustering or broadcasting) subscribed to all topics from their first
/// offset, simulating processing time on a virtual clock, pausable, throttled
/// per group, and reporting every delivered message with its stamp.
public final class ConsumerFleet: Sendable {
    public struct Configuration: Sendable {
        public var profile: Profile
        public var options: ClientOptions
        public var agent: AgentSlice = .single
        /// Consumer tasks per consumer (RocketMQ consumeThreadMin 20). Orderly
        /// profiles use one, so that each queue is consumed in its order (the
        /// client has no orderly push consumption yet).
        public var consumeConcurrency = 20
        /// Messages older than the run (queue offset below the mark taken before
        /// the run started) are skipped: a reused store or cluster must not count
        /// them. Empty for fresh topics.
        public var startOffsets: [QueueKey: Int64] = [:]

        public init(profile: Profile, options: ClientOptions) {
            self.profile = profile
            self.options = options
        }
    }

    /// A queue as a delivered message names it: topic, queue id and the broker that stored it.
    public struct QueueKey: Hashable, Sendable {
        public var topic: String
        public var queueId: Int32
        public var storeHost: HostAddress
        public init(topic: String, queueId: Int32, storeHost: HostAddress) {
            self.topic = topic
            self.queueId = queueId
            self.storeHost = storeHost
        }
    }

    /// One group's consumers and its rate limit.
    final class GroupRuntime: Sendable {
        let spec: Profile.ConsumerGroup
        let consumers: [PushConsumer]
        let throttle: GroupThrottle
        init(spec: Profile.ConsumerGroup, consumers: [PushConsumer], throttle: GroupThrottle) {
            self.spec = spec
            self.consumers = consumers
            self.throttle = throttle
        }
    }

    public let configuration: Configuration
    let groups: [GroupRuntime]
    private let logger: Logger

    /// - Parameter counters: counts delivered messages without a PeakMQ stamp (not this run's).
    public init(configuration: Configuration, observer: any LoadObserver, counters: CountingObserver? = nil,
                logger: Logger = Logger(label: "mqbench.consumers")) {
        self.configuration = configuration
        self.logger = logger
        let profile = configuration.profile
        let starts = configuration.startOffsets.filter { $0.value > 0 }
        let concurrency = profile.producers.mode == .orderly ? 1 : max(1, configuration.consumeConcurrency)
        let loops = configuration.options.eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        groups = profile.consumers.map { spec in
            let throttle = GroupThrottle()
            let salt = UInt64(truncatingIfNeeded: spec.name.hashValue)
            let consumers = configuration.agent.indices(of: spec.count).enumerated().map { local, _ in
                var options = configuration.options
                // Each consumer is its own client to the broker (allocation sorts client ids).
                options.clientID += "-\(spec.name)-\(local)"
                // One event loop per consumer: its pulls, responses and consumer tasks stay on it.
                let loop = loops.next()
                options.eventLoopGroup = loop
                options.taskExecutor = EventLoopTaskExecutor(loop)
                var c = PushConsumer.Configuration(group: spec.name, options: options)
                c.model = spec.model == .broadcasting ? .broadcasting : .clustering
                c.startPosition = .first
                c.consumeConcurrency = concurrency
                // A pull's messages reach the listener together: one task switch per
                // batch instead of per message (processing time is still per message).
                c.consumeMessageBatchMaxSize = 32
                let pacer = spec.processing.isNone ? nil : Pacer(workers: concurrency)
                let listener = Listener(group: spec.name, consumer: local, processing: spec.processing, salt: salt,
                                        pacer: pacer, throttle: throttle, starts: starts, observer: observer, counters: counters)
                return PushConsumer(configuration: c, logger: logger) { messages in await listener.consume(messages) }
            }
            return GroupRuntime(spec: spec, consumers: consumers, throttle: throttle)
        }
    }

    /// Copies of each message a group receives on `agent` (broadcasting: one per
    /// consumer; groups without consumers there are left out).
    public static func groupCopies(profile: Profile, agent: AgentSlice) -> [String: Int] {
        var r: [String: Int] = [:]
        for g in profile.consumers {
            let n = agent.indices(of: g.count).count
            guard n > 0 else { continue }
            r[g.name] = g.model == .broadcasting ? n : 1
        }
        return r
    }

    /// Subscribes every consumer to every topic and starts it; groups with
    /// `resumeAtBacklog` start suspended.
    public func start() async throws(ClientError) {
        for g in groups {
            for c in g.consumers {
                for t in configuration.profile.topics.names { try c.subscribe(t) }
                if g.spec.resumeAtBacklog > 0 { c.suspend() }
                try await c.start()
            }
        }
    }

    /// Whether every consumer holds its share of the queues (`queues` in all):
    /// clustering groups cover every queue once, broadcasting consumers each cover all.
    public func assignmentSettled(queues: Int) -> Bool {
        groups.allSatisfy { g in
            guard !g.consumers.isEmpty else { return true }
            let assigned = g.consumers.map(\.assignedQueues)
            switch g.spec.model {
            case .broadcasting: return assigned.allSatisfy { $0.count == queues }
            case .clustering:
                // Every queue once (other agents' consumers take their share elsewhere).
                let all = assigned.flatMap { $0 }
                return configuration.agent.count > 1 || (all.count == queues && Set(all).count == queues)
            }
        }
    }

    /// Suspends pulling in `group` (nil = every group).
    public func pause(group: String?) {
        for g in select(group) { for c in g.consumers { c.suspend() } }
    }

    /// Resumes pulling in `group` (nil = every group).
    public func resume(group: String?) {
        for g in select(group) { for c in g.consumers { c.resume() } }
    }

    /// Limits `group` (nil = every group) to `rate` messages per second over its
    /// consumers on this agent; nil or 0 lifts the limit.
    public func throttle(group: String?, rate: Double?) {
        for g in select(group) { g.throttle.set(rate: rate) }
    }

    /// Whether `group` is suspended (its first consumer's state).
    public func isPaused(_ group: String) -> Bool {
        groups.first { $0.spec.name == group }?.consumers.first?.isSuspended ?? false
    }

    /// Stops every consumer (offsets committed). Pulling stops everywhere first:
    /// a consumer still running would otherwise take over a leaving one's queues
    /// and deliver again what was consumed after its last commit.
    public func shutdown() async {
        pause(group: nil)
        for g in groups { for c in g.consumers { await c.shutdown() } }
    }

    private func select(_ group: String?) -> [GroupRuntime] {
        guard let group else { return groups }
        return groups.filter { $0.spec.name == group }
    }
}
