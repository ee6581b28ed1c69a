import NIOCore
import Protocol
import Synchronization

/// One TCP connection speaking the remoting protocol, on either side: the
/// client's connection to a server, or a server's accepted connection from a
/// client. Both directions can carry requests, so a broker pushes
/// NOTIFY_CONSUMER_IDS_CHANGED or CHECK_TRANSACTION_STATE to a client through
/// the connection its requests came on (``RemotingContext/connection``).
///
/// Compared and hashed by identity, so it can key a table of clients.
public final class RemotingConnection: Sendable, Hashable, CustomStringConvertible {
    /// The peer, `ip:port`.
    public let remoteAddress: String
    let channel: any Channel
    let handler: NIOLoopBound<RemotingChannelHandler>
    let opaques: OpaqueGenerator
    /// Requests from other threads waiting for the event loop (see ``Outbox``);
    /// the handler's own, which it drains even after the channel closed.
    let outbox: Outbox
    /// The serialisation of the last request received (JSON until one arrives):
    /// requests pushed to the peer should use it, since the C++ client reads JSON only.
    private let peerSerialize = Atomic<UInt8>(SerializeType.json.rawValue)

    init(channel: any Channel, handler: RemotingChannelHandler, remoteAddress: String, opaques: OpaqueGenerator) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        outbox = handler.outbox
        self.remoteAddress = remoteAddress
        self.opaques = opaques
    }

    public var eventLoop: any EventLoop { channel.eventLoop }
    /// False once the connection is closed (or closing).
    public var isActive: Bool { channel.isActive }
    /// The serialisation the peer used last (see above).
    public var peerSerializeType: SerializeType {
        SerializeType(rawValue: peerSerialize.load(ordering: .relaxed)) ?? .json
    }

    func notePeerSerializeType(_ t: SerializeType) {
        if peerSerialize.load(ordering: .relaxed) != t.rawValue { peerSerialize.store(t.rawValue, ordering: .relaxed) }
    }

    /// Runs `body` with the handler on the event loop (at once when already there).
    func onLoop(_ body: @escaping @Sendable (RemotingChannelHandler) -> Void) {
        if channel.eventLoop.inEventLoop {
            body(handler.value)
        } else {
            let handler = self.handler
            channel.eventLoop.execute { body(handler.value) }
        }
    }

    /// Sends `request` and waits for its response (whatever its code; see
    /// ``RemotingCommand/requireSuccess(_:)``). A fresh opaque is assigned and the
    /// response bit cleared; the serialisation is the request's.
    /// - Throws: ``RemotingError/timeout(address:code:milliseconds:)`` when no
    ///   response came within `timeout` (its slot is released and a late response
    ///   dropped), ``RemotingError/channelClosed(address:)``, ``RemotingError/encodeFailed(_:)``,
    ///   ``RemotingError/cancelled``.
    public func invoke(_ request: RemotingCommand, timeout: Duration) async throws(RemotingError) -> RemotingCommand {
        let prepared = prepare(request, timeout: timeout)
        let opaque = prepared.opaque
        let result = await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<RemotingCommand, RemotingError>, Never>) in
                submit(prepared.request, timeout: prepared.timeout, waiter: .continuation(continuation))
            }
        } onCancel: {
            onLoop { $0.cancelPending(opaque) }
        }
        return try result.get()
    }

    /// Sends `request` and calls `onResponse` with its response (whatever its
    /// code), a timeout or a connection failure — exactly once, **on the
    /// connection's event loop**: keep it short and never block in it. Returns
    /// at once; no task is created. Requests queued by one thread go out in order.
    public func invoke(_ request: RemotingCommand, timeout: Duration,
                       onResponse: @escaping @Sendable (Result<RemotingCommand, RemotingError>) -> Void) {
        let prepared = prepare(request, timeout: timeout)
        submit(prepared.request, timeout: prepared.timeout, waiter: .callback(onResponse))
    }

    /// A fresh opaque, the request flags cleared, and the deadline.
    private func prepare(_ request: RemotingCommand, timeout: Duration)
        -> (request: RemotingCommand, opaque: Int32, timeout: (deadline: NIODeadline, milliseconds: Int64))
    {
        var request = request
        request.opaque = opaques.make()
        request.flag &= ~(RemotingCommand.Flag.response | RemotingCommand.Flag.oneway)
        let amount = TimeAmount(timeout)
        return (request, request.opaque, (NIODeadline.now() + amount, amount.nanoseconds / 1_000_000))
    }

    /// Queues the request for the event loop; the first one into an empty
    /// outbox schedules the drain (see ``Outbox``).
    private func submit(_ request: RemotingCommand, timeout: (deadline: NIODeadline, milliseconds: Int64),
                        waiter: ResponseWaiter) {
        let item = OutgoingRequest(command: request, deadline: timeout.deadline, timeoutMilliseconds: timeout.milliseconds,
                                   waiter: waiter)
        guard outbox.put(item) else { return }
        let handler = self.handler
        channel.eventLoop.execute { handler.value.drainOutbox() }
    }

    /// Sends `request` as a one-way request (flag bit 1; the peer does not
    /// answer) and returns once it is written to the socket.
    public func invokeOneway(_ request: RemotingCommand) async throws(RemotingError) {
        var request = request
        request.opaque = opaques.make()
        request.flag = (request.flag & ~RemotingCommand.Flag.response) | RemotingCommand.Flag.oneway
        let sending = request
        let result = await withUnsafeContinuation { (continuation: UnsafeContinuation<RemotingError?, Never>) in
            onLoop { $0.sendOneway(sending, continuation: continuation) }
        }
        if let result { throw result }
    }

    /// Closes the connection; pending requests fail with ``RemotingError/channelClosed(address:)``.
    public func close() async {
        try? await channel.close()
    }

    public static func == (a: RemotingConnection, b: RemotingConnection) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    public var description: String { "RemotingConnection(\(remoteAddress))" }
}
