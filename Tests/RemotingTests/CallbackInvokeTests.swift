import Foundation
import NIOCore
import Protocol
import Synchronization
import TestSupport
import Testing

@testable import Remoting

/// `invoke(_:to:timeout:onResponse:)`: requests through the connection's
/// outbox, answered by a callback on the event loop (no task per request).
@Suite(.timeLimit(.minutes(1))) struct CallbackInvokeTests {
    /// Collects callback results and signals when `expected` arrived.
    final class Answers: Sendable {
        let expected: Int
        private let items = Mutex<[(Int, Result<RemotingCommand, RemotingError>, Bool)]>([])
        private let (stream, done) = AsyncStream<Void>.makeStream()
        init(expected: Int) { self.expected = expected }

        /// Records answer `i`, and whether it ran on `loop`.
        func add(_ i: Int, _ r: Result<RemotingCommand, RemotingError>, onLoop: Bool) {
            let n = items.withLock { $0.append((i, r, onLoop)); return $0.count }
            if n == expected { done.yield(); done.finish() }
        }

        func wait() async { for await _ in stream { break } }
        var all: [(Int, Result<RemotingCommand, RemotingError>, Bool)] { items.withLock { $0 } }
    }

    @Test func pipelinedCallbacksCorrelateInOrderOnTheEventLoop() async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        let client = RemotingClient()
        // The first call connects (the pool has no ready connection yet), the rest ride the outbox.
        _ = try await client.invoke(request(field: "warm"), to: address)
        let connection = try await client.connection(to: address)
        let n = 3000
        let answers = Answers(expected: n)
        for i in 0..<n {
            client.invoke(request(field: "n\(i)", body: [UInt8(i & 0xFF)]), to: address, timeout: .seconds(10)) { r in
                answers.add(i, r, onLoop: connection.eventLoop.inEventLoop)
            }
        }
        await answers.wait()
        let all = answers.all
        #expect(all.count == n)
        #expect(all.map(\.0) == Array(0..<n), "one sender's requests are answered in the order sent")
        for (i, r, onLoop) in all {
            #expect(onLoop)
            let c = try r.get()
            #expect(c.extFields["k"] == "n\(i)" && c.body.map { Array($0.readableBytesView) } == [UInt8(i & 0xFF)])
        }
        #expect(server.connections.count == 1)
        await client.shutdown()
        await server.shutdown()
    }

    @Test func callbackWithoutAConnectionConnectsFirst() async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        let client = RemotingClient()
        let answers = Answers(expected: 1)
        client.invoke(request(field: "first"), to: address, timeout: .seconds(10)) { answers.add(0, $0, onLoop: true) }
        await answers.wait()
        #expect(try answers.all[0].1.get().extFields["k"] == "first")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func aCallbackMaySendTheNextRequest() async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        let client = RemotingClient()
        _ = try await client.invoke(request(field: "warm"), to: address)
        let answers = Answers(expected: 50)
        // Each answer sends the next request from inside the callback (on the event loop).
        @Sendable func chain(_ i: Int) {
            client.invoke(request(field: "c\(i)"), to: address, timeout: .seconds(10)) { r in
                answers.add(i, r, onLoop: true)
                if i + 1 < 50 { chain(i + 1) }
            }
        }
        chain(0)
        await answers.wait()
        #expect(answers.all.map { try? $0.1.get().extFields["k"] } == (0..<50).map { "c\($0)" })
        await client.shutdown()
        await server.shutdown()
    }

    @Test func timeoutsAndClosedConnectionsAreTypedErrors() async throws {
        struct Parking: RemotingInlineProcessor {
            func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome { .deferred }
        }
        let (server, address) = try await startServer {
            $0.register(.init(9001), inline: EchoProcessor())
            $0.register(.init(9003), inline: Parking())
        }
        let client = RemotingClient()
        _ = try await client.invoke(request(field: "warm"), to: address)
        let timedOut = Answers(expected: 1)
        client.invoke(request(.init(9003)), to: address, timeout: .milliseconds(200)) { timedOut.add(0, $0, onLoop: true) }
        await timedOut.wait()
        guard case .failure(.timeout(let a, let code, _)) = timedOut.all[0].1 else {
            Issue.record("expected a timeout, got \(timedOut.all[0].1)")
            return
        }
        #expect(a == address && code == 9003)

        // Parked requests fail with channelClosed when the connection goes away.
        let closed = Answers(expected: 3)
        for i in 0..<3 {
            client.invoke(request(.init(9003)), to: address, timeout: .seconds(30)) { closed.add(i, $0, onLoop: true) }
        }
        await client.closeConnection(to: address)
        await closed.wait()
        for (_, r, _) in closed.all {
            guard case .failure(.channelClosed) = r else { Issue.record("expected channelClosed, got \(r)"); continue }
        }
        await client.shutdown()
        await server.shutdown()
    }
}
