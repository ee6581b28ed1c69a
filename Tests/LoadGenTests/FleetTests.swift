import Client
import ClusterSupport
import MessageFormat
import LoadGen
import Metrics
import Profiles
import Synchronization
import TestSupport
import Testing

/// Keeps every event the fleets report.
final class RecordingObserver: LoadObserver {
    let sends = Mutex<[SendRecord]>([])
    let receives = Mutex<[ReceiveRecord]>([])
    func sendCompleted(_ send: SendRecord) { sends.withLock { $0.append(send) } }
    func received(_ message: ReceiveRecord) { receives.withLock { $0.append(message) } }
    func received(by group: String) -> [ReceiveRecord] { receives.withLock { $0.filter { $0.group == group } } }
}

/// The fleets against a real NameServer and broker in this process.
@Suite struct FleetTests {
    /// Creates the topics, starts consumers then producers, runs the schedule to its end.
    func run(_ p: Profile, in cluster: InProcessCluster, observer: RecordingObserver) async throws -> (ProducerFleet, ConsumerFleet, UInt64) {
        let admin = AdminClient(options: cluster.options)
        for t in p.topics.names { try await TopicSetup(admin: admin).create(t, queues: Int32(p.topics.queuesPerTopic)) }
        await admin.shutdown()
        let consumers = ConsumerFleet(configuration: .init(profile: p, options: cluster.options), observer: observer)
        try await consumers.start()
        try await waitUntil { consumers.assignmentSettled(queues: p.topics.count * p.topics.queuesPerTopic) }
        let producers = ProducerFleet(configuration: .init(profile: p, schedule: RateSchedule(phases: p.producers.schedule),
                                                           options: cluster.options), observer: observer)
        try await producers.start()
        let start = BenchClock.monotonicNanos()
        await producers.run(startNanos: start)
        return (producers, consumers, start)
    }

    @Test func openLoopSendsOnScheduleNeverEarlyAndEveryGroupGetsEveryMessage() async throws {
        let cluster = try await InProcessCluster.start()
        let p = try profile("""
            duration: 1500ms
            topics: {count: 2, prefix: Fleet, queuesPerTopic: 4}
            message: {size: 100B}
            producers: {count: 4, rate: 1000, mode: async, window: 16}
            consumers: [{group: g1, count: 2}, {group: g2, count: 2, model: broadcasting}]
            """)
        let observer = RecordingObserver()
        let (producers, consumers, start) = try await run(p, in: cluster, observer: observer)
        let sends = observer.sends.withLock { $0 }
        #expect(sends.count == 1500)
        #expect(sends.allSatisfy { $0.outcome == .acknowledged && $0.count == 1 && $0.bytes == 100 })
        #expect(producers.dropped == 0)
        // Intended times are the plan's, and no send started before it was due (open loop).
        let schedule = RateSchedule(phases: p.producers.schedule)
        for s in sends {
            let plan = SendPlan(producer: Int(s.producer), producers: 4, schedule: schedule)
            let planned = start + UInt64((plan.intendedSeconds(ofUnit: Int(s.firstSequence)) * 1e9).rounded())
            #expect(s.intendedNanos == planned)
            #expect(s.startedNanos >= s.intendedNanos && s.completedNanos >= s.startedNanos)
        }
        // The last send was meant for the end of the schedule, not earlier (sends were spread, not bunched).
        let lastIntended = sends.map(\.intendedNanos).max() ?? 0
        #expect(lastIntended > start + 1_490_000_000 && lastIntended <= start + 1_500_000_000)
        let sent = Set(sends.map { "\($0.producer).\($0.firstSequence)" })
        try await eventually("both groups received everything", timeout: .seconds(20)) {
            observer.received(by: "g1").count >= 1500 && observer.received(by: "g2").count >= 3000
        }
        let g1 = observer.received(by: "g1").map { "\($0.stamp.producer).\($0.stamp.sequence)" }
        #expect(g1.count == 1500 && Set(g1) == sent, "missing \(sent.subtracting(g1).sorted().prefix(10)), unexpected \(Set(g1).subtracting(sent).sorted().prefix(10)), \(g1.count - Set(g1).count) duplicates")
        // Broadcasting: each of the two consumers got every message.
        for consumer in 0..<2 {
            let got = observer.received(by: "g2").filter { $0.consumer == consumer }.map { "\($0.stamp.producer).\($0.stamp.sequence)" }
            #expect(got.count == 1500 && Set(got) == sent)
        }
        await producers.shutdown()
        await consumers.shutdown()
        await cluster.stop()
    }

    @Test(arguments: ["sync", "oneway", "batch", "orderly"])
    func everySendModeDelivers(mode: String) async throws {
        let cluster = try await InProcessCluster.start()
        let extra = mode == "batch" ? ", batchSize: 5" : mode == "orderly" ? ", orderKeys: 6, window: 4" : ""
        let p = try profile("""
            duration: 500ms
            sampleInterval: 100ms
            topics: {count: 1, prefix: Modes, queuesPerTopic: 3}
            message: {size: 40B}
            producers: {count: 2, rate: 400, mode: \(mode)\(extra)}
            consumers: [{group: g, count: 1}]
            """)
        let observer = RecordingObserver()
        let (producers, consumers, _) = try await run(p, in: cluster, observer: observer)
        let sends = observer.sends.withLock { $0 }
        let messages = sends.reduce(0) { $0 + $1.count }
        #expect(messages == 200)
        #expect(sends.allSatisfy { $0.outcome == (mode == "oneway" ? .unacknowledged : .acknowledged) })
        if mode == "batch" { #expect(sends.allSatisfy { $0.count == 5 && $0.firstSequence % 5 == 0 }) }
        try await eventually("the group received all \(messages)", timeout: .seconds(20)) { observer.received(by: "g").count >= messages }
        let got = observer.received(by: "g")
        #expect(Set(got.map { "\($0.stamp.producer).\($0.stamp.sequence)" }).count == 200)
        if mode == "orderly" {
            // One producer's messages of one key arrive in sequence order.
            var last: [String: UInt64] = [:]
            for r in got {
                let key = "\(r.stamp.producer)/\(r.stamp.orderKey)"
                #expect(r.stamp.orderKey != MessageStamp.noOrderKey)
                #expect(last[key].map { $0 < r.stamp.sequence } ?? true, "key \(key) out of order")
                last[key] = r.stamp.sequence
            }
            #expect(last.count == 6)
        }
        await producers.shutdown()
        await consumers.shutdown()
        await cluster.stop()
    }

    @Test func pausedGroupsHoldTheirBacklogAndProcessingTimeIsReported() async throws {
        let cluster = try await InProcessCluster.start()
        let p = try profile("""
            duration: 300ms
            sampleInterval: 100ms
            topics: {count: 1, prefix: Paused, queuesPerTopic: 2}
            message: {size: 64B}
            producers: {count: 1, rate: 500}
            consumers: [{group: held, count: 1, resumeAtBacklog: 100}, {group: busy, count: 1, processing: 2ms}]
            """)
        let observer = RecordingObserver()
        let (producers, consumers, _) = try await run(p, in: cluster, observer: observer)
        try await eventually("busy received all", timeout: .seconds(20)) { observer.received(by: "busy").count >= 150 }
        #expect(observer.received(by: "busy").allSatisfy { $0.consumeNanos == 2_000_000 })
        // `held` started suspended; nothing reached it while the other group drained everything.
        #expect(consumers.isPaused("held") && observer.received(by: "held").isEmpty)
        consumers.resume(group: "held")
        try await eventually("held received all after resuming", timeout: .seconds(20)) { observer.received(by: "held").count >= 150 }
        await producers.shutdown()
        await consumers.shutdown()
        await cluster.stop()
    }

    @Test func messagesOlderThanTheRunAreSkipped() async throws {
        let cluster = try await InProcessCluster.start()
        let p = try profile("""
            duration: 200ms
            sampleInterval: 100ms
            topics: {count: 1, prefix: Reused, queuesPerTopic: 2}
            message: {size: 64B}
            producers: {count: 1, rate: 100}
            consumers: [{group: c, count: 1}, {group: b, count: 1, model: broadcasting}]
            """)
        let admin = AdminClient(options: cluster.options)
        let setup = TopicSetup(admin: admin)
        try await setup.create("Reused", queues: 2)
        // A previous run's messages: stamped like this run's (producer 0, sequences 0…9).
        let old = try await Producer.started(options: cluster.options)
        let factory = MessageFactory(profile: p)
        for seq in 0..<10 as Range<UInt64> { _ = try await old.send(factory.message(producer: 0, sequence: seq, topic: "Reused", wallNanos: 1)) }
        await old.shutdown()
        // The broker indexes appended messages asynchronously: wait until the offsets show all ten.
        try await waitUntil { ((try? await setup.ends("Reused")) ?? []).reduce(0) { $0 + $1.offset } == 10 }
        let starts = try await setup.prepare(p)
        #expect(starts.values.reduce(0, +) == 10)
        await admin.shutdown()
        var config = ConsumerFleet.Configuration(profile: p, options: cluster.options)
        config.startOffsets = starts
        let observer = RecordingObserver()
        let consumers = ConsumerFleet(configuration: config, observer: observer)
        try await consumers.start()
        try await waitUntil { consumers.assignmentSettled(queues: 2) }
        let producers = ProducerFleet(configuration: .init(profile: p, schedule: RateSchedule(phases: p.producers.schedule),
                                                           options: cluster.options), observer: observer)
        try await producers.start()
        await producers.run(startNanos: BenchClock.monotonicNanos())
        try await eventually("both groups received the run's 20", timeout: .seconds(20)) {
            observer.received(by: "c").count >= 20 && observer.received(by: "b").count >= 20
        }
        for g in ["c", "b"] {
            let got = observer.received(by: g)
            #expect(got.count == 20 && got.allSatisfy { $0.stamp.sentWallNanos != 1 }, "\(g): \(got.count)")
        }
        await producers.shutdown()
        await consumers.shutdown()
        await cluster.stop()
    }
}

extension Producer {
    static func started(options: ClientOptions) async throws -> Producer {
        let p = Producer(configuration: .init(group: "old", options: options))
        try await p.start()
        return p
    }
}
