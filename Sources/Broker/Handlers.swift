import Foundation
import NIOCore
import Protocol
import Remoting

/// An inline processor from a closure. A thrown error (a header that does not
/// decode, a malformed body) becomes a SYSTEM_ERROR response whose remark says
/// what was wrong, as RocketMQ answers a RemotingCommandException.
struct InlineHandler: RemotingInlineProcessor {
    let handle: @Sendable (RemotingCommand, RemotingContext) throws -> InlineOutcome

    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        do {
            return try handle(request, context)
        } catch {
            return .response(.command(request.response(.systemError, remark: "\(error)")))
        }
    }
}

/// An ``InlineHandler`` run on a serial dispatch queue instead of the event
/// loop, for requests that write files: their fsync must not stall the
/// loop's other connections.
struct BlockingHandler: RemotingInlineProcessor {
    let queue: DispatchQueue
    let handle: @Sendable (RemotingCommand, RemotingContext) throws -> InlineOutcome

    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        queue.async { [handle] in
            if case .response(let r) = InlineHandler(handle: handle).process(request, context: context) {
                context.reply(r)
            }
        }
        return .deferred
    }
}

extension RemotingCommand {
    /// `self.response(...)` wrapped as an immediate inline outcome.
    func answer(_ code: ResponseCode, remark: String? = nil, header: (some CommandHeader)? = EmptyHeader?.none,
                body: ByteBuffer? = nil) -> InlineOutcome {
        .response(.command(response(code, remark: remark, extFields: header?.extFields ?? ExtFields(), body: body)))
    }
}
