import Protocol

/// Everything a remoting call can fail with. A caller can always tell whether
/// the request may have reached the peer (``timeout``, ``channelClosed``) or
/// certainly did not (``connectFailed``, ``invalidAddress``, ``encodeFailed``).
public enum RemotingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address is not `host:port`.
    case invalidAddress(String)
    /// The TCP connection could not be established (refused, unreachable, connect timeout).
    case connectFailed(address: String, reason: String)
    /// No response within the request's timeout. The late response, if any, is dropped.
    case timeout(address: String, code: Int32, milliseconds: Int64)
    /// The connection closed before the response arrived (or was closed when the call began).
    case channelClosed(address: String)
    /// The request could not be put on the wire (e.g. a header over 16 MiB).
    case encodeFailed(ProtocolError)
    /// The peer answered with a non-success code (see ``RemotingCommand/requireSuccess(_:)``).
    case remote(code: ResponseCode, remark: String?)
    /// The waiting task was cancelled; the response, if it comes, is dropped.
    case cancelled
    /// The client or server is shut down.
    case shutdown

    public var description: String {
        switch self {
        case .invalidAddress(let a): "invalid address '\(a)' (expected host:port)"
        case .connectFailed(let a, let why): "connect to \(a) failed: \(why)"
        case .timeout(let a, let code, let ms): "request \(RequestCode(code)) to \(a) timed out after \(ms) ms"
        case .channelClosed(let a): "connection to \(a) closed"
        case .encodeFailed(let e): "cannot encode request: \(e)"
        case .remote(let code, let remark): "remote error \(code): \(remark ?? "")"
        case .cancelled: "cancelled"
        case .shutdown: "shut down"
        }
    }
}

extension RemotingCommand {
    /// `self` when its code is one of `accepted` (SUCCESS by default), else
    /// ``RemotingError/remote(code:remark:)`` with the peer's code and remark.
    public func requireSuccess(_ accepted: Set<ResponseCode> = [.success]) throws(RemotingError) -> RemotingCommand {
        guard accepted.contains(responseCode) else { throw .remote(code: responseCode, remark: remark) }
        return self
    }
}
