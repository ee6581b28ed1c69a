import Broker
import Foundation
import MessageFormat
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing

@Suite struct QueryAndTopicTests {
    @Test func viewByIdAndQueryByKey() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let s = try await f.send(topic: "Q", body: Array("find me".utf8), properties: ["KEYS": "order-42"])
        #expect(s.responseCode == .success)
        _ = try await f.send(topic: "Q", body: [1], properties: ["KEYS": "other"])
        #expect(try await f.dispatched())
        let id = try SendMessageResponseHeader(extFields: s.extFields).msgId
        let phys = try #require(MessageID.decodeOffsetMessageId(id)).physicalOffset
        let v = try await f.invoke(.request(.viewMessageById, header: ViewMessageRequestHeader(offset: phys), opaque: 0))
        #expect(v.responseCode == .success)
        #expect(try PulledMessages.decode(v.body ?? ByteBuffer()).map(\.body) == [Array("find me".utf8)])
        let q = try await f.invoke(.request(.queryMessage, header: QueryMessageRequestHeader(
            topic: "Q", key: "order-42", maxNum: 32, beginTimestamp: 0, endTimestamp: Int64.max), opaque: 0))
        #expect(q.responseCode == .success, "\(q)")
        #expect(try PulledMessages.decode(q.body ?? ByteBuffer()).map(\.body) == [Array("find me".utf8)])
        let none = try await f.invoke(.request(.queryMessage, header: QueryMessageRequestHeader(
            topic: "Q", key: "absent", maxNum: 32, beginTimestamp: 0, endTimestamp: Int64.max), opaque: 0))
        #expect(none.responseCode == .queryNotFound)
        let bad = try await f.invoke(.request(.viewMessageById, header: ViewMessageRequestHeader(offset: 1 << 40), opaque: 0))
        #expect(bad.responseCode == .systemError)
        await f.stop()
    }

    @Test func deleteTopicAndUnregisterClient() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        #expect(try await f.send(topic: "Gone", body: [1]).responseCode == .success)
        let d = try await f.invoke(.request(.deleteTopicInBroker, header: TopicHeader(topic: "Gone"), opaque: 0))
        #expect(d.responseCode == .success)
        #expect(f.broker.topics.topic("Gone") == nil)
        let t = try await f.invoke(.request(.deleteTopicInBroker, header: TopicHeader(topic: "TBW102"), opaque: 0))
        #expect(t.responseCode == .systemError)
        let hb = HeartbeatData(clientID: "c9", consumerDataSet: [ConsumerData(groupName: "cg9", subscriptionDataSet: [])])
        #expect(try await f.invoke(.request(.heartBeat, body: hb.bodyBuffer(), opaque: 0)).responseCode == .success)
        #expect(f.broker.clients.consumerIDs(group: "cg9") == ["c9"])
        let u = try await f.invoke(.request(.unregisterClient,
                                            header: UnregisterClientRequestHeader(clientID: "c9", consumerGroup: "cg9"), opaque: 0))
        #expect(u.responseCode == .success)
        #expect(f.broker.clients.consumerIDs(group: "cg9").isEmpty)
        await f.stop()
    }

    @Test func consumerIdsChangedIsPushedToGroupMembers() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let recorder = Recorder()
        let a = RemotingClient()
        a.register(.notifyConsumerIdsChanged, inline: recorder)
        let hbA = HeartbeatData(clientID: "A", consumerDataSet: [ConsumerData(groupName: "grp", subscriptionDataSet: [])])
        #expect(try await a.invoke(.request(.heartBeat, body: hbA.bodyBuffer(), opaque: 0), to: f.address).responseCode == .success)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { recorder.all.count == 1 }
        let hbB = HeartbeatData(clientID: "B", consumerDataSet: [ConsumerData(groupName: "grp", subscriptionDataSet: [])])
        #expect(try await f.invoke(.request(.heartBeat, body: hbB.bodyBuffer(), opaque: 0)).responseCode == .success)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { recorder.all.count == 2 }
        // A repeated heartbeat with the same groups is not a change (not asserted: notifications are asynchronous).
        #expect(try await a.invoke(.request(.heartBeat, body: hbA.bodyBuffer(), opaque: 0), to: f.address).responseCode == .success)
        // B leaves by closing its connection: A hears of it.
        await f.client.closeConnection(to: f.address)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { recorder.all.count == 3 }
        let last = try #require(recorder.all.last)
        #expect(last.requestCode == .notifyConsumerIdsChanged)
        #expect(try ConsumerGroupHeader(extFields: last.extFields).consumerGroup == "grp")
        #expect(f.broker.clients.consumerIDs(group: "grp") == ["A"])
        await a.shutdown()
        await f.stop()
    }
}
