import Logging
import NIOCore
import Protocol
import Remoting
import Synchronization

/// A NameServer: the route tables behind a remoting server, plus the sweep
/// that expires brokers which stopped registering. Independent of any other
/// NameServer (brokers register with each).
public final class NameServer: Sendable {
    public let config: NamesrvConfig
    public let routes: RouteInfoManager
    public let kv = KVConfigManager()
    private let server: RemotingServer
    private let logger: Logger
    private let scanner = ScanTask()

    public init(config: NamesrvConfig, logger: Logger = Logger(label: "peakmq.namesrv")) {
        self.config = config
        self.logger = logger
        routes = RouteInfoManager(brokerChannelExpiredTime: .milliseconds(config.brokerChannelExpiredTime))
        var sc = RemotingServer.Configuration(host: config.bindAddress, port: config.listenPort)
        sc.limits.idleTimeout = config.serverChannelMaxIdleTimeSeconds > 0
            ? .seconds(Int64(config.serverChannelMaxIdleTimeSeconds)) : nil
        sc.eventLoopThreads = min(config.serverWorkerThreads, System.coreCount)
        server = RemotingServer(configuration: sc, logger: logger)
        server.registerDefault(
            inline: NameServerProcessor(routes: routes, kv: kv, orderMessageEnable: config.orderMessageEnable, logger: logger))
        let routes = self.routes
        server.setConnectionListener { connection, event in
            // RocketMQ's BrokerHousekeepingService: a closed, failed or idle
            // channel takes its broker's routes with it.
            if event != .connected { routes.connectionClosed(connection) }
        }
    }

    /// Binds and starts the expiry sweep. Returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        let port = try await server.start()
        let routes = self.routes
        let logger = self.logger
        let interval = Duration.milliseconds(config.scanNotActiveBrokerInterval)
        scanner.start {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                for (addr, connection) in routes.scanNotActiveBrokers() {
                    logger.warning("broker expired (no registration within its timeout): \(addr)")
                    await connection?.close()
                }
            }
        }
        return port
    }

    public var port: Int? { server.port }

    /// Stops the sweep, then shuts the server down gracefully.
    public func shutdown() async {
        scanner.cancel()
        await server.shutdown(gracePeriod: .seconds(5))
    }
}

/// The running sweep task, cancellable from `shutdown`.
final class ScanTask: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) {
        task.withLock { $0 = Task(operation: body) }
    }

    func cancel() {
        task.withLock { $0?.cancel() }
    }
}
