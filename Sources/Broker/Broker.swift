import Foundation
import Logging
import MessageFormat
import Protocol
import Remoting
import Store
import Synchronization

/// A broker: the store, the remoting server with the broker's processors, the
/// topic, offset and client tables, and the periodic work (offset persistence,
/// NameServer registration).
///
/// ```swift
/// let broker = try Broker(config: config)
/// let port = try await broker.start()
/// …
/// await broker.shutdown()
/// ```
public final class Broker: Sendable {
    public let config: BrokerConfig
    public let store: MessageStore
    public let topics: TopicConfigManager
    public let offsets: ConsumerOffsetManager
    public let clients: ClientManager
    let server: RemotingServer
    let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let registrar = Mutex<NameServerRegistrar?>(nil)
    private let stopped = Mutex(false)
    private let afterSendTaken: (@Sendable () -> Void)?
    /// The send threads and their queue (set by ``start()``).
    let sendService = Mutex<SendService?>(nil)
    /// brokerIP1 and the bound port, written into records and offsetMsgIds (set by ``start()``).
    let storeHost = SharedHost()
    /// Long-polling pulls waiting for messages.
    public let heldPulls = HeldPulls()
    public let stats = BrokerStats()
    /// Serial queue for requests that write files (topics.json, offsets): their
    /// fsync never runs on an event loop.
    let adminQueue = DispatchQueue(label: "peakmq.broker.admin")

    /// Opens (and recovers) the store and loads topics.json and consumerOffset.json.
    public convenience init(config: BrokerConfig, logger: Logger = Logger(label: "peakmq.broker")) throws {
        try self.init(config: config, store: try MessageStore(config: config.store, logger: logger), logger: logger)
    }

    /// A broker on a store already opened from `config.store` (tests open one
    /// with fault hooks); the broker owns it from here on.
    /// - Parameter afterSendTaken: test hook, run by the send thread after it takes a send off the queue.
    init(config: BrokerConfig, store: MessageStore, logger: Logger, afterSendTaken: (@Sendable () -> Void)? = nil) throws {
        self.afterSendTaken = afterSendTaken
        self.config = config
        self.logger = logger
        self.store = store
        do {
            topics = try TopicConfigManager(configDir: config.configDir, autoCreate: config.autoCreateTopicEnable,
                                            defaultQueueNums: config.defaultTopicQueueNums, logger: logger)
            offsets = try ConsumerOffsetManager(configDir: config.configDir, logger: logger)
        } catch {
            store.shutdown()
            throw error
        }
        clients = ClientManager()
        var sc = RemotingServer.Configuration(host: config.bindAddress, port: config.listenPort)
        sc.limits.maxFrameLength = config.maxFrameLength
        server = RemotingServer(configuration: sc, logger: logger)
    }

    /// Registers the processors, binds, and starts the periodic tasks. Returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        let isSlave = config.brokerRole == .slave
        let clients = self.clients
        let send = SendService(
            processor: SendMessageProcessor(store: store, topics: topics, storeHost: storeHost, isSlave: isSlave, stats: stats),
            config: config, store: store, stats: stats, afterTake: afterSendTaken)
        sendService.withLock { $0 = send }
        send.start()
        let admission = SendAdmission(service: send, store: store)
        server.register(.pullMessage, inline: PullMessageProcessor(store: store, topics: topics, offsets: offsets, isSlave: isSlave, held: heldPulls, stats: stats))
        server.setConnectionListener { connection, event in
            if event == .closed { clients.notifyChanged(clients.connectionClosed(connection)) }
        }
        registerAdminHandlers(on: server)
        registerStatsHandlers(on: server)
        server.register(.sendMessage, inline: admission)
        server.register(.sendMessageV2, inline: admission)
        server.register(.sendBatchMessage, inline: admission)
        let query = QueryMessageProcessor(store: store)
        server.register(.viewMessageById, query)
        server.register(.queryMessage, query)
        let port = try await server.start()
        storeHost.withLock {
            $0 = HostAddress(parsing: "\(config.brokerIP1):\(port)") ?? HostAddress(ipv4: 127, 0, 0, 1, port: Int32(port))
        }
        startPeriodicTasks(brokerAddr: "\(config.brokerIP1):\(port)")
        return port
    }

    private func startPeriodicTasks(brokerAddr: String) {
        let offsets = self.offsets
        let interval = config.flushConsumerOffsetIntervalMillis
        var list = [Task<Void, Never>]()
        // Each loop ends on cancellation without a last round: shutdown awaits
        // the loops, then persists and unregisters itself.
        let admin = adminQueue
        list.append(Task.detached {
            while (try? await Task.sleep(for: .milliseconds(interval))) != nil {
                // The write ends in fsync: on the admin queue, not a cooperative-pool
                // thread; awaited, so shutdown's wait for this loop covers it.
                await withCheckedContinuation { c in admin.async { offsets.persist(); c.resume() } }
            }
        })
        let stats = self.stats
        list.append(Task.detached {
            while (try? await Task.sleep(for: .seconds(10))) != nil {
                stats.sampleRates()
            }
        })
        if !config.namesrvAddrs.isEmpty {
            let r = NameServerRegistrar(config: config, brokerAddr: brokerAddr, logger: logger)
            registrar.withLock { $0 = r }
            let topics = self.topics
            topics.onChange { await r.registerAll(topics.wrapper) }
            let period = config.registerNameServerPeriodMillis
            list.append(Task.detached {
                repeat {
                    await r.registerAll(topics.wrapper)
                } while (try? await Task.sleep(for: .milliseconds(period))) != nil
            })
        }
        tasks.withLock { $0 = list }
    }

    /// Registers with every NameServer now (also done every 30 s). - Returns: how many accepted.
    @discardableResult
    public func registerWithNameServers() async -> Int {
        guard let r = registrar.withLock({ $0 }) else { return 0 }
        return await r.registerAll(topics.wrapper)
    }

    /// Stops accepting, lets in-flight requests finish, unregisters from the
    /// NameServers, persists offsets and topics, and closes the store cleanly.
    public func shutdown() async {
        let first = stopped.withLock { s in
            defer { s = true }
            return !s
        }
        guard first else { return }
        let periodic = tasks.withLock { $0 }
        for t in periodic { t.cancel() }
        // Answer parked pulls now, so the drain does not wait for their suspend timeouts.
        heldPulls.releaseAll(store.notifier)
        await server.shutdown(gracePeriod: .seconds(5))
        heldPulls.releaseAll(store.notifier)
        sendService.withLock { $0 }?.shutdown()
        // A periodic persist still running would race the final one on the same
        // temporary file, and a registration still in flight would re-register
        // the broker after it unregistered.
        for t in periodic { await t.value }
        if let r = registrar.withLock({ $0 }) { await r.unregisterAll() }
        offsets.persist(force: true)
        topics.persist()
        store.shutdown()
        logger.info("broker \(config.brokerName) stopped")
    }
}

/// The store host address, known once the server is bound.
final class SharedHost: Sendable {
    private let value = Mutex(HostAddress.loopback)

    func withLock<T>(_ body: (inout HostAddress) -> T) -> T { value.withLock { body(&$0) } }
    var current: HostAddress { value.withLock { $0 } }
}
