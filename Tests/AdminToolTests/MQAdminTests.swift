import Broker
import Client
import ClusterSupport
import Foundation
import Protocol
import TestSupport
import Testing

/// mqadmin as a child process against an in-process NameServer and broker.
@Suite struct MQAdminTests {
    @Test func topicLifecycleRouteAndStatus() async throws {
        let c = try await InProcessCluster.start()
        let create = try await c.mqadmin(["updateTopic", "-c", "DefaultCluster", "-t", "AdmT", "-r", "4", "-w", "4"])
        #expect(create.status == 0, "\(create.err)")
        #expect(create.out.contains("create topic to \(c.brokerAddress) success."))
        #expect(c.broker.topics.topic("AdmT")?.writeQueueNums == 4)
        try await c.waitForRoute("AdmT")

        let list = try await c.mqadmin(["topicList", "--json"])
        #expect(try list.json()["topicList"]?.array?.compactMap(\.stringValue).contains("AdmT") == true)
        let route = try await c.mqadmin(["topicRoute", "-t", "AdmT", "--json"])
        let queues = try route.json()["queueDatas"]?.array ?? []
        #expect(queues.count == 1 && queues.first?["writeQueueNums"]?.int64Value == 4)
        let routeTable = try await c.mqadmin(["topicRoute", "-t", "AdmT"])
        #expect(routeTable.out.contains("broker-adm") && routeTable.out.contains(c.brokerAddress))

        let producer = try await c.producer()
        let n = 23
        for i in 0..<n { _ = try await producer.send(Message(topic: "AdmT", body: Array("m\(i)".utf8))) }
        await producer.shutdown()
        // A send is acknowledged once in the CommitLog; the queue offsets follow when dispatched.
        try await c.dispatched()

        let status = try await c.mqadmin(["topicStatus", "-t", "AdmT", "--json"])
        #expect(status.status == 0, "\(status.err)")
        let rows = try status.json()["queues"]?.array ?? []
        #expect(rows.count == 4)
        #expect(rows.compactMap { $0["maxOffset"]?.int64Value }.reduce(0, +) == Int64(n))
        #expect(try status.json()["totalMessages"]?.int64Value == Int64(n))
        #expect(rows.allSatisfy { ($0["maxOffset"]?.int64Value ?? 0) == 0 || ($0["lastUpdateTimestamp"]?.int64Value ?? 0) > 0 })
        let table = try await c.mqadmin(["topicStatus", "-t", "AdmT"])
        let lines = table.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("#Broker Name") == true)
        #expect(lines.filter { $0.hasPrefix("broker-adm") }.count == 4)
        #expect(table.out.contains("Messages in queues (max - min, summed): \(n)"))

        let delete = try await c.mqadmin(["deleteTopic", "-c", "DefaultCluster", "-t", "AdmT"])
        #expect(delete.status == 0, "\(delete.err)")
        #expect(delete.out.contains("delete topic [AdmT] from cluster [DefaultCluster] success."))
        #expect(c.broker.topics.topic("AdmT") == nil)
        let gone = try await c.mqadmin(["topicStatus", "-t", "AdmT"])
        #expect(gone.status != 0)
        #expect(gone.err.contains("topic 'AdmT' does not exist"))
        await c.stop()
    }

    @Test func consumerProgressShowsLagAfterCommits() async throws {
        let c = try await InProcessCluster.start()
        #expect(try await c.mqadmin(["updateTopic", "-b", c.brokerAddress, "-t", "Lag", "-r", "2", "-w", "2"]).status == 0)
        try await c.waitForRoute("Lag")
        let producer = try await c.producer()
        for i in 0..<10 {
            _ = try await producer.send(Message(topic: "Lag", body: [UInt8(i)])) { qs in qs[i % 2] }
        }
        await producer.shutdown()
        let consumer = PullConsumer(configuration: .init(group: "lagger", options: c.options), logger: quietLogger)
        try await consumer.start()
        let queues = try await consumer.fetchQueues(topic: "Lag")
        let pulled = try await consumer.pull(queue: queues[0], offset: 0, maxNums: 3)
        #expect(pulled.messages.count == 3)
        try await consumer.updateOffset(queues[0], offset: pulled.nextBeginOffset)
        await consumer.shutdown()

        let run = try await c.mqadmin(["consumerProgress", "-g", "lagger", "--json"])
        #expect(run.status == 0, "\(run.err)")
        let json = try run.json()
        #expect(json["diffTotal"]?.int64Value == 7)
        #expect(json["brokerOffsetTotal"]?.int64Value == 10 && json["consumerOffsetTotal"]?.int64Value == 3)
        let rows = json["queues"]?.array ?? []
        #expect(rows.map { $0["diff"]?.int64Value } == [2, 5])
        #expect(rows.first?["lastTimestamp"]?.int64Value ?? 0 > 0, "the time of the last consumed message")
        let table = try await c.mqadmin(["consumerProgress", "-g", "lagger", "-t", "Lag"])
        #expect(table.out.contains("Consume Diff Total: 7"))
        #expect(table.out.split(separator: "\n").filter { $0.hasPrefix("Lag ") }.count == 2)

        let unknown = try await c.mqadmin(["consumerProgress", "-g", "nobody"])
        #expect(unknown.status != 0)
        #expect(unknown.err.contains("consumer group 'nobody' has no offsets"))
        let unknownOnTopic = try await c.mqadmin(["consumerProgress", "-g", "nobody", "-t", "Lag"])
        #expect(unknownOnTopic.status != 0 && unknownOnTopic.err.contains("consumer group 'nobody' has no offsets"))
        await c.stop()
    }

    @Test func clusterListAndBrokerStatus() async throws {
        let c = try await InProcessCluster.start()
        let list = try await c.mqadmin(["clusterList"])
        #expect(list.status == 0, "\(list.err)")
        let row = list.out.split(separator: "\n").first { $0.hasPrefix("DefaultCluster") } ?? ""
        #expect(row.contains("broker-adm") && row.contains(c.brokerAddress) && row.contains("V4_9_7"))
        let listJSON = try await c.mqadmin(["clusterList", "--json"]).json()
        let broker = listJSON["brokers"]?.array?.first
        #expect(broker?["reachable"]?.boolValue == true && broker?["address"]?.stringValue == c.brokerAddress)

        let status = try await c.mqadmin(["brokerStatus", "-b", c.brokerAddress, "--json"])
        #expect(status.status == 0, "\(status.err)")
        let info = try status.json()["brokers"]?.array?.first?["runtimeInfo"]
        #expect(info?["sendThreadPoolQueueCapacity"]?.stringValue == "10000")
        #expect(info?["flowControlTotal"]?.stringValue == "0")
        let text = try await c.mqadmin(["brokerStatus", "-c", "DefaultCluster"])
        #expect(text.out.contains(c.brokerAddress))
        #expect(text.out.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("sendThreadPoolQueueCapacity:") })

        let noBroker = try await c.mqadmin(["brokerStatus", "-b", "127.0.0.1:1"])
        #expect(noBroker.status != 0 && noBroker.err.contains("broker 127.0.0.1:1 did not answer"))
        let noCluster = try await c.mqadmin(["clusterList", "-c", "Nope"])
        #expect(noCluster.status != 0 && noCluster.err.contains("cluster 'Nope' not found"))
        let noTopic = try await c.mqadmin(["updateTopic", "-c", "Nope", "-t", "X"])
        #expect(noTopic.status != 0 && noTopic.err.contains("cluster 'Nope' not found"))
        await c.stop()
    }

    @Test func queryMessagesByIdAndKey() async throws {
        let c = try await InProcessCluster.start()
        #expect(try await c.mqadmin(["updateTopic", "-c", "DefaultCluster", "-t", "Q", "-r", "1", "-w", "1"]).status == 0)
        try await c.waitForRoute("Q")
        let producer = try await c.producer()
        _ = try await producer.send(Message(topic: "Q", body: Array("other".utf8), keys: ["k-0"]))
        let sent = try await producer.send(Message(topic: "Q", body: Array("hello admin".utf8), tags: "tg", keys: ["order-7"]))
        await producer.shutdown()
        try await c.dispatched()

        let byKey = try await c.mqadmin(["queryMsgByKey", "-t", "Q", "-k", "order-7", "--json"])
        #expect(byKey.status == 0, "\(byKey.err)")
        let found = try byKey.json()["messages"]?.array ?? []
        #expect(found.count == 1)
        #expect(found.first?["body"]?.stringValue == "hello admin" && found.first?["tags"]?.stringValue == "tg")
        #expect(found.first?["msgId"]?.stringValue == sent.msgId)
        let keyTable = try await c.mqadmin(["queryMsgByKey", "-t", "Q", "-k", "order-7"])
        #expect(keyTable.out.contains(sent.msgId) && keyTable.out.contains(sent.offsetMsgId))

        let byOffsetId = try await c.mqadmin(["queryMsgById", "-i", sent.offsetMsgId, "--json"])
        #expect(byOffsetId.status == 0, "\(byOffsetId.err)")
        #expect(try byOffsetId.json()["messages"]?.array?.first?["body"]?.stringValue == "hello admin")
        let byClientId = try await c.mqadmin(["queryMsgById", "-t", "Q", "-i", sent.msgId])
        #expect(byClientId.status == 0, "\(byClientId.err)")
        #expect(byClientId.out.contains("hello admin") && byClientId.out.contains("Keys:") && byClientId.out.contains("[order-7]"))

        let noKey = try await c.mqadmin(["queryMsgByKey", "-t", "Q", "-k", "missing"])
        #expect(noKey.status != 0 && noKey.err.contains("no message of topic 'Q' has key 'missing'"))
        let noTopic = try await c.mqadmin(["queryMsgById", "-i", sent.msgId])
        #expect(noTopic.status != 0 && noTopic.err.contains("give -t topic"))
        await c.stop()
    }

    @Test func nameServerMissingOrUnreachable() async throws {
        let none = try await runMQAdmin(["topicList"])
        #expect(none.status != 0 && none.err.contains("no NameServer"))
        let dead = try await runMQAdmin(["topicList", "-n", "127.0.0.1:1", "--timeout-millis", "1000"])
        #expect(dead.status != 0 && dead.err.contains("NameServer"))
        let fromEnv = try await runMQAdmin(["topicList"], environment: ["NAMESRV_ADDR": "127.0.0.1:1"])
        #expect(fromEnv.status != 0 && fromEnv.err.contains("NameServer"))
        let usage = try await runMQAdmin(["updateTopic", "-n", "127.0.0.1:1", "-t", "T"])
        #expect(usage.status != 0 && usage.err.contains("give exactly one of -b"))
    }
}
