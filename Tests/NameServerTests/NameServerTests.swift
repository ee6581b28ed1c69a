import Foundation
import NIOCore
import NameServer
import Protocol
import Remoting
import TestSupport
import Testing


/// A broker as the NameServer sees it: a client that registers.
struct FakeBroker {
    var cluster = "DefaultCluster"
    var name: String
    var id: Int64 = 0
    var addr: String
    var topics: [String: Int32]
    var version = DataVersion(timestamp: 1000, counter: 1)

    var header: RegisterBrokerRequestHeader {
        RegisterBrokerRequestHeader(
            brokerName: name, brokerAddr: addr, clusterName: cluster, haServerAddr: "127.0.0.1:10912", brokerId: id)
    }

    var body: RegisterBrokerBody {
        RegisterBrokerBody(topicConfigSerializeWrapper: TopicConfigSerializeWrapper(
            topicConfigTable: Dictionary(uniqueKeysWithValues: topics.map {
                ($0.key, TopicConfig(topicName: $0.key, readQueueNums: $0.value, writeQueueNums: $0.value))
            }),
            dataVersion: version))
    }

    func register(with client: RemotingClient, at ns: String, compressed: Bool = false) async throws -> RemotingCommand {
        var h = header
        h.compressed = compressed
        let b = compressed ? try body.compressedBody() : body.bodyBuffer()
        return try await client.invoke(.request(.registerBroker, header: h, body: b, opaque: 0), to: ns).requireSuccess()
    }
}

func nameServer(_ tweak: (inout NamesrvConfig) -> Void = { _ in }) async throws -> (NameServer, String) {
    var c = NamesrvConfig()
    c.listenPort = 0
    c.bindAddress = "127.0.0.1"
    c.serverWorkerThreads = 2
    tweak(&c)
    let ns = NameServer(config: c)
    let port = try await ns.start()
    return (ns, "127.0.0.1:\(port)")
}

func route(_ topic: String, _ client: RemotingClient, _ ns: String) async throws -> (ResponseCode, TopicRouteData?) {
    let r = try await client.invoke(
        .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: topic), opaque: 0), to: ns)
    return (r.responseCode, r.responseCode == .success ? try TopicRouteData(bodyOf: r) : nil)
}

@Suite(.timeLimit(.minutes(1))) struct NameServerTests {
    @Test func twoBrokersRouteClusterInfoAndTopicList() async throws {
        let (ns, addr) = try await nameServer()
        let a = FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T1": 4, "OnlyA": 2])
        let b = FakeBroker(cluster: "Other", name: "broker-b", addr: "10.0.0.2:10911", topics: ["T1": 8])
        let ca = RemotingClient(), cb = RemotingClient()
        _ = try await a.register(with: ca, at: addr)
        _ = try await b.register(with: cb, at: addr, compressed: true)

        let (code, t1) = try await route("T1", ca, addr)
        #expect(code == .success)
        let r = try #require(t1)
        #expect(r.queueDatas.map(\.brokerName) == ["broker-a", "broker-b"])
        #expect(r.queueDatas.map(\.writeQueueNums) == [4, 8])
        #expect(r.brokerDatas.map { $0.brokerAddrs[0] } == ["10.0.0.1:10911", "10.0.0.2:10911"])
        #expect(r.brokerDatas.map(\.cluster) == ["DefaultCluster", "Other"])
        #expect(try await route("OnlyA", ca, addr).1?.brokerDatas.map(\.brokerName) == ["broker-a"])

        let missing = try await ca.invoke(
            .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: "Nope"), opaque: 0), to: addr)
        #expect(missing.responseCode == .topicNotExist && missing.remark?.contains("Nope") == true)

        let info = try ClusterInfo(bodyOf: try await ca.invoke(.request(.getBrokerClusterInfo, opaque: 0), to: addr))
        #expect(info.clusterAddrTable == ["DefaultCluster": ["broker-a"], "Other": ["broker-b"]])
        #expect(info.brokerAddrTable["broker-b"]?.brokerAddrs == [0: "10.0.0.2:10911"])

        let list = try TopicList(bodyOf: try await ca.invoke(.request(.getAllTopicListFromNameServer, opaque: 0), to: addr))
        #expect(list.topicList == ["OnlyA", "T1"])

        // A slave of broker-a learns its master's address and HA address.
        var slave = a
        slave.id = 1
        slave.addr = "10.0.0.3:10911"
        let answer = try await slave.register(with: ca, at: addr)
        let h = try answer.decodeHeader(RegisterBrokerResponseHeader.self)
        #expect(h.masterAddr == "10.0.0.1:10911" && h.haServerAddr == "127.0.0.1:10912")
        #expect(try await route("T1", ca, addr).1?.brokerDatas.first?.brokerAddrs == [0: "10.0.0.1:10911", 1: "10.0.0.3:10911"])

        // DELETE_TOPIC_IN_NAMESRV.
        _ = try await ca.invoke(
            .request(.deleteTopicInNameServer, header: DeleteTopicFromNamesrvRequestHeader(topic: "OnlyA"), opaque: 0),
            to: addr
        ).requireSuccess()
        #expect(try await route("OnlyA", ca, addr).0 == .topicNotExist)

        await ca.shutdown()
        await cb.shutdown()
        await ns.shutdown()
    }

    @Test func brokersExpireWithoutRegistration() async throws {
        let (ns, addr) = try await nameServer {
            $0.brokerChannelExpiredTime = 300
            $0.scanNotActiveBrokerInterval = 50
        }
        let c = RemotingClient()
        let a = FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T": 4])
        // Taken before the request: the NameServer stamps the registration later than this.
        let registered = ContinuousClock.now
        _ = try await a.register(with: c, at: addr)
        let link = try await c.connection(to: addr)
        #expect(try await route("T", c, addr).0 == .success)
        #expect(ns.routes.liveBrokers == ["10.0.0.1:10911"])
        try await eventually("the broker expires") { ns.routes.liveBrokers.isEmpty }
        #expect(ContinuousClock.now - registered >= .milliseconds(300))
        #expect(try await route("T", RemotingClient(), addr).0 == .topicNotExist)
        // Expiry also closes the broker's connection, as RocketMQ does.
        try await eventually("the expired broker's connection is closed") { !link.isActive }
        await c.shutdown()
        await ns.shutdown()
    }

    @Test func closingTheBrokerConnectionRemovesItsRoutes() async throws {
        let (ns, addr) = try await nameServer()
        let ca = RemotingClient(), cb = RemotingClient(), reader = RemotingClient()
        _ = try await FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T": 4]).register(with: ca, at: addr)
        _ = try await FakeBroker(name: "broker-b", addr: "10.0.0.2:10911", topics: ["T": 4]).register(with: cb, at: addr)
        #expect(try await route("T", reader, addr).1?.brokerDatas.count == 2)
        await ca.closeConnection(to: addr)
        try await eventually("broker-a's routes are gone") {
            try await route("T", reader, addr).1?.brokerDatas.map(\.brokerName) == ["broker-b"]
        }
        #expect(ns.routes.clusterInfo.brokerAddrTable.keys.sorted() == ["broker-b"])
        await ca.shutdown()
        await cb.shutdown()
        await reader.shutdown()
        await ns.shutdown()
    }

    @Test func unregisterBroker() async throws {
        let (ns, addr) = try await nameServer()
        let c = RemotingClient()
        let a = FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T": 4])
        let b = FakeBroker(name: "broker-b", addr: "10.0.0.2:10911", topics: ["T": 4])
        _ = try await a.register(with: c, at: addr)
        _ = try await b.register(with: c, at: addr)
        for broker in [a, b] {
            let h = UnregisterBrokerRequestHeader(
                brokerName: broker.name, brokerAddr: broker.addr, clusterName: broker.cluster, brokerId: 0)
            _ = try await c.invoke(.request(.unregisterBroker, header: h, opaque: 0), to: addr).requireSuccess()
            if broker.name == "broker-a" {
                #expect(try await route("T", c, addr).1?.brokerDatas.map(\.brokerName) == ["broker-b"])
            }
        }
        #expect(try await route("T", c, addr).0 == .topicNotExist)
        #expect(ns.routes.clusterInfo.clusterAddrTable.isEmpty)
        await c.shutdown()
        await ns.shutdown()
    }

    @Test func kvConfig() async throws {
        let (ns, addr) = try await nameServer()
        let c = RemotingClient()
        let key = NamespaceKeyHeader(namespace: "ORDER_TOPIC_CONFIG", key: "T")
        let absent = try await c.invoke(.request(.getKVConfig, header: key, opaque: 0), to: addr)
        #expect(absent.responseCode == .queryNotFound)
        _ = try await c.invoke(
            .request(.putKVConfig, header: PutKVConfigRequestHeader(namespace: "ORDER_TOPIC_CONFIG", key: "T", value: "broker-a:4"), opaque: 0),
            to: addr
        ).requireSuccess()
        let got = try await c.invoke(.request(.getKVConfig, header: key, opaque: 0), to: addr).requireSuccess()
        #expect(try got.decodeHeader(GetKVConfigResponseHeader.self).value == "broker-a:4")
        let list = try await c.invoke(
            .request(.getKVListByNamespace, header: GetKVListByNamespaceRequestHeader(namespace: "ORDER_TOPIC_CONFIG"), opaque: 0),
            to: addr)
        #expect(try KVTable(bodyOf: list).table == ["T": "broker-a:4"])
        // A registering broker gets the order-topic namespace back.
        let reg = try await FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T": 4]).register(with: c, at: addr)
        #expect(try KVTable(bodyOf: reg).table == ["T": "broker-a:4"])
        _ = try await c.invoke(.request(.deleteKVConfig, header: key, opaque: 0), to: addr).requireSuccess()
        #expect(try await c.invoke(.request(.getKVConfig, header: key, opaque: 0), to: addr).responseCode == .queryNotFound)
        await c.shutdown()
        await ns.shutdown()
    }

    @Test func nameServersAreIndependentPeers() async throws {
        let (ns1, addr1) = try await nameServer()
        let (ns2, addr2) = try await nameServer()
        let c = RemotingClient()
        let a = FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T": 4])
        _ = try await a.register(with: c, at: addr1)
        #expect(try await route("T", c, addr1).0 == .success)
        #expect(try await route("T", c, addr2).0 == .topicNotExist)
        // A broker registers with each; closing one link leaves the other NameServer's route.
        _ = try await a.register(with: c, at: addr2)
        await c.closeConnection(to: addr1)
        let reader = RemotingClient()
        try await eventually("ns1 dropped the broker") { try await route("T", reader, addr1).0 == .topicNotExist }
        #expect(try await route("T", reader, addr2).0 == .success)
        await c.shutdown()
        await reader.shutdown()
        await ns1.shutdown()
        await ns2.shutdown()
    }

    @Test func badRequestsAreAnsweredNotFatal() async throws {
        let (ns, addr) = try await nameServer()
        let c = RemotingClient()
        // A register without required header fields, and with a damaged body.
        let noHeader = try await c.invoke(RemotingCommand(code: RequestCode.registerBroker.rawValue), to: addr)
        #expect(noHeader.responseCode == .systemError && noHeader.remark?.contains("brokerName") == true)
        let a = FakeBroker(name: "broker-a", addr: "10.0.0.1:10911", topics: ["T": 4])
        let garbage = try await c.invoke(
            .request(.registerBroker, header: a.header, body: ByteBuffer(string: "{not json"), opaque: 0), to: addr)
        #expect(garbage.responseCode == .systemError)
        var crc = a.header
        crc.bodyCrc32 = 12345
        let badCRC = try await c.invoke(.request(.registerBroker, header: crc, body: a.body.bodyBuffer(), opaque: 0), to: addr)
        #expect(badCRC.responseCode == .systemError && badCRC.remark == "crc32 not match")
        #expect(try await c.invoke(RemotingCommand(code: 9999), to: addr).responseCode == .requestCodeNotSupported)
        #expect(try await route("T", c, addr).0 == .topicNotExist)
        await c.shutdown()
        await ns.shutdown()
    }
}
