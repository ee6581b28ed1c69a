import Broker
import Client
import Foundation
import Protocol
import Remoting
import Testing

/// A route with the live broker and a second broker whose address refuses connections.
struct TwoBrokerRouteProcessor: RemotingProcessor {
    let live: String
    let dead: String

    func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
        let route = TopicRouteData(
            queueDatas: [QueueData(brokerName: "broker-a", readQueueNums: 4, writeQueueNums: 4),
                         QueueData(brokerName: "broker-b", readQueueNums: 4, writeQueueNums: 4)],
            brokerDatas: [BrokerData(cluster: "c", brokerName: "broker-a", brokerAddrs: [0: live]),
                          BrokerData(cluster: "c", brokerName: "broker-b", brokerAddrs: [0: dead])])
        return .command(request.response(.success, body: route.bodyBuffer()))
    }
}

@Suite struct RoutingTests {
    @Test func allocateAveragelyMatchesRocketMQ() {
        let queues = (0..<8).map { MessageQueue(topic: "t", brokerName: "b", queueId: Int32($0)) }
        let ids = ["c1", "c2", "c3"]
        let shares = ids.map { AllocateMessageQueueAveragely.allocate(queues: queues.shuffled(), consumers: ids.shuffled(), me: $0) }
        #expect(shares.map { $0.map(\.queueId) } == [[0, 1, 2], [3, 4, 5], [6, 7]])
        let many = (0..<5).map { "c\($0)" }
        let two = Array(queues.prefix(2))
        #expect(many.map { AllocateMessageQueueAveragely.allocate(queues: two, consumers: many, me: $0).count } == [1, 1, 0, 0, 0])
        #expect(AllocateMessageQueueAveragely.allocate(queues: queues, consumers: ids, me: "stranger").isEmpty)
    }

    @Test func unreachableNameServerIsSkipped() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("NsT")
        var options = cluster.options
        options.nameServers = ["127.0.0.1:1", cluster.nameServer]
        let p = Producer(configuration: .init(group: "pg", options: options), logger: quietLogger)
        try await p.start()
        for _ in 0..<3 { #expect(try await p.send(Message(topic: "NsT", body: [1])).status == .sendOK) }
        await p.shutdown()
        await cluster.stop()
    }

    @Test func syncSendRetriesOnAnotherBroker() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("TwoT")
        var sc = RemotingServer.Configuration(host: "127.0.0.1", port: 0)
        sc.eventLoopThreads = 1
        let ns = RemotingServer(configuration: sc, logger: quietLogger)
        ns.register(.getRouteInfoByTopic, TwoBrokerRouteProcessor(live: cluster.brokerAddress, dead: "127.0.0.1:1"))
        let port = try await ns.start()
        let p = Producer(configuration: .init(group: "pg", options: ClientOptions(nameServers: ["127.0.0.1:\(port)"])),
                         logger: quietLogger)
        try await p.start()
        #expect(try await p.queues(of: "TwoT").count == 8)
        for i in 0..<16 {
            let r = try await p.send(Message(topic: "TwoT", body: Array("r\(i)".utf8)))
            #expect(r.queue.brokerName == "broker-a")
        }
        let (stream, results) = AsyncStream<Result<SendResult, ClientError>>.makeStream()
        for i in 0..<16 {
            try await p.sendAsync(Message(topic: "TwoT", body: Array("a\(i)".utf8))) { results.yield($0) }
        }
        var n = 0
        for await r in stream {
            #expect((try? r.get().queue.brokerName) == "broker-a")
            n += 1
            if n == 16 { break }
        }
        await p.shutdown()
        await ns.shutdown(gracePeriod: .seconds(1))
        await cluster.stop()
    }
}
