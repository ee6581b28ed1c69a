import Protocol
import Remoting

/// Every error the client library throws.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No NameServer knows the topic (TOPIC_NOT_EXIST), or its route has no usable queue.
    case routeNotFound(topic: String, remark: String?)
    /// No NameServer address was configured, or none answered.
    case nameServerUnavailable(String)
    /// A broker (or NameServer) answered with a non-success code.
    case broker(code: ResponseCode, remark: String?)
    /// The broker named in a route has no known address.
    case brokerNotFound(String)
    /// No response within the timeout.
    case timeout(String)
    /// A network failure (connect failed, connection closed...).
    case network(String)
    /// The message body is empty or larger than the configured maximum.
    case messageTooLarge(size: Int, max: Int)
    /// The message is not valid (empty body, bad batch...).
    case illegalMessage(String)
    /// The topic name is empty, too long, or has characters outside `[%|a-zA-Z0-9_-]`.
    case illegalTopic(String)
    /// A response could not be decoded.
    case malformedResponse(String)
    /// The producer or consumer is not started, or was shut down.
    case shutDown
    /// A misuse of the API (e.g. subscribing after start).
    case illegalState(String)

    public var description: String {
        switch self {
        case .routeNotFound(let t, let r): "no route for topic '\(t)'\(r.map { ": \($0)" } ?? "")"
        case .nameServerUnavailable(let why): "no NameServer available: \(why)"
        case .broker(let code, let remark): "broker error \(code): \(remark ?? "")"
        case .brokerNotFound(let name): "no address for broker '\(name)'"
        case .timeout(let what): "timed out: \(what)"
        case .network(let what): "network error: \(what)"
        case .messageTooLarge(let size, let max): "message body is \(size) bytes, over the limit of \(max)"
        case .illegalMessage(let why): "illegal message: \(why)"
        case .illegalTopic(let why): "illegal topic: \(why)"
        case .malformedResponse(let why): "malformed response: \(why)"
        case .shutDown: "the client is not running"
        case .illegalState(let why): "illegal state: \(why)"
        }
    }

    /// Maps a remoting failure.
    init(_ e: RemotingError) {
        switch e {
        case .timeout: self = .timeout(e.description)
        case .remote(let code, let remark): self = .broker(code: code, remark: remark)
        case .shutdown: self = .shutDown
        default: self = .network(e.description)
        }
    }

    /// Maps a decoding failure.
    init(_ e: ProtocolError) { self = .malformedResponse("\(e)") }

    /// Whether a sync send is retried on another queue after this error (RocketMQ §9: remoting
    /// failures and the broker codes in `retryableCodes`). SYSTEM_BUSY (flow control) is retried
    /// as in RocketMQ 5 (`DefaultMQProducer.retryResponseCodes`; 4.x did not): the retry goes to
    /// another broker when there is one, so one overloaded broker does not fail the send.
    var isRetryableForSend: Bool {
        switch self {
        case .timeout, .network, .brokerNotFound: true
        case .broker(let code, _): Self.retryableCodes.contains(code)
        default: false
        }
    }

    static let retryableCodes: Set<ResponseCode> = [
        .topicNotExist, .serviceNotAvailable, .systemError, .systemBusy, .noPermission, .noBuyerId, .notInCurrentUnit,
    ]
}

extension RemotingCommand {
    /// `self` if its code is in `accepted`, else ``ClientError/broker(code:remark:)``.
    func require(_ accepted: ResponseCode...) throws(ClientError) -> RemotingCommand {
        let ok = accepted.isEmpty ? [.success] : accepted
        guard ok.contains(responseCode) else { throw .broker(code: responseCode, remark: remark) }
        return self
    }

    func header<H: CommandHeader>(_: H.Type) throws(ClientError) -> H {
        do { return try decodeHeader(H.self) } catch { throw ClientError(error) }
    }
}
