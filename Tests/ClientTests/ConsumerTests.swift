import Client
import Foundation
import MessageFormat
import Protocol
import Synchronization
import TestSupport
import Testing

/// Collects what a push consumer's listener receives.
final class Inbox: Sendable {
    private let messages = Mutex<[StoredMessage]>([])
    func add(_ m: [StoredMessage]) { messages.withLock { $0 += m } }
    var all: [StoredMessage] { messages.withLock { $0 } }
    var count: Int { messages.withLock { $0.count } }
}

extension Cluster {
    func pushConsumer(group: String, topic: String, expression: String = "*", inbox: Inbox,
                      configure: (inout PushConsumer.Configuration) -> Void = { _ in },
                      listener: PushConsumer.Listener? = nil) async throws -> PushConsumer {
        var c = PushConsumer.Configuration(group: group, options: options)
        c.startPosition = .first
        c.longPollingTimeout = .seconds(2)
        c.pullErrorDelay = .milliseconds(200)
        configure(&c)
        let consumer = PushConsumer(configuration: c, logger: quietLogger, listener: listener ?? { m in
            inbox.add(m)
            return .success
        })
        try consumer.subscribe(topic, expression: expression)
        try await consumer.start()
        return consumer
    }
}

@Suite struct ConsumerTests {
    @Test func pullConsumerOffsetsAndStatuses() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("PullT", queues: 1)
        let p = try await cluster.producer()
        for i in 0..<5 { _ = try await p.send(Message(topic: "PullT", body: Array("m\(i)".utf8), tags: i % 2 == 0 ? "even" : "odd")) }
        let c = PullConsumer(configuration: .init(group: "pcg", options: cluster.options), logger: quietLogger)
        try await c.start()
        let q = try #require(try await c.fetchQueues(topic: "PullT").first)
        try await waitUntil { (try? await c.maxOffset(q)) == 5 }
        #expect(try await c.minOffset(q) == 0)
        let r = try await c.pull(queue: q, offset: 0, maxNums: 32, expression: "even")
        #expect(r.status == .found)
        #expect(r.messages.map { String(decoding: $0.body, as: UTF8.self) } == ["m0", "m2", "m4"])
        #expect(r.nextBeginOffset == 5 && r.maxOffset == 5)
        #expect(try await c.pull(queue: q, offset: 5).status == .noNewMsg)
        #expect(try await c.pull(queue: q, offset: 500).status == .offsetIllegal)
        try await c.updateOffset(q, offset: 3)
        #expect(try await c.committedOffset(q) == 3)
        await c.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func pushConsumerReceivesEveryMessageExactly() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("PushT")
        let inbox = Inbox()
        let consumer = try await cluster.pushConsumer(group: "push-g", topic: "PushT", expression: "a || b", inbox: inbox)
        let p = try await cluster.producer()
        var expected: [String: Message] = [:]
        for i in 0..<90 {
            let tag = ["a", "b", "c"][i % 3]
            let body = i == 7 ? bytes(200 * 1024, seed: 7, random: true) : Array("push \(i)".utf8)
            let m = Message(topic: "PushT", body: body, tags: tag, keys: ["key\(i)"], properties: ["i": "\(i)", "tag": tag])
            let r = try await p.send(m)
            if tag != "c" { expected[r.msgId] = m }
        }
        try await waitUntil { inbox.count >= expected.count }
        let got = inbox.all
        #expect(got.count == expected.count)
        #expect(Set(got.map { $0.uniqueKey! }) == Set(expected.keys))
        for m in got {
            let e = try #require(expected[m.uniqueKey!])
            #expect(m.body == e.body)
            #expect(m.tags == e.tags && m.keys == e.keys)
            #expect(m.properties["i"] == e.properties["i"] && m.properties["tag"] == e.tags)
        }
        await consumer.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func twoConsumersInOneGroupSplitQueues() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("SplitT", queues: 8)
        let (i1, i2) = (Inbox(), Inbox())
        let c1 = try await cluster.pushConsumer(group: "split-g", topic: "SplitT", inbox: i1)
        let c2 = try await cluster.pushConsumer(group: "split-g", topic: "SplitT", inbox: i2)
        try await waitUntil {
            let (a, b) = (Set(c1.assignedQueues), Set(c2.assignedQueues))
            return a.count == 4 && b.count == 4 && a.isDisjoint(with: b)
        }
        let p = try await cluster.producer()
        for i in 0..<200 { _ = try await p.send(Message(topic: "SplitT", body: Array("s\(i)".utf8))) }
        try await waitUntil { i1.count + i2.count >= 200 }
        let all = i1.all + i2.all
        #expect(all.count == 200)
        #expect(Set(all.map { $0.uniqueKey! }).count == 200)
        #expect(i1.count > 0 && i2.count > 0)
        #expect(cluster.broker.clients.consumerIDs(group: "split-g").sorted()
            == [c1.configuration.options.clientID, c2.configuration.options.clientID].sorted())
        #expect(Set(i1.all.map(\.queueId)).isDisjoint(with: Set(i2.all.map(\.queueId))))
        // c2 leaves: c1 takes every queue at once (NOTIFY_CONSUMER_IDS_CHANGED) from c2's committed offsets.
        await c2.shutdown()
        try await waitUntil { c1.assignedQueues.count == 8 }
        for i in 0..<40 { _ = try await p.send(Message(topic: "SplitT", body: Array("after \(i)".utf8))) }
        try await waitUntil { i1.count + i2.count >= 240 }
        let after = i1.all + i2.all
        #expect(after.count == 240 && Set(after.map { $0.uniqueKey! }).count == 240)
        await c1.shutdown()
        #expect(cluster.broker.clients.consumerIDs(group: "split-g").isEmpty, "UNREGISTER_CLIENT at shutdown")
        await p.shutdown()
        await cluster.stop()
    }

    @Test func broadcastingConsumersEachReceiveAll() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("BcastT")
        let (i1, i2) = (Inbox(), Inbox())
        let c1 = try await cluster.pushConsumer(group: "bcast-g", topic: "BcastT", inbox: i1) { $0.model = .broadcasting }
        let c2 = try await cluster.pushConsumer(group: "bcast-g", topic: "BcastT", inbox: i2) { $0.model = .broadcasting }
        #expect(c1.assignedQueues.count == 4 && c2.assignedQueues.count == 4)
        let p = try await cluster.producer()
        for i in 0..<60 { _ = try await p.send(Message(topic: "BcastT", body: Array("b\(i)".utf8))) }
        try await waitUntil { i1.count >= 60 && i2.count >= 60 }
        #expect(Set(i1.all.map { $0.uniqueKey! }).count == 60 && i1.count == 60)
        #expect(Set(i2.all.map { $0.uniqueKey! }).count == 60 && i2.count == 60)
        await c1.shutdown()
        await c2.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func restartedConsumerResumesFromCommittedOffsets() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("ResumeT")
        let p = try await cluster.producer()
        for i in 0..<50 { _ = try await p.send(Message(topic: "ResumeT", body: Array("first \(i)".utf8))) }
        let first = Inbox()
        let c1 = try await cluster.pushConsumer(group: "resume-g", topic: "ResumeT", inbox: first)
        try await waitUntil { first.count >= 50 }
        await c1.shutdown()
        #expect(first.count == 50)
        for i in 0..<30 { _ = try await p.send(Message(topic: "ResumeT", body: Array("second \(i)".utf8))) }
        let second = Inbox()
        let c2 = try await cluster.pushConsumer(group: "resume-g", topic: "ResumeT", inbox: second)
        try await waitUntil { second.count >= 30 }
        // Give stray re-deliveries a chance to show up: pull the queues to their end through the consumer.
        #expect(second.all.allSatisfy { String(decoding: $0.body, as: UTF8.self).hasPrefix("second") })
        #expect(second.count == 30)
        await c2.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func reconsumeLaterRedeliversLocally() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("RetryT", queues: 1)
        let inbox = Inbox()
        let consumer = try await cluster.pushConsumer(group: "retry-g", topic: "RetryT", inbox: inbox, configure: {
            $0.reconsumeDelay = .milliseconds(50)
        }) { m in
            inbox.add(m)
            return m[0].reconsumeTimes < 2 ? .reconsumeLater : .success
        }
        let p = try await cluster.producer()
        _ = try await p.send(Message(topic: "RetryT", body: [42]))
        try await waitUntil { inbox.count >= 3 }
        #expect(inbox.all.map(\.reconsumeTimes) == [0, 1, 2])
        await consumer.shutdown()
        let pc = PullConsumer(configuration: .init(group: "retry-g", options: cluster.options), logger: quietLogger)
        try await pc.start()
        let q = try #require(try await pc.fetchQueues(topic: "RetryT").first)
        #expect(try await pc.committedOffset(q) == 1)
        await pc.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func batchesOfOneQueueAndSuspendHoldsPulling() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("BatchT", queues: 2)
        let p = try await cluster.producer()
        for i in 0..<40 { _ = try await p.send(Message(topic: "BatchT", body: Array("b\(i)".utf8))) }
        let batches = Mutex<[[StoredMessage]]>([])
        let inbox = Inbox()
        let consumer = try await cluster.pushConsumer(group: "batch-g", topic: "BatchT", inbox: inbox, configure: {
            $0.consumeMessageBatchMaxSize = 8
            $0.pullInterval = .milliseconds(20)
        }) { m in
            batches.withLock { $0.append(m) }
            inbox.add(m)
            return .success
        }
        try await waitUntil { inbox.count >= 40 }
        let all = batches.withLock { $0 }
        #expect(all.allSatisfy { $0.count <= 8 && Set($0.map(\.queueId)).count == 1 })
        #expect(all.contains { $0.count > 1 }, "\(all.map(\.count))")
        #expect(Set(inbox.all.map { String(decoding: $0.body, as: UTF8.self) }).count == 40)
        // Suspended: a message sent now stays on the broker until resume.
        consumer.suspend()
        #expect(consumer.isSuspended)
        try await waitUntil { consumer.assignedQueues.allSatisfy { consumer.cachedMessageCount($0) == 0 } }
        _ = try await p.send(Message(topic: "BatchT", body: Array("late".utf8)))
        consumer.resume()
        try await waitUntil { inbox.count >= 41 }
        await consumer.shutdown()
        await p.shutdown()
        await cluster.stop()
    }
}
