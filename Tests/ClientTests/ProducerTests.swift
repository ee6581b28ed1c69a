import Client
import Foundation
import MessageFormat
import Protocol
import Synchronization
import TestSupport
import Testing

@Suite struct ProducerTests {
    /// Reads every message of `topic` from offset 0 of each queue with a pull consumer, until
    /// `count` arrived (the broker's consume queues are built just after a send is answered).
    static func readAll(_ cluster: Cluster, topic: String, count: Int) async throws -> [StoredMessage] {
        let c = PullConsumer(configuration: .init(group: "reader", options: cluster.options), logger: quietLogger)
        try await c.start()
        let queues = try await c.fetchQueues(topic: topic)
        var all: [StoredMessage] = []
        try? await waitUntil {
            all = []
            for q in queues {
                var offset: Int64 = 0
                while let r = try? await c.pull(queue: q, offset: offset, maxNums: 32), r.status == .found {
                    all += r.messages
                    offset = r.nextBeginOffset
                }
            }
            return all.count >= count
        }
        await c.shutdown()
        return all
    }

    @Test func syncSendAndPullBack() async throws {
        let cluster = try await Cluster.start()
        let p = try await cluster.producer()
        cluster.createTopic("T1")
        var sent: [String: SendResult] = [:]
        for i in 0..<20 {
            let m = Message(topic: "T1", body: Array("hello \(i)".utf8), tags: "tag\(i % 2)", keys: ["k\(i)", "x"],
                            properties: ["color": "red", "n": "\(i)"])
            let r = try await p.send(m)
            #expect(r.status == .sendOK)
            sent[r.msgId] = r
        }
        #expect(Set(sent.values.map(\.queue.queueId)).count > 1, "round robin spreads over queues")
        let got = try await Self.readAll(cluster, topic: "T1", count: 20)
        #expect(got.count == 20)
        for m in got {
            let n = Int(m.properties["n"]!)!
            #expect(m.body == Array("hello \(n)".utf8))
            #expect(m.tags == "tag\(n % 2)")
            #expect(m.keys == ["k\(n)", "x"])
            #expect(m.properties["color"] == "red")
            let r = try #require(sent[m.uniqueKey!])
            #expect(r.queueOffset == m.queueOffset && r.queue.queueId == m.queueId)
        }
        await p.shutdown()
        await cluster.stop()
    }

    @Test func jsonHeadersWork() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Json")
        var options = cluster.options
        options.serializeType = .json
        let p = Producer(configuration: .init(group: "pg", options: options), logger: quietLogger)
        try await p.start()
        let r = try await p.send(Message(topic: "Json", body: Array("json".utf8), tags: "j"))
        #expect(r.status == .sendOK)
        let got = try await Self.readAll(cluster, topic: "Json", count: 1)
        #expect(got.map(\.body) == [Array("json".utf8)] && got.first?.tags == "j")
        await p.shutdown()
        await cluster.stop()
    }

    @Test func autoCreatedTopicThroughDefaultRoute() async throws {
        let cluster = try await Cluster.start()
        let p = try await cluster.producer()
        let r = try await p.send(Message(topic: "Fresh", body: [1, 2, 3]))
        #expect(r.status == .sendOK)
        #expect(cluster.broker.topics.topic("Fresh") != nil)
        #expect(cluster.broker.clients.hasProducer(group: "pg"), "HEART_BEAT with the producer group")
        await p.shutdown()
        #expect(!cluster.broker.clients.hasProducer(group: "pg"), "UNREGISTER_CLIENT at shutdown")
        await cluster.stop()
    }

    @Test func bodySizesRoundTripByteExact() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Sizes")
        let p = try await cluster.producer()
        let sizes = [1, 100, 4096, 4097, 64 * 1024, 1 << 20, 4 * 1024 * 1024]
        var bodies: [String: [UInt8]] = [:]
        for (i, n) in sizes.enumerated() {
            let body = bytes(n, seed: UInt8(i), random: i % 2 == 1)
            let r = try await p.send(Message(topic: "Sizes", body: body, properties: ["size": "\(n)"]))
            bodies[r.msgId] = body
        }
        let got = try await Self.readAll(cluster, topic: "Sizes", count: sizes.count)
        #expect(got.count == sizes.count)
        for m in got {
            #expect(m.body == bodies[m.uniqueKey!], "size \(m.properties["size"]!)")
            #expect(!m.sysFlag.contains(.compressed))
        }
        // Over 4 KiB is stored compressed: the stored record is smaller than the body.
        let big = got.first { $0.properties["size"] == "\(64 * 1024)" }!
        #expect(Int(big.totalSize) < 64 * 1024)
        await p.shutdown()
        await cluster.stop()
    }

    @Test func typedErrors() async throws {
        let cluster = try await Cluster.start(autoCreate: false)
        cluster.createTopic("Known")
        let p = try await cluster.producer()
        await #expect(throws: ClientError.messageTooLarge(size: 4 * 1024 * 1024 + 1, max: 4 * 1024 * 1024)) {
            try await p.send(Message(topic: "Known", body: bytes(4 * 1024 * 1024 + 1)))
        }
        do {
            _ = try await p.send(Message(topic: "Unknown", body: [1]))
            Issue.record("sent to an unknown topic")
        } catch {
            guard case .routeNotFound(let topic, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(topic == "Unknown")
        }
        await #expect(throws: ClientError.illegalTopic("'bad topic' has characters outside [%|a-zA-Z0-9_-]")) {
            try await p.send(Message(topic: "bad topic", body: [1]))
        }
        await #expect(throws: ClientError.illegalMessage("the body is empty")) {
            try await p.send(Message(topic: "Known", body: []))
        }
        // A user property named like a system one would replace it (TAGS here); a
        // separator inside a value would split it into other properties.
        await #expect(throws: ClientError.illegalMessage("the property name 'TAGS' is reserved by RocketMQ")) {
            try await p.send(Message(topic: "Known", body: [1], tags: "real", properties: ["TAGS": "fake"]))
        }
        await #expect(throws: ClientError.illegalMessage("the user property 'a' contains \\u0001 or \\u0002, the properties' separators")) {
            try await p.send(batch: [Message(topic: "Known", body: [1], properties: ["a": "x\u{2}TAGS\u{1}fake"])])
        }
        await #expect(throws: ClientError.illegalMessage("the user property 'a' needs a name and a value")) {
            try await p.sendOneway(Message(topic: "Known", body: [1], properties: ["a": ""]))
        }
        await p.shutdown()
        await #expect(throws: ClientError.shutDown) { try await p.send(Message(topic: "Known", body: [1])) }
        await cluster.stop()
    }

    @Test func brokerErrorCarriesCodeAndRemark() async throws {
        let cluster = try await Cluster.start(autoCreate: false)
        cluster.createTopic("RO")
        let p = try await cluster.producer()
        // The broker refuses a queue id the topic does not have, with a code and a remark.
        do {
            _ = try await p.send(Message(topic: "RO", body: [1])) { _ in MessageQueue(topic: "RO", brokerName: "broker-a", queueId: 99) }
            Issue.record("expected a broker error")
        } catch {
            guard case .broker(let code, let remark) = error else { Issue.record("unexpected \(error)"); return }
            #expect(code != .success)
            #expect(remark?.isEmpty == false)
        }
        await p.shutdown()
        await cluster.stop()
    }

    @Test func asyncSendsWithBoundedWindow() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Async")
        let p = try await cluster.producer { $0.maxInFlightAsync = 8 }
        let n = 500
        let results = Mutex<[Result<SendResult, ClientError>]>([])
        let (stream, done) = AsyncStream<Void>.makeStream()
        for i in 0..<n {
            try await p.sendAsync(Message(topic: "Async", body: Array("a\(i)".utf8))) { r in
                let count = results.withLock { $0.append(r); return $0.count }
                if count == n { done.yield(); done.finish() }
            }
        }
        for await _ in stream { break }
        let all = results.withLock { $0 }
        #expect(all.count == n)
        #expect(all.allSatisfy { if case .success = $0 { true } else { false } })
        #expect(try await Self.readAll(cluster, topic: "Async", count: n).count == n)
        await p.shutdown()
        await cluster.stop()
    }

    @Test func onewaySends() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Oneway")
        let p = try await cluster.producer()
        for i in 0..<50 { try await p.sendOneway(Message(topic: "Oneway", body: Array("o\(i)".utf8))) }
        #expect(try await Self.readAll(cluster, topic: "Oneway", count: 50).count == 50)
        await p.shutdown()
        await cluster.stop()
    }

    @Test func batchGoesToOneQueue() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Batch")
        let p = try await cluster.producer()
        let msgs = (0..<10).map { Message(topic: "Batch", body: Array("b\($0)".utf8), tags: "t", keys: ["k\($0)"], properties: ["i": "\($0)"]) }
        let r = try await p.send(batch: msgs)
        #expect(r.msgId.split(separator: ",").count == 10)
        let got = try await Self.readAll(cluster, topic: "Batch", count: 10)
        #expect(got.count == 10)
        #expect(Set(got.map(\.queueId)) == [r.queue.queueId])
        #expect(got.sorted { $0.queueOffset < $1.queueOffset }.map { $0.properties["i"]! } == (0..<10).map { "\($0)" })
        #expect(got.allSatisfy { $0.tags == "t" && $0.body == Array("b\($0.properties["i"]!)".utf8) })
        await p.shutdown()
        await cluster.stop()
    }

    @Test func orderlyByKeyKeepsOneQueueInOrder() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Orderly", queues: 8)
        let p = try await cluster.producer()
        let keys = ["order-1", "order-2", "order-3", "order-4"]
        for i in 0..<40 {
            let key = keys[i % keys.count]
            _ = try await p.send(Message(topic: "Orderly", body: Array("\(key):\(i)".utf8), keys: [key]), orderKey: key)
        }
        let got = try await Self.readAll(cluster, topic: "Orderly", count: 40)
        #expect(got.count == 40)
        for key in keys {
            let mine = got.filter { $0.keys == [key] }
            #expect(Set(mine.map(\.queueId)).count == 1)
            let seq = mine.sorted { $0.queueOffset < $1.queueOffset }.map { Int(String(decoding: $0.body, as: UTF8.self).split(separator: ":")[1])! }
            #expect(seq == seq.sorted() && seq.count == 10)
        }
        await p.shutdown()
        await cluster.stop()
    }
}
