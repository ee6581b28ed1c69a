import TestSupport
@testable import Broker
import Client
import Foundation
import Logging
import NIOCore
import Protocol
import Remoting
@testable import Store


/// Answers GET_ROUTEINFO_BY_TOPIC from the in-process broker's topic table, as a
/// NameServer would once the broker registered (TOPIC_NOT_EXIST for unknown topics).
struct StandInRouteProcessor: RemotingProcessor {
    let broker: Broker
    let address: String

    func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
        let topic = try request.decodeHeader(GetRouteInfoRequestHeader.self).topic
        guard let t = broker.topics.topic(topic) else {
            return .command(request.response(.topicNotExist, remark: "No topic route info in name server for the topic: \(topic)"))
        }
        let name = broker.config.brokerName
        let route = TopicRouteData(
            queueDatas: [QueueData(brokerName: name, readQueueNums: t.readQueueNums, writeQueueNums: t.writeQueueNums, perm: t.perm)],
            brokerDatas: [BrokerData(cluster: broker.config.brokerClusterName, brokerName: name, brokerAddrs: [0: address])])
        return .command(request.response(.success, body: route.bodyBuffer()))
    }
}

/// An in-process broker on 127.0.0.1 plus a stand-in route server pointing at it.
struct Cluster {
    let dir: TempDir
    let broker: Broker
    let routeServer: RemotingServer
    let brokerAddress: String
    let nameServer: String

    /// - Parameters:
    ///   - configure: changes to the broker's configuration.
    ///   - gate: when given, every append passes it inside the store's put lock (a stallable disk).
    static func start(autoCreate: Bool = true, dir: TempDir = TempDir(), configure: (inout BrokerConfig) -> Void = { _ in },
                      gate: StallGate? = nil) async throws -> Cluster {
        var c = BrokerConfig()
        c.listenPort = 0
        c.bindAddress = "127.0.0.1"
        c.autoCreateTopicEnable = autoCreate
        c.store.storePathRootDir = dir.path
        c.store.mappedFileSizeCommitLog = 16 << 20
        c.store.mappedFileSizeConsumeQueue = 1000 * 20
        c.store.maxMessageSize = 5 * 1024 * 1024
        c.store.maxHashSlotNum = 1024
        c.store.maxIndexNum = 4096
        c.store.cleanResourceInterval = 3_600_000
        var logger = Logger(label: "test.broker")
        logger.logLevel = .warning
        configure(&c)
        var hook: (@Sendable () -> Void)?
        if let gate { hook = { gate.pass() } }
        let store = try MessageStore(config: c.store, logger: logger, diskUsage: nil, beforeSyncFlush: nil, duringAppend: hook)
        let broker = try Broker(config: c, store: store, logger: logger)
        let port = try await broker.start()
        let address = "127.0.0.1:\(port)"
        var sc = RemotingServer.Configuration(host: "127.0.0.1", port: 0)
        sc.eventLoopThreads = 1
        let server = RemotingServer(configuration: sc, logger: quietLogger)
        server.register(.getRouteInfoByTopic, StandInRouteProcessor(broker: broker, address: address))
        let nsPort = try await server.start()
        return Cluster(dir: dir, broker: broker, routeServer: server, brokerAddress: address, nameServer: "127.0.0.1:\(nsPort)")
    }

    /// Creates `topic` with `queues` read and write queues.
    func createTopic(_ topic: String, queues: Int32 = 4) {
        broker.topics.update(TopicConfig(topicName: topic, readQueueNums: queues, writeQueueNums: queues))
    }

    var options: ClientOptions { ClientOptions(nameServers: [nameServer]) }

    func producer(group: String = "pg", configure: (inout Producer.Configuration) -> Void = { _ in }) async throws -> Producer {
        var c = Producer.Configuration(group: group, options: options)
        configure(&c)
        let p = Producer(configuration: c, logger: quietLogger)
        try await p.start()
        return p
    }

    func stop(keepData: Bool = false) async {
        await routeServer.shutdown(gracePeriod: .seconds(1))
        await broker.shutdown()
        if !keepData { dir.cleanup() }
    }
}

var quietLogger: Logger {
    var l = Logger(label: "test.client")
    l.logLevel = .warning
    return l
}

/// Deterministic bytes of `count` (random-looking, so they do not compress much, if `random`).
func bytes(_ count: Int, seed: UInt8 = 0, random: Bool = false) -> [UInt8] {
    if random {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
    return (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
}

