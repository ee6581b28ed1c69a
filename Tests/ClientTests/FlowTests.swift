@testable import Client
import Foundation
import MessageFormat
import Protocol
import Synchronization
import TestSupport
import Testing

/// Counts listener calls running at once and can hold them until released.
final class Gate: Sendable {
    private struct State {
        var running = 0
        var maxRunning = 0
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var done = 0
    }
    private let state = Mutex(State())

    func enter() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let go = state.withLock { s in
                s.running += 1
                s.maxRunning = max(s.maxRunning, s.running)
                if !s.open { s.waiters.append(c) }
                return s.open
            }
            if go { c.resume() }
        }
        state.withLock { $0.running -= 1; $0.done += 1 }
    }

    func openAll() {
        let w = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for c in w { c.resume() }
    }

    var running: Int { state.withLock { $0.running } }
    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var done: Int { state.withLock { $0.done } }
}

@Suite struct FlowTests {
    @Test func boundedConcurrencyAndPerQueueFlowControl() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("FlowT", queues: 1)
        let p = try await cluster.producer()
        for i in 0..<100 { _ = try await p.send(Message(topic: "FlowT", body: Array("f\(i)".utf8))) }
        let gate = Gate()
        let consumer = try await cluster.pushConsumer(group: "flow-g", topic: "FlowT", inbox: Inbox(), configure: {
            $0.consumeConcurrency = 3
            $0.pullBatchSize = 8
            $0.pullThresholdForQueue = 20
        }) { _ in
            await gate.enter()
            return .success
        }
        let q = MessageQueue(topic: "FlowT", brokerName: "broker-a", queueId: 0)
        // Three consumer tasks are busy and the queue's cache fills up to the threshold (plus one batch), no further.
        try await waitUntil { gate.running == 3 && consumer.cachedMessageCount(q) >= 20 }
        #expect(consumer.cachedMessageCount(q) < 20 + 8)
        gate.openAll()
        try await waitUntil { gate.done == 100 }
        #expect(gate.maxRunning == 3)
        await consumer.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func offsetsAreCommittedPeriodicallyWhileRunning() async throws {
        let cluster = try await Cluster.start()
        cluster.createTopic("CommitT", queues: 2)
        let p = try await cluster.producer()
        for i in 0..<20 { _ = try await p.send(Message(topic: "CommitT", body: Array("c\(i)".utf8))) }
        let inbox = Inbox()
        let consumer = try await cluster.pushConsumer(group: "commit-g", topic: "CommitT", inbox: inbox) {
            $0.persistOffsetInterval = .milliseconds(100)
        }
        try await waitUntil { inbox.count >= 20 }
        let reader = PullConsumer(configuration: .init(group: "commit-g", options: cluster.options), logger: quietLogger)
        try await reader.start()
        let queues = try await reader.fetchQueues(topic: "CommitT")
        try await waitUntil {
            var total: Int64 = 0
            for q in queues { total += (try? await reader.committedOffset(q)) ?? 0 }
            return total == 20
        }
        await reader.shutdown()
        await consumer.shutdown()
        await p.shutdown()
        await cluster.stop()
    }

    @Test func latencyFaultStrategyIsolatesSlowAndFailedBrokers() {
        let f = LatencyFaultStrategy(enabled: true)
        f.update(brokerName: "fast", latency: .milliseconds(20), isolation: false)
        f.update(brokerName: "slow", latency: .milliseconds(600), isolation: false)
        f.update(brokerName: "down", latency: .zero, isolation: true)
        #expect(f.isAvailable("fast") && f.isAvailable("unknown"))
        #expect(!f.isAvailable("slow") && !f.isAvailable("down"))
        let off = LatencyFaultStrategy(enabled: false)
        off.update(brokerName: "down", latency: .zero, isolation: true)
        #expect(off.isAvailable("down"))
    }

    @Test func inFlightWindowMakesCallersWait() async throws {
        let w = InFlightWindow(limit: 2)
        try await w.acquire()
        try await w.acquire()
        #expect(w.inUse == 2)
        let third = Task { try await w.acquire(); return true }
        try await waitUntil { w.waiting == 1 }
        w.release()
        #expect(try await third.value)
        #expect(w.inUse == 2)
        w.close()
        await #expect(throws: ClientError.shutDown) { try await w.acquire() }
    }

    @Test func tryAcquireNeverWaitsNorJumpsTheQueue() async throws {
        let w = InFlightWindow(limit: 1)
        #expect(try w.tryAcquire())
        #expect(try !w.tryAcquire(), "full")
        let waiter = Task { try await w.acquire(); return true }
        try await waitUntil { w.waiting == 1 }
        w.release()
        #expect(try await waiter.value, "the released slot went to the waiter")
        #expect(try !w.tryAcquire())
        w.release()
        #expect(try w.tryAcquire())
        w.close()
        #expect(throws: ClientError.shutDown) { try w.tryAcquire() }
    }
}
