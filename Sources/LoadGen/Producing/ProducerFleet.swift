import Client
import Logging
import Metrics
import NIOCore
import NIOPosix
import Profiles
import Synchronization

/// This agent's share of the profile's simulated producers, multiplexed over a
/// few client `Producer`s (connections), driven by a few tickers.
///
/// A ticker wakes about every millisecond, works out from the plan how many
/// sends each of its producers should have started by now, and issues them
/// (async mode) or wakes their lane tasks (other modes). No task or timer per
/// message; each send carries its intended time, so a stalled generator or a
/// full window shows up as send delay and latency, never as a thinner schedule.
public final class ProducerFleet: Sendable {
    public struct Configuration: Sendable {
        public var profile: Profile
        /// The schedule (already scaled/stretched for command-line overrides); ignored in closed loop.
        public var schedule: RateSchedule
        public var options: ClientOptions
        public var agent: AgentSlice = .single
        /// Client producers (connections) the simulated producers share: few, so
        /// that the sends of one tick leave in few writes.
        public var connections = 2
        /// Simulated producers per ticker task.
        public var producersPerTicker = 16
        public var tick: Duration = .milliseconds(1)

        public init(profile: Profile, schedule: RateSchedule, options: ClientOptions) {
            self.profile = profile
            self.schedule = schedule
            self.options = options
        }
    }

    public let configuration: Configuration
    private let clients: [Producer]
    /// The event loop of each client, and a task executor on it.
    private let loops: [any EventLoop]
    private let executors: [EventLoopTaskExecutor]
    private let producers: [SimulatedProducer]
    private let observer: any LoadObserver
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    public init(configuration: Configuration, observer: any LoadObserver, logger: Logger = Logger(label: "mqbench.producers")) {
        self.configuration = configuration
        self.observer = observer
        self.logger = logger
        let profile = configuration.profile
        let mine = configuration.agent.indices(of: profile.producers.count)
        let n = max(1, min(configuration.connections, mine.count))
        let window = profile.producers.window
        let perClient = (mine.count + n - 1) / n
        let group = configuration.options.eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        let loops = (0..<n).map { _ in group.next() }
        let executors = loops.map(EventLoopTaskExecutor.init)
        let clients = (0..<n).map { i in
            var options = configuration.options
            options.clientID += "-p\(i)"
            // The client's connections, its ticker and (through task stickiness) its
            // sends share one event loop: a tick's sends leave in one write, no hops.
            options.eventLoopGroup = loops[i]
            options.taskExecutor = executors[i]
            var c = Producer.Configuration(group: profile.producers.group, options: options)
            // The fleet keeps each simulated producer's window; the client's must never be the tighter one.
            c.maxInFlightAsync = max(1, perClient * window + 16)
            c.defaultTopicQueueNums = Int32(profile.topics.queuesPerTopic)
            return Producer(configuration: c, logger: logger)
        }
        self.clients = clients
        let batch = profile.producers.mode == .batch ? profile.producers.batchSize : 1
        let schedule = profile.producers.closedLoop ? nil : configuration.schedule
        producers = mine.enumerated().map { i, p in
            SimulatedProducer(plan: SendPlan(producer: p, producers: profile.producers.count, batchSize: batch, schedule: schedule),
                              client: clients[i % n], window: window)
        }
        self.loops = loops
        self.executors = executors
    }

    /// Producer ids (global indices) this fleet simulates.
    public var producerIDs: [Int] { producers.map(\.id) }

    /// Starts the client producers (routes, heartbeats). Before `run`.
    public func start() async throws(ClientError) {
        for c in clients { try await c.start() }
    }

    /// Sends according to the plan from `startNanos` (a `BenchClock.monotonicNanos()` value)
    /// until the schedule ends or `stop()`, then waits for sends in flight.
    public func run(startNanos: UInt64) async {
        let profile = configuration.profile
        let executor = SendExecutor(mode: profile.producers.mode, factory: MessageFactory(profile: profile),
                                    observer: observer, startNanos: startNanos)
        let endNanos = profile.producers.closedLoop ? UInt64.max
            : startNanos + UInt64((configuration.schedule.totalSeconds * 1e9).rounded())
        var work: [Task<Void, Never>] = []
        // Tickers per client, each on its client's event loop, for at most
        // `producersPerTicker` of the client's producers.
        let per = max(1, configuration.producersPerTicker)
        for (c, client) in clients.enumerated() {
            let mine = producers.filter { $0.client === client }
            for first in stride(from: 0, to: mine.count, by: per) {
                let group = Array(mine[first..<min(mine.count, first + per)])
                let loop = loops[c]
                work.append(Task(executorPreference: executors[c]) { [self] in
                    await ticker(group, on: loop, executor: executor, start: startNanos, end: endNanos)
                })
            }
        }
        if profile.producers.mode != .async {
            for p in producers {
                let count = lanes(for: p)
                let client = clients.firstIndex { $0 === p.client } ?? 0
                for lane in 0..<count {
                    work.append(Task(executorPreference: executors[client]) {
                        var unit = lane
                        while await p.waitUntilDue(unit) {
                            await executor.send(p, unit: unit)
                            unit += count
                        }
                    })
                }
            }
        }
        for t in work { await t.value }
        for p in producers { await p.awaitIdle() }
    }

    /// Stops issuing sends; `run` returns once those in flight complete.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        for p in producers { p.stop() }
    }

    /// Closes the client producers (after `run` returned).
    public func shutdown() async {
        stop()
        for c in clients { await c.shutdown() }
    }

    /// Sends due by the schedule that never started (the generator fell behind).
    public var dropped: Int { producers.reduce(0) { $0 + $1.dropped } }

    /// Send requests started so far.
    public var issued: Int { producers.reduce(0) { $0 + $1.issued } }

    /// Lane tasks per producer: one (sync, oneway, batch), or in orderly mode up to
    /// the window, a divisor of the keys per producer so that each key stays on one lane.
    func lanes(for p: SimulatedProducer) -> Int {
        let profile = configuration.profile
        guard profile.producers.mode == .orderly else { return 1 }
        let keys = max(1, profile.producers.orderKeys / max(1, profile.producers.count))
        var l = min(p.window, keys)
        while l > 1 && keys % l != 0 { l -= 1 }
        return l
    }

    private func ticker(_ group: [SimulatedProducer], on loop: any EventLoop, executor: SendExecutor, start: UInt64, end: UInt64) async {
        let tickNanos = UInt64(configuration.tick.components.attoseconds / 1_000_000_000)
            + UInt64(configuration.tick.components.seconds) * 1_000_000_000
        let isAsync = configuration.profile.producers.mode == .async
        var next = BenchClock.monotonicNanos()
        while !stopped.load(ordering: .relaxed) {
            let now = BenchClock.monotonicNanos()
            let t = Double(now &- start) / 1e9
            for p in group {
                p.advance(due: p.plan.unitsDue(at: t))
                if isAsync {
                    for unit in p.takeDue() { await executor.sendAsync(p, unit: unit) }
                }
            }
            // After the end, async producers still issue what was due (as their
            // windows allow); lanes finish their due sends on their own.
            if now >= end && (!isAsync || group.allSatisfy(\.caughtUp)) { break }
            next += tickNanos
            let after = BenchClock.monotonicNanos()
            if next <= after {
                // Behind (the machine is saturated): go on at once, without a burst of catch-up ticks.
                next = after
                await Task.yield()
                continue
            }
            await Self.sleep(nanoseconds: next - after, on: loop)
        }
    }

    /// Sleeps on an event loop's timer rather than `Task.sleep`, whose dispatch
    /// timer costs two thread wake-ups a tick (a third of the generator's CPU at
    /// a thousand ticks a second).
    static func sleep(nanoseconds: UInt64, on loop: any EventLoop) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            loop.scheduleTask(in: .nanoseconds(Int64(nanoseconds))) { c.resume() }
        }
    }
}
