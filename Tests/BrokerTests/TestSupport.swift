import Broker
import Foundation
import Logging
import MessageFormat
import NIOCore
import Protocol
import Remoting
import Store


/// A broker config on 127.0.0.1, an ephemeral port and small store files.
func testConfig(_ root: String, autoCreate: Bool = true) -> BrokerConfig {
    var c = BrokerConfig()
    c.listenPort = 0
    c.bindAddress = "127.0.0.1"
    c.autoCreateTopicEnable = autoCreate
    c.store.storePathRootDir = root
    c.store.mappedFileSizeCommitLog = 1 << 20
    c.store.mappedFileSizeConsumeQueue = 1000 * 20
    c.store.maxMessageSize = 64 * 1024
    c.store.maxHashSlotNum = 1024
    c.store.maxIndexNum = 4096
    c.store.cleanResourceInterval = 3_600_000
    return c
}

/// A started broker and a client connected to it.
struct Fixture {
    let broker: Broker
    let client: RemotingClient
    let address: String

    static func start(_ config: BrokerConfig, serializeType: SerializeType? = .rocketMQ) async throws -> Fixture {
        var logger = Logger(label: "test.broker")
        logger.logLevel = .warning
        let broker = try Broker(config: config, logger: logger)
        let port = try await broker.start()
        var cc = RemotingClient.Configuration()
        cc.serializeType = serializeType
        return Fixture(broker: broker, client: RemotingClient(configuration: cc), address: "127.0.0.1:\(port)")
    }

    func stop() async {
        await client.shutdown()
        await broker.shutdown()
    }

    func invoke(_ request: RemotingCommand, timeout: Duration = .seconds(30)) async throws -> RemotingCommand {
        try await client.invoke(request, to: address, timeout: timeout)
    }

    func send(topic: String, queueId: Int32 = 0, body: [UInt8], properties: [String: String] = [:],
              code: RequestCode = .sendMessageV2, serializeType: SerializeType = .rocketMQ) async throws -> RemotingCommand {
        let h = SendMessageRequestHeader(producerGroup: "pg", topic: topic, queueId: queueId,
                                         bornTimestamp: Int64(Date().timeIntervalSince1970 * 1000),
                                         properties: MessageProperties.encode(properties))
        var buf = ByteBuffer()
        buf.writeBytes(body)
        let req: RemotingCommand = code == .sendMessage
            ? .request(code, header: h, body: buf, opaque: 0, serializeType: serializeType)
            : .request(code, header: h.v2, body: buf, opaque: 0, serializeType: serializeType)
        return try await invoke(req)
    }

    func pull(topic: String, queueId: Int32 = 0, offset: Int64, maxMsgNums: Int32 = 32, sysFlag: PullSysFlag = [],
              suspendMillis: Int64 = 0, commitOffset: Int64 = 0, group: String = "cg") async throws -> RemotingCommand {
        let h = PullMessageRequestHeader(consumerGroup: group, topic: topic, queueId: queueId, queueOffset: offset,
                                         maxMsgNums: maxMsgNums, sysFlag: sysFlag.rawValue, commitOffset: commitOffset,
                                         suspendTimeoutMillis: suspendMillis, subscription: "*", subVersion: 0)
        return try await invoke(.request(.pullMessage, header: h, opaque: 0), timeout: .seconds(60))
    }
}



/// Runs blocking work (process I/O, the store's dispatch wait) on a dispatch
/// queue, so it never occupies one of the few cooperative-pool threads that
/// every other test's tasks need (on 2 cores a blocked pool stalls them all).
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}

extension Fixture {
    /// Waits (off the cooperative pool) until the store has indexed every append.
    func dispatched() async throws -> Bool {
        let store = broker.store
        return try await offPool { store.waitForDispatch(timeoutMillis: 30_000) }
    }
}
