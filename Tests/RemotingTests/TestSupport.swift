import Foundation
import NIOCore
import NIOPosix
import Protocol
import Synchronization
import Testing

@testable import Remoting


/// A request with one ext field, for echo round trips.
func request(_ code: RequestCode = .init(9001), field: String = "x", body: [UInt8]? = nil, oneway: Bool = false)
    -> RemotingCommand
{
    var e = ExtFields()
    e.append("k", field)
    return RemotingCommand(
        code: code.rawValue, flag: oneway ? RemotingCommand.Flag.oneway : 0, extFields: e,
        body: body.map { ByteBuffer(bytes: $0) })
}

/// Echoes the ext fields and body, on the event loop.
struct EchoProcessor: RemotingInlineProcessor {
    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        .response(.command(request.response(.success, remark: "echo", extFields: request.extFields, body: request.body)))
    }
}

/// Echoes after an `await`, from a Task.
struct AsyncEchoProcessor: RemotingProcessor {
    func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
        await Task.yield()
        return .command(request.response(.success, extFields: request.extFields, body: request.body))
    }
}

/// Things a test shares with its processors and listeners.
final class Recorder<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func append(_ t: T) { items.withLock { $0.append(t) } }
    var all: [T] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}

/// A gate a processor waits at until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    private let arrivals = Atomic<Int>(0)

    var arrived: Int { arrivals.load(ordering: .relaxed) }

    func wait() async {
        arrivals.add(1, ordering: .relaxed)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }
}

/// A started server on 127.0.0.1 with an ephemeral port.
func startServer(
    idle: TimeAmount? = nil, configure: (RemotingServer) -> Void = { _ in }
) async throws -> (RemotingServer, String) {
    var config = RemotingServer.Configuration(host: "127.0.0.1", port: 0)
    config.limits.idleTimeout = idle
    config.eventLoopThreads = 2
    let server = RemotingServer(configuration: config)
    configure(server)
    let port = try await server.start()
    return (server, "127.0.0.1:\(port)")
}

/// A raw TCP peer that writes arbitrary bytes and collects what comes back.
final class RawPeer: Sendable {
    let channel: any Channel
    private let box: Box

    private final class Box: Sendable {
        let bytes = Mutex(ByteBuffer())
        func append(_ b: ByteBuffer) { bytes.withLock { var b = b; $0.writeBuffer(&b) } }
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let box: Box
        init(_ box: Box) { self.box = box }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { box.append(unwrapInboundIn(data)) }
    }

    init(address: String, group: any EventLoopGroup) async throws {
        let parts = address.split(separator: ":")
        let box = Box()
        self.box = box
        channel = try await ClientBootstrap(group: group)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Collector(box)) }
            }
            .connect(host: String(parts[0]), port: Int(parts[1]) ?? 0).get()
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Frames received so far, decoded.
    var responses: [RemotingCommand] {
        var buf = box.bytes.withLock { $0 }
        var out: [RemotingCommand] = []
        while let r = try? FrameCodec.decode(&buf), case .success(let c) = r { out.append(c) }
        return out
    }

    var isActive: Bool { channel.isActive }
}

/// Frame bytes: length prefix, type/header-length word, header, body.
func rawFrame(type: UInt8, header: [UInt8], body: [UInt8] = []) -> [UInt8] {
    var b = ByteBuffer()
    b.writeInteger(Int32(4 + header.count + body.count))
    b.writeInteger(UInt32(type) << 24 | UInt32(header.count))
    b.writeBytes(header)
    b.writeBytes(body)
    return Array(b.readableBytesView)
}
