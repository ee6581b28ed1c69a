import Broker
import Foundation
import MessageFormat
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing

@Suite struct SendPullTests {
    @Test(arguments: [SerializeType.rocketMQ, .json])
    func sendV2ThenPullByteExact(serialize: SerializeType) async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path), serializeType: serialize == .json ? nil : .rocketMQ)
        let body = (0..<1000).map { UInt8($0 % 251) }
        let props = ["TAGS": "tagA", "KEYS": "k1", "user": "v"]
        var sent: [RemotingCommand] = []
        for code in [RequestCode.sendMessageV2, .sendMessage] {
            let r = try await f.send(topic: "TopicA", queueId: 1, body: body, properties: props, code: code, serializeType: serialize)
            #expect(r.responseCode == .success, "\(r)")
            sent.append(r)
        }
        let h0 = try SendMessageResponseHeader(extFields: sent[0].extFields)
        let h1 = try SendMessageResponseHeader(extFields: sent[1].extFields)
        #expect(h0.queueId == 1 && h0.queueOffset == 0 && h1.queueOffset == 1)
        #expect(MessageID.decodeOffsetMessageId(h0.msgId)?.physicalOffset == 0)
        #expect(try await f.dispatched())
        let p = try await f.pull(topic: "TopicA", queueId: 1, offset: 0)
        #expect(p.responseCode == .success, "\(p)")
        let ph = try PullMessageResponseHeader(extFields: p.extFields)
        #expect(ph.nextBeginOffset == 2 && ph.maxOffset == 2 && ph.minOffset == 0)
        let msgs = try PulledMessages.decode(p.body ?? ByteBuffer(), verifyCRC: true)
        #expect(msgs.count == 2)
        for m in msgs {
            #expect(m.body == body)
            #expect(m.topic == "TopicA")
            let decoded = m.properties
            for (k, v) in props { #expect(decoded[k] == v) }
        }
        await f.stop()
    }

    /// SEND_BATCH_MESSAGE, and SEND_MESSAGE_V2 with the batch flag (as the C++ client sends batches).
    @Test(arguments: [false, true]) func batchSend(asV2WithBatchFlag: Bool) async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let entries = (0..<5).map { i in
            var b = ByteBuffer(); b.writeString("msg-\(i)")
            return BatchEntry(body: b, properties: MessageProperties.encode(["i": "\(i)"]))
        }
        let h = SendMessageRequestHeader(producerGroup: "pg", topic: "Batch", queueId: 0, bornTimestamp: 1, batch: true)
        let code: RequestCode = asV2WithBatchFlag ? .sendMessageV2 : .sendBatchMessage
        let r = try await f.invoke(.request(code, header: h.v2, body: try BatchCodec.encode(entries), opaque: 0))
        #expect(r.responseCode == .success, "\(r)")
        let rh = try SendMessageResponseHeader(extFields: r.extFields)
        #expect(rh.msgId.split(separator: ",").count == 5)
        #expect(f.broker.stats[.messagesStored] == 5)
        #expect(try await f.dispatched())
        let p = try await f.pull(topic: "Batch", offset: 0)
        let msgs = try PulledMessages.decode(p.body ?? ByteBuffer())
        #expect(msgs.map { String(decoding: $0.body, as: UTF8.self) } == (0..<5).map { "msg-\($0)" })
        let ids = rh.msgId.split(separator: ",").compactMap { MessageID.decodeOffsetMessageId(String($0))?.physicalOffset }
        #expect(ids == msgs.map(\.physicalOffset))
        await f.stop()
    }

    @Test func autoCreateVersusTopicNotExist() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path, autoCreate: false))
        let r = try await f.send(topic: "Nope", body: [1, 2, 3])
        #expect(r.responseCode == .topicNotExist)
        let create = CreateTopicRequestHeader(topic: "Made", defaultTopic: "TBW102", readQueueNums: 2, writeQueueNums: 2,
                                              perm: 6, topicFilterType: "SINGLE_TAG")
        let c = try await f.invoke(.request(.updateAndCreateTopic, header: create, opaque: 0))
        #expect(c.responseCode == .success)
        #expect(try await f.send(topic: "Made", queueId: 1, body: [1]).responseCode == .success)
        #expect(try await f.send(topic: "Made", queueId: 2, body: [1]).responseCode == .systemError)
        let all = try await f.invoke(.request(.getAllTopicConfig, opaque: 0))
        let w = try TopicConfigSerializeWrapper(bodyOf: all)
        #expect(w.topicConfigTable["Made"]?.writeQueueNums == 2)
        #expect(w.topicConfigTable["TBW102"] == nil)
        await f.stop()

        let dir2 = TempDir(); defer { dir2.cleanup() }
        let g = try await Fixture.start(testConfig(dir2.path, autoCreate: true))
        #expect(try await g.send(topic: "Auto", queueId: 3, body: [1]).responseCode == .success)
        #expect(g.broker.topics.topic("Auto")?.writeQueueNums == 4)
        await g.stop()
        // Persisted: a restart still knows the auto-created topic.
        let h = try await Fixture.start(testConfig(dir2.path, autoCreate: false))
        #expect(h.broker.topics.topic("Auto") != nil)
        await h.stop()
    }

    @Test func longPollAnsweredOnArrivalAndAtTimeout() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        #expect(try await f.send(topic: "LP", body: [0]).responseCode == .success)
        #expect(try await f.dispatched())
        // Held: nothing at offset 1 yet; a send releases it.
        async let held = f.pull(topic: "LP", offset: 1, sysFlag: [.suspend], suspendMillis: 20_000)
        let start = ContinuousClock.now
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { f.broker.heldPulls.count == 1 }
        #expect(try await f.send(topic: "LP", body: [7, 7]).responseCode == .success)
        let p = try await held
        #expect(p.responseCode == .success, "\(p)")
        #expect(ContinuousClock.now - start < .seconds(19))
        #expect(try PulledMessages.decode(p.body ?? ByteBuffer()).map(\.body) == [[7, 7]])
        // Nothing arrives: PULL_NOT_FOUND at the suspend timeout.
        let t0 = ContinuousClock.now
        let q = try await f.pull(topic: "LP", offset: 2, sysFlag: [.suspend], suspendMillis: 300)
        #expect(q.responseCode == .pullNotFound)
        #expect(ContinuousClock.now - t0 >= .milliseconds(250))
        #expect(f.broker.heldPulls.count == 0)
        #expect(f.broker.stats[.pullsHeld] == 2)
        // A pull parked at shutdown is answered at once, not at its timeout.
        async let parked = f.pull(topic: "LP", offset: 2, sysFlag: [.suspend], suspendMillis: 60_000)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { f.broker.heldPulls.count == 1 }
        let t1 = ContinuousClock.now
        await f.broker.shutdown()
        #expect(try await parked.responseCode == .pullNotFound)
        #expect(ContinuousClock.now - t1 < .seconds(30))
        await f.stop()
    }

    @Test func pullStatusCodes() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        #expect(try await f.send(topic: "S", body: [1]).responseCode == .success)
        #expect(try await f.dispatched())
        #expect(try await f.pull(topic: "S", offset: 1).responseCode == .pullNotFound)
        #expect(try await f.pull(topic: "S", offset: 5).responseCode == .pullOffsetMoved)
        #expect(try await f.pull(topic: "Unknown", offset: 0).responseCode == .topicNotExist)
        await f.stop()
    }
}
