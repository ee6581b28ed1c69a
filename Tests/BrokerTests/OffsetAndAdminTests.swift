import Broker
import Foundation
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing

@Suite struct OffsetAndAdminTests {
    func query(_ f: Fixture, _ group: String, _ topic: String, _ q: Int32) async throws -> RemotingCommand {
        try await f.invoke(.request(.queryConsumerOffset,
                                    header: QueryConsumerOffsetRequestHeader(consumerGroup: group, topic: topic, queueId: q), opaque: 0))
    }

    @Test func offsetsUpdateQueryYoungTopicAndRestart() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var f = try await Fixture.start(testConfig(dir.path))
        #expect(try await f.send(topic: "T", body: [1]).responseCode == .success)
        // Young topic (messages start at 0): a new group is told 0.
        let young = try await query(f, "g1", "T", 0)
        #expect(young.responseCode == .success)
        #expect(try OffsetResponseHeader(extFields: young.extFields).offset == 0)
        let u = try await f.invoke(.request(.updateConsumerOffset, header: UpdateConsumerOffsetRequestHeader(
            consumerGroup: "g1", topic: "T", queueId: 0, commitOffset: 1), opaque: 0))
        #expect(u.responseCode == .success)
        #expect(try OffsetResponseHeader(extFields: try await query(f, "g1", "T", 0).extFields).offset == 1)
        // Piggy-backed commit on a pull.
        #expect(try await f.dispatched())
        _ = try await f.pull(topic: "T", queueId: 0, offset: 0, sysFlag: [.commitOffset], commitOffset: 1, group: "g2")
        #expect(try OffsetResponseHeader(extFields: try await query(f, "g2", "T", 0).extFields).offset == 1)
        await f.stop()
        f = try await Fixture.start(testConfig(dir.path))
        #expect(try OffsetResponseHeader(extFields: try await query(f, "g1", "T", 0).extFields).offset == 1)
        #expect(try OffsetResponseHeader(extFields: try await query(f, "g2", "T", 0).extFields).offset == 1)
        await f.stop()
    }

    @Test func minMaxSearchEarliest() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        for i in 0..<3 { #expect(try await f.send(topic: "M", body: [UInt8(i)]).responseCode == .success) }
        #expect(try await f.dispatched())
        let tq = TopicQueueHeader(topic: "M", queueId: 0)
        let max = try await f.invoke(.request(.getMaxOffset, header: GetMaxOffsetRequestHeader(topic: "M", queueId: 0), opaque: 0))
        #expect(try OffsetResponseHeader(extFields: max.extFields).offset == 3)
        let min = try await f.invoke(.request(.getMinOffset, header: tq, opaque: 0))
        #expect(try OffsetResponseHeader(extFields: min.extFields).offset == 0)
        let e = try await f.invoke(.request(.getEarliestMsgStoreTime, header: tq, opaque: 0))
        #expect(e.responseCode == .success)
        let t = try GetEarliestMsgStoretimeResponseHeader(extFields: e.extFields).timestamp
        #expect(t > 0)
        let s = try await f.invoke(.request(.searchOffsetByTimestamp,
                                            header: SearchOffsetRequestHeader(topic: "M", queueId: 0, timestamp: t - 1000), opaque: 0))
        #expect(try OffsetResponseHeader(extFields: s.extFields).offset == 0)
        await f.stop()
    }

    @Test func heartbeatConsumerListAndConnectionClose() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let hb = HeartbeatData(clientID: "c1", producerDataSet: [ProducerData(groupName: "pg")],
                               consumerDataSet: [ConsumerData(groupName: "cg", subscriptionDataSet: [])])
        #expect(try await f.invoke(.request(.heartBeat, body: hb.bodyBuffer(), opaque: 0)).responseCode == .success)
        let list = try await f.invoke(.request(.getConsumerListByGroup, header: ConsumerGroupHeader(consumerGroup: "cg"), opaque: 0))
        #expect(try ConsumerListBody(bodyOf: list).consumerIdList == ["c1"])
        #expect(f.broker.clients.hasProducer(group: "pg"))
        await f.client.closeConnection(to: f.address)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { f.broker.clients.consumerIDs(group: "cg").isEmpty }
        await f.stop()
    }

    @Test func badInputGetsClearErrorsAndBrokerKeepsServing() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        var missing = ExtFields()
        missing.append("a", "pg")
        let r1 = try await f.invoke(RemotingCommand(code: RequestCode.sendMessageV2.rawValue, extFields: missing, serializeType: .rocketMQ))
        #expect(r1.responseCode == .systemError)
        #expect(r1.remark?.contains("b") == true, "\(r1.remark ?? "")")
        let r2 = try await f.invoke(RemotingCommand(code: RequestCode.pullMessage.rawValue, serializeType: .rocketMQ))
        #expect(r2.responseCode == .systemError)
        let big = try await f.send(topic: "Big", body: [UInt8](repeating: 1, count: 100 * 1024))
        #expect(big.responseCode == .messageIllegal, "\(big)")
        let badBatch = try await f.invoke(.request(.sendBatchMessage, header: SendMessageRequestHeader(
            producerGroup: "pg", topic: "Big", queueId: 0, bornTimestamp: 1).v2, body: ByteBuffer(bytes: [0, 0, 0, 9, 1]), opaque: 0))
        #expect(badBatch.responseCode == .messageIllegal)
        for name in ["bad topic", "", "TBW102", String(repeating: "x", count: 200)] {
            let r = try await f.send(topic: name, body: [1])
            #expect(r.responseCode == .systemError, "\(name): \(r)")
            #expect(f.broker.topics.topic(name) == nil || name == "TBW102")
        }
        let hb = try await f.invoke(.request(.heartBeat, body: ByteBuffer(string: "{not json"), opaque: 0))
        #expect(hb.responseCode == .systemError)
        #expect(try await f.send(topic: "Big", body: [1, 2]).responseCode == .success)
        await f.stop()
    }

    @Test func offsetsPersistPeriodicallyAndOnewaySendsAreStored() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        _ = try config.set("flushConsumerOffsetInterval", "100")
        let f = try await Fixture.start(config)
        let u = UpdateConsumerOffsetRequestHeader(consumerGroup: "gp", topic: "OW", queueId: 0, commitOffset: 7)
        try await f.client.invokeOneway(.request(.updateConsumerOffset, header: u, opaque: 0, oneway: true), to: f.address)
        let path = dir.path + "/config/consumerOffset.json"
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) {
            (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self).contains("OW@gp") } ?? false
        }
        let h = SendMessageRequestHeader(producerGroup: "pg", topic: "OW", queueId: 0, bornTimestamp: 1)
        try await f.client.invokeOneway(.request(.sendMessageV2, header: h.v2, body: ByteBuffer(string: "one-way"), opaque: 0,
                                                 oneway: true), to: f.address)
        // The send thread creates the topic; a pull that overtakes it is rightly told TOPIC_NOT_EXIST.
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { f.broker.topics.topic("OW") != nil }
        let p = try await f.pull(topic: "OW", offset: 0, sysFlag: [.suspend], suspendMillis: 5000)
        #expect(p.responseCode == .success)
        #expect(try PulledMessages.decode(p.body ?? ByteBuffer()).map(\.body) == [Array("one-way".utf8)])
        await f.stop()
    }
}
