import Logging
import NIOCore
import Protocol
import Remoting
import Synchronization

/// What a producer or consumer owns under the hood: the connection pool, the
/// route cache, its periodic tasks and its running state.
final class ClientCore: Sendable {
    let options: ClientOptions
    let remoting: RemotingClient
    let routes: RouteCache
    let logger: Logger

    private struct State {
        var running = false
        var stopped = false
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())

    init(options: ClientOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        var config = RemotingClient.Configuration()
        config.serializeType = options.serializeType
        remoting = RemotingClient(configuration: config, group: options.eventLoopGroup, logger: logger)
        routes = RouteCache(remoting: remoting, options: options)
    }

    var isRunning: Bool { state.withLock { $0.running } }

    /// Marks the client running. - Throws: ``ClientError/illegalState(_:)`` if started before.
    func markStarted() throws(ClientError) {
        try state.withLock { s throws(ClientError) in
            guard !s.running && !s.stopped else { throw .illegalState("already started (a client starts once)") }
            s.running = true
        }
    }

    /// Fails unless running.
    func checkRunning() throws(ClientError) {
        guard isRunning else { throw .shutDown }
    }

    /// Runs `body` now and then every `interval` until shutdown.
    func every(_ interval: Duration, runNow: Bool = false, _ body: @escaping @Sendable () async -> Void) {
        let task = Task(executorPreference: options.taskExecutor) {
            if runNow { await body() }
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await body()
            }
        }
        let keep = state.withLock { s in
            guard !s.stopped else { return false }
            s.tasks.append(task)
            return true
        }
        if !keep { task.cancel() }
    }

    /// Starts the route refresh timer.
    func startRouteRefresh() {
        every(options.routeRefreshInterval) { [routes, logger] in await routes.refreshAll(logger: logger) }
    }

    /// Stops the timers (returns at once); the connections stay until ``close()``.
    /// - Returns: false if it was not running.
    func markStopped() -> Bool {
        let (was, tasks) = state.withLock { s in
            defer { s.running = false; s.stopped = true; s.tasks = [] }
            return (s.running, s.tasks)
        }
        for t in tasks { t.cancel() }
        return was
    }

    /// Waits `duration`: on a timer of the shared event loops when the options
    /// name them (cheaper than a dispatch timer when many consumers pause often).
    func sleep(for duration: Duration) async throws {
        guard let group = options.eventLoopGroup else { return try await Task.sleep(for: duration) }
        let nanos = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            group.next().scheduleTask(in: .nanoseconds(nanos)) { c.resume() }
        }
        try Task.checkCancellation()
    }

    /// Closes every connection.
    func close() async { await remoting.shutdown() }

    /// Sends `request` to `address`, mapping failures to ``ClientError``.
    func invoke(_ request: RemotingCommand, to address: String, timeout: Duration? = nil) async throws(ClientError)
        -> RemotingCommand
    {
        do {
            return try await remoting.invoke(request, to: address, timeout: timeout ?? options.requestTimeout)
        } catch { throw ClientError(error) }
    }

    /// A request with this client's serialisation.
    func request(_ code: RequestCode, header: some CommandHeader, body: ByteBuffer? = nil, oneway: Bool = false)
        -> RemotingCommand
    {
        .request(code, header: header, body: body, opaque: 0, oneway: oneway, serializeType: options.serializeType)
    }

    /// The master address of `brokerName`, refreshing `topic`'s route once if unknown.
    func masterAddress(_ brokerName: String, topic: String) async throws(ClientError) -> String {
        if let a = routes.brokerAddress(brokerName) { return a }
        try await routes.refresh(topic)
        guard let a = routes.brokerAddress(brokerName) else { throw .brokerNotFound(brokerName) }
        return a
    }
}

extension ClientCore {
    /// HEART_BEAT with `data` to every known broker; failures are logged.
    func sendHeartbeat(_ data: HeartbeatData) async {
        for address in routes.allBrokerAddresses {
            let request = RemotingCommand.request(.heartBeat, body: data.bodyBuffer(), opaque: 0, serializeType: options.serializeType)
            do { _ = try await invoke(request, to: address).require() } catch {
                logger.warning("heartbeat to \(address) failed: \(error)")
            }
        }
    }

    /// UNREGISTER_CLIENT for a producer or consumer group to every known broker.
    func unregister(producerGroup: String? = nil, consumerGroup: String? = nil) async {
        let header = UnregisterClientRequestHeader(clientID: options.clientID, producerGroup: producerGroup, consumerGroup: consumerGroup)
        for address in routes.allBrokerAddresses {
            _ = try? await invoke(request(.unregisterClient, header: header), to: address)
        }
    }
}
