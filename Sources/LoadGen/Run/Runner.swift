import Client
import Protocol
import Foundation
import Logging
import MessageFormat
import NIOPosix
import Metrics
import Profiles
import Sampler
import Synchronization

/// `mqbench run`: prepares the cluster (embedded or given), creates the topics,
/// starts consumers then producers, drives the schedule, the fault timeline,
/// warm-up and intervals, lets consumers drain, and stops everything in order,
/// also on errors and on SIGINT/SIGTERM.
public final class Runner: Sendable {
    public struct Outcome: Sendable {
        public var outDirectory: String
        /// Why the run failed (empty: exit status 0).
        public var problems: [String]
        public var interrupted: Bool
        public var exitCode: Int32 { interrupted ? 130 : problems.isEmpty ? 0 : 1 }
    }

    public let options: RunOptions
    let logger: Logger
    private let stopRequested = Atomic<Bool>(false)

    public init(options: RunOptions, logger: Logger = Logger(label: "mqbench.run")) {
        self.options = options
        self.logger = logger
    }

    /// Asks a running `run()` to stop early (what SIGINT does).
    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    var profile: Profile { options.profile }

    public func run() async throws -> Outcome {
        let watch = options.watchSignals ? SignalWatch { [self] sig in
            if stopRequested.load(ordering: .relaxed) {
                // A second signal: leave now; the exit handler signals the child processes.
                logger.warning("signal \(sig) again: exiting without cleaning up")
                exit(130)
            }
            logger.warning("signal \(sig): stopping the run, then the cluster (again to exit at once)")
            requestStop()
        } : nil
        defer { watch?.cancel() }
        let out = options.outDirectory
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try copyProfile(to: out)
        for d in options.droppedByOverrides { logger.warning("not run (after the shortened end): \(d)") }
        guard options.nameServers == nil else {
            if let f = FaultTimeline(profile: profile).pending.first(where: { $0.action.needsEmbeddedBroker }) {
                throw RunError("\(f.action.name) needs the embedded broker; run without --namesrv")
            }
            return try await runLoad(cluster: nil, nameServers: options.nameServers!)
        }
        let freshStore = options.storeDirectory == nil
        let store = options.storeDirectory ?? FileManager.default.temporaryDirectory.path
            + "/mqbench-store-\(profile.name)-\(UUID().uuidString.prefix(8))"
        let cluster = try EmbeddedCluster(configuration: .init(binDirectory: options.binDirectory, workDirectory: out,
                                                               storeDirectory: store, broker: profile.broker), logger: logger)
        logger.notice("starting mqnamesrv and mqbroker: store \(store), logs \(cluster.namesrvLog) and \(cluster.brokerLog)")
        do {
            try await cluster.start()
            logger.notice("cluster up: NameServer \(cluster.nameServerAddress), broker \(cluster.brokerAddress) (pid \(cluster.brokerPID ?? 0))")
            let outcome = try await runLoad(cluster: cluster, nameServers: cluster.nameServerAddress)
            await cluster.shutdown()
            // A fresh store is a gigabyte or more: kept only to look into lost messages.
            if freshStore && !options.keepStore && !outcome.problems.contains(where: { $0.contains("maxLost") }) {
                try? FileManager.default.removeItem(atPath: store)
                logger.notice("store \(store) removed (--keep-store keeps it); broker and NameServer logs in \(out)")
            } else {
                logger.notice("store kept in \(store); broker and NameServer logs in \(out)")
            }
            return outcome
        } catch {
            await cluster.shutdown()
            logger.error("run failed; store in \(store), logs in \(out)")
            throw error
        }
    }

    private func copyProfile(to out: String) throws {
        let copy = out + "/profile.yaml"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: options.profilePath, toPath: copy)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(profile).write(to: URL(fileURLWithPath: out + "/profile.effective.json"))
    }

    // MARK: the load

    private func runLoad(cluster: EmbeddedCluster?, nameServers: String) async throws -> Outcome {
        var clientOptions = ClientOptions(nameServerList: nameServers)
        // Every client of the run on the same few event loops (NIO's singleton group,
        // one thread per core), instead of a thread per connection.
        clientOptions.eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        let starts = try await prepareTopics(clientOptions)
        let copies = ConsumerFleet.groupCopies(profile: profile, agent: options.agent)
        let counters = CountingObserver(groups: copies)
        var consumerConfig = ConsumerFleet.Configuration(profile: profile, options: clientOptions)
        consumerConfig.agent = options.agent
        consumerConfig.startOffsets = starts
        let consumers = ConsumerFleet(configuration: consumerConfig, observer: counters, counters: counters, logger: logger)
        var producerConfig = ProducerFleet.Configuration(profile: profile, schedule: RateSchedule(phases: profile.producers.schedule),
                                                         options: clientOptions)
        producerConfig.agent = options.agent
        let producers = ProducerFleet(configuration: producerConfig, observer: counters, logger: logger)
        do {
            try await consumers.start()
            let queues = profile.topics.count * profile.topics.queuesPerTopic
            if !(await settle { consumers.assignmentSettled(queues: queues) }) {
                logger.warning("consumers did not settle on their queues within 15 s; starting anyway")
            }
            try await producers.start()
        } catch {
            await producers.shutdown()
            await consumers.shutdown()
            throw error
        }
        let roster = ProcessRoster()
        if let pid = cluster?.brokerPID { roster.add(pid, .broker) }
        if let pid = cluster?.namesrvPID { roster.add(pid, .namesrv) }
        roster.add(getpid(), .generator)
        try await waitForStartTime()
        // Load starts now: the recorder's clock and first interval begin here.
        let recorder = RunRecorder(profile: profile)
        counters.attach(recorder)
        let sampler = makeSampler(cluster: cluster)
        let executor = FaultExecutor(cluster: cluster, consumers: consumers, recorder: recorder, logger: logger) { pid in
            roster.add(pid, .broker, note: "restarted during the run")
            sampler.follow(pids: Self.pids(cluster))
        }
        let progress = RunProgress(profile: profile, outDirectory: options.outDirectory, enabled: options.progress)
        let loop = LoadLoop(profile: profile, producers: producers, consumers: consumers, counters: counters, recorder: recorder,
                            executor: executor, progress: progress, stopRequested: { [self] in stopRequested.load(ordering: .relaxed) },
                            logger: logger)
        sampler.start()
        await loop.run()
        var problems: [String] = []
        var warnings = options.droppedByOverrides.map { "not run (after the shortened end): \($0)" }
        if !stopRequested.load(ordering: .relaxed) {
            let drained = await loop.drain(timeout: options.drainTimeout, quiet: options.drainQuietTimeout)
            if !drained { warnings.append("consumers stopped draining with a backlog of \(counters.maxBacklog)") }
        }
        await executor.finish()
        sampler.stop()
        await sampler.finished()
        await producers.shutdown()
        await consumers.shutdown()
        let dropped = producers.dropped
        if dropped > 0 {
            warnings.append("\(dropped) sends due by the schedule never started: the generator fell behind")
            logger.warning("\(warnings.last!)")
        }
        if options.agent.count > 1 {
            warnings.append("agent \(options.agent) of a distributed run: its figures cover only its own part; `mqbench merge` judges the run")
        }
        let foreign = counters.foreign.load(ordering: .relaxed)
        if foreign > 0 { warnings.append("\(foreign) delivered messages carried no PeakMQ stamp and were ignored") }
        let results = RunOutput(options: options, cluster: cluster).results(
            recorded: recorder.recorded(), sampler: sampler, roster: roster, generatorCPU: loop.measuredCPUSeconds, warnings: warnings)
        let path = try results.write(to: options.outDirectory)
        if options.printSummary { print(SummaryTable.render(results)) }
        logger.notice("results written to \(path)")
        for o in results.slo.outcomes where !o.passed {
            // One agent sees only part of a distributed run's deliveries: `mqbench merge` judges loss.
            problems.append("SLO \(o.name) failed")
        }
        // One agent sees only part of a distributed run (its consumers receive other
        // agents' messages, its messages reach other agents' consumers): `mqbench merge` judges.
        if options.agent.count > 1 && !problems.isEmpty {
            logger.notice("agent \(options.agent): \(problems.joined(separator: ", ")) on its own part; `mqbench merge` judges the run")
            problems = []
        }
        return Outcome(outDirectory: options.outDirectory, problems: problems, interrupted: stopRequested.load(ordering: .relaxed))
    }

    /// Creates the topics and notes where this run's messages start in each
    /// queue; clustering groups get those offsets committed, so that a reused
    /// store or cluster does not replay older messages.
    private func prepareTopics(_ clientOptions: ClientOptions) async throws -> [ConsumerFleet.QueueKey: Int64] {
        let admin = AdminClient(options: clientOptions, logger: logger)
        do {
            let starts = try await TopicSetup(admin: admin).prepare(profile)
            await admin.shutdown()
            try await probe(clientOptions)
            let skipped = starts.isEmpty ? "" : "; \(starts.values.reduce(0, +)) older messages will be skipped"
            logger.notice("topics ready: \(profile.topics.names.joined(separator: ", ")) (\(profile.topics.queuesPerTopic) queues each)\(skipped)")
            return starts
        } catch {
            await admin.shutdown()
            throw error
        }
    }

    /// Sends one message to a probe topic and waits (up to a minute) for it to be
    /// stored, so that what a fresh broker does on its first message (creating
    /// and warming the first commit log segment) happens before load, as OMB's
    /// producer probe does.
    private func probe(_ clientOptions: ClientOptions) async throws {
        var config = Producer.Configuration(group: profile.producers.group + "_probe", options: clientOptions)
        config.sendTimeout = .seconds(60)
        let producer = Producer(configuration: config, logger: logger)
        let admin = AdminClient(options: clientOptions, logger: logger)
        do {
            try await TopicSetup(admin: admin).create(Self.probeTopic, queues: 1)
            await admin.shutdown()
            try await producer.start()
            // A busy broker (flow control while its first segment is prepared) is asked again.
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let result = await Self.sendProbe(producer)
                guard case .failure(let error) = result else { break }
                guard case .broker(let code, _) = error, code == .systemBusy, ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
            await producer.shutdown()
        } catch {
            await admin.shutdown()
            await producer.shutdown()
            throw RunError("the cluster did not store a probe message: \(error)")
        }
    }

    static let probeTopic = "MQBenchProbe"

    private static func sendProbe(_ producer: Producer) async -> Result<SendResult, ClientError> {
        do throws(ClientError) {
            return .success(try await producer.send(Message(topic: probeTopic, body: Array("mqbench probe".utf8))))
        } catch {
            return .failure(error)
        }
    }

    private func makeSampler(cluster: EmbeddedCluster?) -> Sampler {
        var disks: Set<String> = []
        if let store = cluster?.configuration.storeDirectory, case .available(let d) = BlockTopology(fs: .live).disks(holding: store) {
            disks = Set(d)
        }
        let reader = SnapshotReader(fs: .live, pids: Self.pids(cluster), storeDisks: disks)
        return Sampler(reader: reader, interval: profile.sampleInterval)
    }

    /// Broker, NameServer and this process.
    static func pids(_ cluster: EmbeddedCluster?) -> [Int32] {
        [cluster?.brokerPID, cluster?.namesrvPID, getpid()].compactMap { $0 }
    }

    private func settle(_ done: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while !done() {
            guard ContinuousClock.now < deadline, !stopRequested.load(ordering: .relaxed) else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    private func waitForStartTime() async throws {
        guard let at = options.startAt else { return }
        let wait = at - Date().timeIntervalSince1970
        guard wait > 0 else {
            logger.warning("--start-at was \(String(format: "%.1f", -wait)) s ago; starting now")
            return
        }
        logger.notice("agent \(options.agent) waits \(String(format: "%.1f", wait)) s for the common start")
        try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
    }
}

/// A run that cannot start or go on, with what to do about it.
public struct RunError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
