import Logging
import NIOCore
import NIOPosix
import Protocol
import Synchronization

/// A remoting server: accepts connections, dispatches requests to processors
/// by code, answers unknown codes with REQUEST_CODE_NOT_SUPPORTED, closes idle
/// connections, and shuts down gracefully.
///
/// ```swift
/// let server = RemotingServer(configuration: .init(host: "127.0.0.1", port: 9876))
/// server.register(.getRouteInfoByTopic, inline: routeProcessor)
/// server.setConnectionListener { connection, event in … }
/// let port = try await server.start()
/// …
/// await server.shutdown()
/// ```
public final class RemotingServer: Sendable, HasRegistry {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 = an ephemeral port; ``start()`` returns the bound one.
        public var port: Int
        public var limits = ChannelLimits()
        public var backlog: Int32 = 1024
        /// Event-loop threads when the server makes its own group.
        public var eventLoopThreads = System.coreCount

        public init(host: String = "0.0.0.0", port: Int = 0) {
            self.host = host
            self.port = port
        }
    }

    private enum Phase { case idle, starting, running, shuttingDown, stopped }

    private struct State {
        var phase = Phase.idle
        var serverChannel: (any Channel)?
        var boundPort: Int?
        var connections: Set<RemotingConnection> = []
    }

    public let configuration: Configuration
    let registry = Registry()
    private let state = Mutex(State())
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let opaques = OpaqueGenerator()
    private let logger: Logger

    /// - Parameter group: the event loops to use; nil = a group of
    ///   `configuration.eventLoopThreads` threads, owned (and shut down) by the server.
    public init(configuration: Configuration, group: (any EventLoopGroup)? = nil, logger: Logger? = nil) {
        self.configuration = configuration
        (self.group, ownsGroup) = EventLoops.use(group, orMake: configuration.eventLoopThreads)
        self.logger = logger ?? Logger(label: "peakmq.remoting.server")
    }

    /// Binds and starts accepting. Returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        try state.withLock { s in
            guard s.phase == .idle else { throw RemotingError.shutdown }
            s.phase = .starting
        }
        let limits = configuration.limits
        let settings = ConnectionSettings(
            processors: registry.table,
            events: { [weak self] connection, event in self?.connectionEvent(connection, event) },
            logger: logger, maxInFlight: limits.maxInFlightPerConnection)
        let opaques = self.opaques
        let registry = self.registry
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    var s = settings
                    s.processors = registry.table
                    _ = try Pipeline.configure(
                        channel, limits: limits, settings: s,
                        remoteAddress: channel.remoteAddress?.hostPort ?? "?", opaques: opaques)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            state.withLock { $0.phase = .idle }
            throw error
        }
        let port = channel.localAddress?.port ?? configuration.port
        state.withLock { s in
            s.serverChannel = channel
            s.boundPort = port
            s.phase = .running
        }
        logger.info("remoting server listening on \(configuration.host):\(port)")
        return port
    }

    /// The bound port, once started.
    public var port: Int? { state.withLock { $0.boundPort } }

    /// The open connections.
    public var connections: [RemotingConnection] { state.withLock { Array($0.connections) } }

    private func connectionEvent(_ connection: RemotingConnection, _ event: ConnectionEvent) {
        let drainNow: Bool = state.withLock { s in
            switch event {
            case .connected:
                s.connections.insert(connection)
                return s.phase == .shuttingDown || s.phase == .stopped
            case .closed:
                s.connections.remove(connection)
            case .idle, .exception:
                break
            }
            return false
        }
        if drainNow { connection.onLoop { $0.beginDrain() } }
        registry.listener?(connection, event)
    }

    /// Stops accepting, lets every connection finish its in-flight requests
    /// (new requests meanwhile get SYSTEM_BUSY), closes each connection once its
    /// responses are written, and force-closes what is left after `gracePeriod`.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let serverChannel: (any Channel)? = state.withLock { s in
            guard s.phase != .shuttingDown && s.phase != .stopped else { return nil }
            s.phase = .shuttingDown
            return s.serverChannel
        }
        // Drain first, then stop listening: a connection accepted in between
        // sees the shutting-down phase in its `.connected` event and drains too.
        let connections = state.withLock { Array($0.connections) }
        for c in connections { c.onLoop { $0.beginDrain() } }
        try? await serverChannel?.close()
        let drained = await withTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                for c in connections { try? await c.channel.closeFuture.get() }
                return true
            }
            tasks.addTask {
                try? await Task.sleep(for: gracePeriod)
                return false
            }
            let first = await tasks.next() ?? true
            if !first {
                for c in connections where c.isActive { c.channel.close(promise: nil) }
            }
            tasks.cancelAll()
            await tasks.waitForAll()
            return first
        }
        if !drained { logger.warning("shutdown: grace period over, closed connections with requests in flight") }
        state.withLock { $0.phase = .stopped }
        if ownsGroup { try? await group.shutdownGracefully() }
        logger.info("remoting server stopped")
    }
}
