import NIOCore
import Protocol

/// Handles requests of one or more codes, off the event loop: each request runs
/// in its own `Task`, so `process` may await (the store, another broker).
///
/// Return nil for no response (one-way requests get none whatever is returned).
/// A thrown error becomes a SYSTEM_ERROR response whose remark is the error's
/// description, as RocketMQ answers a processor exception; a `ProtocolError`
/// from decoding a typed header is the usual case.
public protocol RemotingProcessor: Sendable {
    func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse?
}

/// Handles requests on the connection's event loop, without a `Task` per
/// request: for work that never blocks (table look-ups under a short lock), or
/// that completes from a callback. Answer now with `.response(...)`, or return
/// `.deferred` and call ``RemotingContext/reply(_:)`` exactly once later, from
/// any thread (long polling parks requests this way).
public protocol RemotingInlineProcessor: Sendable {
    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome
}

/// The result of ``RemotingInlineProcessor/process(_:context:)``.
public enum InlineOutcome: Sendable {
    /// Answer now; nil = no response.
    case response(RemotingResponse?)
    /// The processor will call ``RemotingContext/reply(_:)`` later.
    case deferred
}

/// What a processor knows about the request it is handling, and how it answers
/// one that it deferred.
public struct RemotingContext: Sendable {
    /// The connection the request came on; also the way to push requests back
    /// to that peer (``RemotingConnection/invoke(_:timeout:)``).
    public let connection: RemotingConnection
    /// The request's id, serialisation and one-way bit: the response gets the
    /// same opaque and serialisation whatever the processor put in it.
    public let opaque: Int32
    public let serializeType: SerializeType
    public let isOneway: Bool

    /// Answers the request (nil = no response) and ends its in-flight slot.
    /// Call exactly once, from any thread; only for deferred inline requests
    /// (async processors answer by returning).
    public func reply(_ response: RemotingResponse?) {
        connection.onLoop { $0.complete(self, response) }
    }
}

extension RemotingContext {
    /// Answers several deferred requests (each exactly once, as ``reply(_:)``)
    /// with one hop to each connection's event loop and one flush per
    /// connection, instead of one of each per request: for a worker that
    /// completes requests in bursts (the broker's send threads).
    public static func reply(all answers: [(RemotingContext, RemotingResponse?)]) {
        guard let first = answers.first else { return }
        if answers.allSatisfy({ $0.0.connection === first.0.connection }) {
            first.0.connection.onLoop { $0.complete(batch: answers) }
            return
        }
        var order: [RemotingConnection] = []
        var groups: [ObjectIdentifier: [(RemotingContext, RemotingResponse?)]] = [:]
        for a in answers {
            let id = ObjectIdentifier(a.0.connection)
            if groups[id] == nil { order.append(a.0.connection) }
            groups[id, default: []].append(a)
        }
        for c in order {
            let list = groups[ObjectIdentifier(c)] ?? []
            c.onLoop { $0.complete(batch: list) }
        }
    }
}

/// Either kind of processor, as the dispatch table stores it.
enum ProcessorEntry: Sendable {
    case async(any RemotingProcessor)
    case inline(any RemotingInlineProcessor)
}

/// The dispatch table by request code, fixed per connection (a snapshot taken
/// when it is set up), so look-ups need no lock.
struct ProcessorTable: Sendable {
    var byCode: [Int32: ProcessorEntry] = [:]
    var fallback: ProcessorEntry?

    func lookup(_ code: Int32) -> ProcessorEntry? { byCode[code] ?? fallback }
}
