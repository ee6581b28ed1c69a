import NIOCore
import Protocol
import Synchronization

/// Who waits for a response: a suspended task, or a callback run on the
/// connection's event loop.
enum ResponseWaiter: Sendable {
    case continuation(UnsafeContinuation<Result<RemotingCommand, RemotingError>, Never>)
    case callback(@Sendable (Result<RemotingCommand, RemotingError>) -> Void)

    func resume(_ result: Result<RemotingCommand, RemotingError>) {
        switch self {
        case .continuation(let c): c.resume(returning: result)
        case .callback(let f): f(result)
        }
    }
}

/// A request on its way to the event loop, with what the pending table needs.
struct OutgoingRequest: Sendable {
    var command: RemotingCommand
    var deadline: NIODeadline
    var timeoutMilliseconds: Int64
    var waiter: ResponseWaiter
}

/// Requests handed to a connection from other threads. The first one put into
/// an empty box schedules a drain on the event loop; the ones put before that
/// drain runs ride along, so a pipelined sender costs one event-loop hop and
/// one flush per burst rather than per request.
final class Outbox: Sendable {
    private let items = Mutex<[OutgoingRequest]>([])

    /// - Returns: true when the box was empty, i.e. the caller must schedule a drain.
    func put(_ request: OutgoingRequest) -> Bool {
        items.withLock { list in
            list.append(request)
            return list.count == 1
        }
    }

    /// Everything queued, in order; the box is empty afterwards.
    func takeAll() -> [OutgoingRequest] {
        items.withLock { list in
            var taken: [OutgoingRequest] = []
            swap(&taken, &list)
            return taken
        }
    }
}
