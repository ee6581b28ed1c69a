import Protocol
import Synchronization

/// Processor registration and the connection listener, shared by
/// ``RemotingServer`` and ``RemotingClient``. Each new connection takes a
/// snapshot, so registrations made later apply to later connections only:
/// register before `start()` / the first request.
final class Registry: Sendable {
    private struct State {
        var table = ProcessorTable()
        var listener: ConnectionEventListener?
    }
    private let state = Mutex(State())

    func register(_ code: RequestCode, _ entry: ProcessorEntry) {
        state.withLock { $0.table.byCode[code.rawValue] = entry }
    }

    func registerDefault(_ entry: ProcessorEntry) {
        state.withLock { $0.table.fallback = entry }
    }

    func setListener(_ listener: ConnectionEventListener?) {
        state.withLock { $0.listener = listener }
    }

    var table: ProcessorTable { state.withLock { $0.table } }
    var listener: ConnectionEventListener? { state.withLock { $0.listener } }
}

/// Registration calls common to server and client.
public protocol ProcessorRegistering {
    /// Handles requests with `code` in a `Task` each.
    func register(_ code: RequestCode, _ processor: some RemotingProcessor)
    /// Handles requests with `code` on the event loop.
    func register(_ code: RequestCode, inline processor: some RemotingInlineProcessor)
    /// Handles every code without its own processor (instead of REQUEST_CODE_NOT_SUPPORTED).
    func registerDefault(_ processor: some RemotingProcessor)
    func registerDefault(inline processor: some RemotingInlineProcessor)
    /// Receives connection events (see ``ConnectionEvent``).
    func setConnectionListener(_ listener: ConnectionEventListener?)
}

protocol HasRegistry: ProcessorRegistering {
    var registry: Registry { get }
}

extension HasRegistry {
    public func register(_ code: RequestCode, _ processor: some RemotingProcessor) {
        registry.register(code, .async(processor))
    }
    public func register(_ code: RequestCode, inline processor: some RemotingInlineProcessor) {
        registry.register(code, .inline(processor))
    }
    public func registerDefault(_ processor: some RemotingProcessor) {
        registry.registerDefault(.async(processor))
    }
    public func registerDefault(inline processor: some RemotingInlineProcessor) {
        registry.registerDefault(.inline(processor))
    }
    public func setConnectionListener(_ listener: ConnectionEventListener?) {
        registry.setListener(listener)
    }
}
