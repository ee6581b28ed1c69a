import Logging
import NIOCore
import NIOPosix
import Protocol
import Synchronization

/// A remoting client: one pooled connection per address (reconnected on the
/// next call after it closes), request/response with timeouts, one-way sends,
/// and processors for requests the server pushes (NOTIFY_CONSUMER_IDS_CHANGED,
/// CHECK_TRANSACTION_STATE).
///
/// ```swift
/// let client = RemotingClient()
/// let response = try await client.invoke(.request(.getRouteInfoByTopic, header: h, opaque: 0),
///                                         to: "127.0.0.1:9876", timeout: .seconds(3))
/// ```
public final class RemotingClient: Sendable, HasRegistry {
    public struct Configuration: Sendable {
        /// RocketMQ's `connectTimeoutMillis`, 3000.
        public var connectTimeout: Duration = .seconds(3)
        public var limits = ChannelLimits()
        /// The header serialisation applied to every request sent through the
        /// client (ROCKETMQ binary by default, the compact one); nil = each
        /// request's own `serializeType`.
        public var serializeType: SerializeType? = .rocketMQ
        /// Event-loop threads when the client makes its own group (RocketMQ's client uses one).
        public var eventLoopThreads = 1

        public init() {}
    }

    private enum Entry {
        case connecting(EventLoopFuture<RemotingConnection>)
        case ready(RemotingConnection)
    }

    private struct State {
        var pool: [String: Entry] = [:]
        var closed = false
    }

    public let configuration: Configuration
    let registry = Registry()
    private let state = Mutex(State())
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let opaques = OpaqueGenerator()
    private let logger: Logger

    /// - Parameter group: the event loops to use; nil = a group of
    ///   `configuration.eventLoopThreads` threads owned by the client.
    public init(configuration: Configuration = Configuration(), group: (any EventLoopGroup)? = nil, logger: Logger? = nil) {
        self.configuration = configuration
        (self.group, ownsGroup) = EventLoops.use(group, orMake: configuration.eventLoopThreads)
        self.logger = logger ?? Logger(label: "peakmq.remoting.client")
    }

    /// The pooled connection to `address` (`host:port`), connecting when there
    /// is none or the last one closed. Concurrent callers share one attempt.
    public func connection(to address: String) async throws(RemotingError) -> RemotingConnection {
        enum Found { case ready(RemotingConnection), pending(EventLoopFuture<RemotingConnection>) }
        // The common case, a live pooled connection, returns without suspending: a
        // burst of requests then reaches the channel in one event-loop pass and
        // leaves in one write.
        let found: Found = try state.withLock { s throws(RemotingError) in
            guard !s.closed else { throw .shutdown }
            switch s.pool[address] {
            case .ready(let c) where c.isActive:
                return .ready(c)
            case .connecting(let f):
                return .pending(f)
            default:
                let f = connect(try HostPort(address), address: address)
                s.pool[address] = .connecting(f)
                return .pending(f)
            }
        }
        let attempt: EventLoopFuture<RemotingConnection>
        switch found {
        case .ready(let c): return c
        case .pending(let f): attempt = f
        }
        do {
            let connection = try await attempt.get()
            state.withLock { s in
                if case .connecting(let f) = s.pool[address], f == attempt { s.pool[address] = .ready(connection) }
            }
            return connection
        } catch {
            state.withLock { s in
                if case .connecting(let f) = s.pool[address], f == attempt { s.pool[address] = nil }
            }
            if let e = error as? RemotingError { throw e }
            throw .connectFailed(address: address, reason: "\(error)")
        }
    }

    private func connect(_ target: HostPort, address: String) -> EventLoopFuture<RemotingConnection> {
        let loop = group.next()
        let ready = loop.makePromise(of: RemotingConnection.self)
        let settings = ConnectionSettings(
            processors: registry.table,
            events: { [weak self] connection, event in self?.connectionEvent(connection, event, address: address) },
            logger: logger, maxInFlight: configuration.limits.maxInFlightPerConnection)
        let limits = configuration.limits
        let opaques = self.opaques
        let connected = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    ready.succeed(
                        try Pipeline.configure(
                            channel, limits: limits, settings: settings, remoteAddress: address, opaques: opaques))
                }
            }
            .connect(host: target.host, port: target.port)
        connected.whenFailure { ready.fail($0) }
        return connected.flatMap { _ in ready.futureResult }
    }

    private func connectionEvent(_ connection: RemotingConnection, _ event: ConnectionEvent, address: String) {
        if event == .closed {
            state.withLock { s in
                if case .ready(let c) = s.pool[address], c === connection { s.pool[address] = nil }
            }
        }
        registry.listener?(connection, event)
    }

    private func prepare(_ request: RemotingCommand) -> RemotingCommand {
        guard let type = configuration.serializeType, type != request.serializeType else { return request }
        var r = request
        r.serializeType = type
        return r
    }

    /// Sends `request` to `address` and waits for the response (any code; see
    /// ``RemotingCommand/requireSuccess(_:)``).
    public func invoke(
        _ request: RemotingCommand, to address: String, timeout: Duration = .seconds(3)
    ) async throws(RemotingError) -> RemotingCommand {
        let start = ContinuousClock.now
        let connection = try await connection(to: address)
        // The connect counts against the timeout, as in RocketMQ's invokeSync.
        let left = timeout - (ContinuousClock.now - start)
        guard left > .zero else {
            throw .timeout(address: address, code: request.code, milliseconds: timeout.milliseconds)
        }
        return try await connection.invoke(prepare(request), timeout: left)
    }

    /// Sends `request` to `address` and calls `onResponse` exactly once, on the
    /// connection's event loop (see ``RemotingConnection/invoke(_:timeout:onResponse:)``:
    /// keep it short). Returns at once: through the pooled connection when it is
    /// ready, else after connecting in a task (the connect counts against `timeout`).
    public func invoke(
        _ request: RemotingCommand, to address: String, timeout: Duration,
        onResponse: @escaping @Sendable (Result<RemotingCommand, RemotingError>) -> Void
    ) {
        let ready = state.withLock { s -> RemotingConnection? in
            if case .ready(let c) = s.pool[address], c.isActive { return c }
            return nil
        }
        if let ready {
            ready.invoke(prepare(request), timeout: timeout, onResponse: onResponse)
            return
        }
        Task {
            let start = ContinuousClock.now
            do throws(RemotingError) {
                let connection = try await connection(to: address)
                let left = timeout - (ContinuousClock.now - start)
                guard left > .zero else {
                    throw RemotingError.timeout(address: address, code: request.code, milliseconds: timeout.milliseconds)
                }
                connection.invoke(prepare(request), timeout: left, onResponse: onResponse)
            } catch {
                onResponse(.failure(error))
            }
        }
    }

    /// Sends `request` one-way to `address`; returns once it is written.
    public func invokeOneway(_ request: RemotingCommand, to address: String) async throws(RemotingError) {
        try await connection(to: address).invokeOneway(prepare(request))
    }

    /// Closes the pooled connection to `address`, if any.
    public func closeConnection(to address: String) async {
        let entry = state.withLock { $0.pool.removeValue(forKey: address) }
        if case .ready(let c) = entry { await c.close() }
    }

    /// Closes every connection (pending requests fail with
    /// ``RemotingError/channelClosed(address:)``); later calls fail with ``RemotingError/shutdown``.
    public func shutdown() async {
        let entries = state.withLock { s in
            s.closed = true
            let all = Array(s.pool.values)
            s.pool = [:]
            return all
        }
        for e in entries {
            switch e {
            case .ready(let c): await c.close()
            case .connecting(let f): if let c = try? await f.get() { await c.close() }
            }
        }
        if ownsGroup { try? await group.shutdownGracefully() }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
