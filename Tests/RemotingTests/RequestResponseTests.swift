import Foundation
import NIOCore
import NIOPosix
import Protocol
import Synchronization
import TestSupport
import Testing

@testable import Remoting

@Suite(.timeLimit(.minutes(1))) struct RequestResponseTests {
    @Test(arguments: [SerializeType.json, .rocketMQ])
    func roundTripOverTCP(type: SerializeType) async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        var config = RemotingClient.Configuration()
        config.serializeType = type
        let client = RemotingClient(configuration: config)
        let response = try await client.invoke(request(field: "héllo", body: [1, 2, 3]), to: address)
        #expect(response.isResponse)
        #expect(response.responseCode == .success)
        #expect(response.serializeType == type, "the response uses the request's serialisation")
        #expect(response.remark == "echo")
        #expect(response.extFields["k"] == "héllo")
        #expect(response.body.map { Array($0.readableBytesView) } == [1, 2, 3])
        await client.shutdown()
        await server.shutdown()
    }

    @Test func defaultClientSerialisationIsBinary() async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        let client = RemotingClient()
        let response = try await client.invoke(request(), to: address)
        #expect(response.serializeType == .rocketMQ)
        await client.shutdown()
        await server.shutdown()
    }

    @Test func manyConcurrentRequestsCorrelate() async throws {
        let (server, address) = try await startServer {
            $0.register(.init(9001), inline: EchoProcessor())
            $0.register(.init(9002), AsyncEchoProcessor())
        }
        let client = RemotingClient()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<2000 {
                group.addTask {
                    let code = RequestCode(i % 2 == 0 ? 9001 : 9002)
                    let r = try await client.invoke(request(code, field: "n\(i)", body: [UInt8(i & 0xFF)]), to: address)
                    #expect(r.extFields["k"] == "n\(i)")
                    #expect(r.body.map { Array($0.readableBytesView) } == [UInt8(i & 0xFF)])
                }
            }
            try await group.waitForAll()
        }
        #expect(server.connections.count == 1, "one pooled connection carried every request")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func timeoutFiresAndTheLateResponseIsDropped() async throws {
        let parked = Recorder<RemotingContext>()
        struct Parking: RemotingInlineProcessor {
            let parked: Recorder<RemotingContext>
            func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
                parked.append(context)
                return .deferred
            }
        }
        let (server, address) = try await startServer {
            $0.register(.init(9001), inline: EchoProcessor())
            $0.register(.init(9003), inline: Parking(parked: parked))
        }
        let client = RemotingClient()
        let started = ContinuousClock.now
        var outcome: Result<RemotingCommand, RemotingError>
        do {
            outcome = .success(try await client.invoke(request(.init(9003)), to: address, timeout: .milliseconds(300)))
        } catch {
            outcome = .failure(error)
        }
        guard case .failure(.timeout(let a, let code, let ms)) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(a == address && code == 9003 && ms > 0 && ms <= 300)
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(290) && waited < .seconds(3), "fired near its deadline: \(waited)")
        // Answer late: the client must drop it, and the connection must keep working.
        let ctx = try #require(parked.all.first)
        ctx.reply(.command(RemotingCommand(code: 0, opaque: ctx.opaque, flag: 1, remark: "late")))
        let next = try await client.invoke(request(field: "after"), to: address)
        #expect(next.extFields["k"] == "after" && next.remark == "echo")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func onewayRequestsGetNoResponse() async throws {
        let seen = Recorder<String>()
        struct Sink: RemotingInlineProcessor {
            let seen: Recorder<String>
            func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
                seen.append(request.extFields["k"] ?? "")
                #expect(context.isOneway)
                // Whatever a processor returns, a one-way request gets no answer.
                return .response(.command(request.response(.success)))
            }
        }
        let (server, address) = try await startServer { $0.register(.init(9004), inline: Sink(seen: seen)) }
        let peer = try await RawPeer(address: address, group: MultiThreadedEventLoopGroup.singleton)
        var oneway = request(.init(9004), field: "fire", oneway: true)
        oneway.opaque = 5
        try await peer.send(Array(try FrameCodec.encode(oneway).readableBytesView))
        try await eventually("the one-way request is processed") { seen.all == ["fire"] }
        // A normal request after it: its answer is the first and only frame back.
        var normal = request(.init(9999))
        normal.opaque = 6
        try await peer.send(Array(try FrameCodec.encode(normal).readableBytesView))
        try await eventually("an answer to the second request") { peer.responses.count == 1 }
        #expect(peer.responses.map(\.opaque) == [6])

        let client = RemotingClient()
        try await client.invokeOneway(request(.init(9004), field: "client"), to: address)
        try await eventually("the client's one-way request is processed") { seen.all.contains("client") }
        await client.shutdown()
        try await peer.channel.close()
        await server.shutdown()
    }

    @Test func unknownCodeGetsRequestCodeNotSupported() async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        let client = RemotingClient()
        let r = try await client.invoke(request(.init(4242)), to: address)
        #expect(r.responseCode == .requestCodeNotSupported)
        #expect(r.remark?.contains("4242") == true)
        #expect(throws: RemotingError.remote(code: .requestCodeNotSupported, remark: r.remark)) {
            try r.requireSuccess()
        }
        await client.shutdown()
        await server.shutdown()
    }

    @Test func processorErrorsBecomeSystemError() async throws {
        struct Failing: RemotingProcessor {
            func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
                _ = try request.decodeHeader(GetRouteInfoRequestHeader.self)
                return nil
            }
        }
        let (server, address) = try await startServer { $0.register(.getRouteInfoByTopic, Failing()) }
        let client = RemotingClient()
        let r = try await client.invoke(RemotingCommand(code: RequestCode.getRouteInfoByTopic.rawValue), to: address)
        #expect(r.responseCode == .systemError)
        #expect(r.remark?.contains("topic") == true, "remark names the missing field: \(r.remark ?? "")")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func connectFailureAndClosedChannelAreTyped() async throws {
        // A port that was just free: bind, note, close.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        let client = RemotingClient()
        await #expect {
            _ = try await client.invoke(request(), to: "127.0.0.1:\(port)")
        } throws: { error in
            guard case RemotingError.connectFailed(let a, _) = error else { return false }
            return a == "127.0.0.1:\(port)"
        }
        await #expect(throws: RemotingError.invalidAddress("nonsense")) {
            _ = try await client.invoke(request(), to: "nonsense")
        }
        // A request pending when the server goes away fails with channelClosed.
        let gate = Gate()
        struct Waiting: RemotingProcessor {
            let gate: Gate
            func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
                await gate.wait()
                return nil
            }
        }
        let (server, address) = try await startServer { $0.register(.init(9005), Waiting(gate: gate)) }
        let connection = try await client.connection(to: address)
        let pending = Task { try await connection.invoke(request(.init(9005)), timeout: .seconds(20)) }
        try await eventually("the request reached the processor") { gate.arrived == 1 }
        for c in server.connections { await c.close() }
        await #expect(throws: RemotingError.channelClosed(address: address)) { _ = try await pending.value }
        gate.open()
        // The pool reconnects on the next call (new connections see new registrations).
        server.register(.init(9001), inline: EchoProcessor())
        let again = try await client.invoke(request(field: "again"), to: address)
        #expect(again.extFields["k"] == "again")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func serverPushesRequestsToTheClient() async throws {
        let got = Recorder<RemotingCommand>()
        struct ClientSide: RemotingInlineProcessor {
            let got: Recorder<RemotingCommand>
            func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
                got.append(request)
                return .response(.command(request.response(.success, remark: "client saw it")))
            }
        }
        let (server, address) = try await startServer { $0.register(.heartBeat, inline: EchoProcessor()) }
        let client = RemotingClient()
        client.register(.notifyConsumerIdsChanged, inline: ClientSide(got: got))
        client.register(.checkTransactionState, inline: ClientSide(got: got))
        _ = try await client.invoke(RemotingCommand(code: RequestCode.heartBeat.rawValue), to: address)
        let toClient = try #require(server.connections.first)
        #expect(toClient.peerSerializeType == .rocketMQ)
        let answer = try await toClient.invoke(
            RemotingCommand(code: RequestCode.checkTransactionState.rawValue, serializeType: toClient.peerSerializeType),
            timeout: .seconds(3))
        #expect(answer.remark == "client saw it")
        try await toClient.invokeOneway(RemotingCommand(code: RequestCode.notifyConsumerIdsChanged.rawValue))
        try await eventually("the one-way notification reached the client") { got.count == 2 }
        #expect(got.all.map(\.requestCode) == [.checkTransactionState, .notifyConsumerIdsChanged])
        #expect(got.all[1].isOneway)
        await client.shutdown()
        await server.shutdown()
    }
}
