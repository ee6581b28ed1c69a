@testable import Client
import Foundation
import Protocol
import Synchronization
import TestSupport
import Testing

/// `sendAsync` after the route is known: requests go out through the
/// connection's outbox and are completed by a callback (no task per message).
@Suite(.timeLimit(.minutes(1))) struct AsyncSendTests {
    /// Completions in the order they ran, and a signal when `expected` ran.
    final class Completions: Sendable {
        let expected: Int
        private let items = Mutex<[Result<SendResult, ClientError>]>([])
        private let (stream, done) = AsyncStream<Void>.makeStream()
        init(expected: Int) { self.expected = expected }

        func add(_ r: Result<SendResult, ClientError>) {
            let n = items.withLock { $0.append(r); return $0.count }
            if n == expected { done.yield(); done.finish() }
        }

        func wait() async { for await _ in stream { break } }
        var all: [Result<SendResult, ClientError>] { items.withLock { $0 } }
    }

    @Test func windowHoldsWhileTheBrokerStallsAndAnswersKeepTheirOrder() async throws {
        let gate = StallGate()
        // No flow control while the test holds the append, however slow the machine.
        let cluster = try await Cluster.start(configure: {
            $0.brokerFastFailureEnable = false
            $0.store.osPageCacheBusyTimeOutMills = 600_000
        }, gate: gate)
        cluster.createTopic("Window", queues: 1)
        let p = try await cluster.producer { $0.maxInFlightAsync = 4; $0.sendTimeout = .seconds(60) }
        _ = try await p.send(Message(topic: "Window", body: [0]))  // route known: the next sends take the fast path
        gate.close()
        let n = 40
        let done = Completions(expected: n)
        let sender = Task {
            for i in 1...n { try await p.sendAsync(Message(topic: "Window", body: [UInt8(i)])) { done.add($0) } }
        }
        // The broker holds the first append; four sends are in flight and the fifth call waits.
        try await waitUntil { gate.entered == 1 && p.window.waiting == 1 }
        #expect(p.window.inUse == 4)
        gate.open()
        try await sender.value
        await done.wait()
        let offsets = try done.all.map { try $0.get().queueOffset }
        #expect(offsets == Array(1...Int64(n)), "answers complete in the order the sends were made")
        await p.shutdown()
        await cluster.stop()
    }

    @Test func shutdownWaitsForEveryCompletion() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("Drain")
        let p = try await cluster.producer { $0.maxInFlightAsync = 64 }
        _ = try await p.send(Message(topic: "Drain", body: [0]))
        let n = 300
        let done = Completions(expected: n)
        for i in 0..<n { try await p.sendAsync(Message(topic: "Drain", body: Array("d\(i)".utf8))) { done.add($0) } }
        await p.shutdown()
        #expect(done.all.count == n, "every completion ran before shutdown() returned")
        #expect(done.all.allSatisfy { if case .success = $0 { true } else { false } })
        await #expect(throws: ClientError.shutDown) {
            try await p.sendAsync(Message(topic: "Drain", body: [1])) { _ in }
        }
        await cluster.stop()
    }

    @Test func refusalsAreTypedErrorsAfterRetries() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("ReadOnly", queues: 2)
        let p = try await cluster.producer()
        _ = try await p.send(Message(topic: "ReadOnly", body: [0]))
        // The producer still holds a writable route; the broker now refuses writes.
        cluster.broker.topics.update(TopicConfig(topicName: "ReadOnly", readQueueNums: 2, writeQueueNums: 2,
                                                 perm: Perm.read.rawValue))
        let done = Completions(expected: 1)
        try await p.sendAsync(Message(topic: "ReadOnly", body: [1])) { done.add($0) }
        await done.wait()
        guard case .failure(let error) = try #require(done.all.first) else {
            Issue.record("expected a refusal, got \(done.all)")
            return
        }
        switch error {
        case .broker(let code, _): #expect(code == .noPermission)
        case .routeNotFound: break  // the refreshed route has no writable queue
        default: Issue.record("unexpected \(error)")
        }
        // The slot is given back right after the completion returns.
        try await waitUntil { p.window.inUse == 0 }
        await p.shutdown()
        await cluster.stop()
    }
}
