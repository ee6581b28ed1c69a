import Foundation
import NIOCore
import Protocol
@testable import Remoting
import TestSupport
import Testing
@testable import Broker

/// Sends appended on the event loop while the send service is idle
/// (`sendInlineWhenIdle`): only after a run of fast appends, never ahead of an
/// earlier send of the same connection, and not after a slow append.
@Suite struct InlineSendTests {
    func inlineCount(_ f: Fixture) -> Int { f.broker.stats[.sendsInline] }

    /// Sends on one connection one after another until one is appended inline
    /// (at most `limit`); returns their queue offsets.
    func sendUntilInline(_ f: Fixture, topic: String, limit: Int = 500) async throws -> [Int64] {
        let before = inlineCount(f)
        var offsets: [Int64] = []
        for i in 0..<limit {
            let r = try await f.send(topic: topic, body: Array("\(i)".utf8))
            #expect(r.responseCode == .success)
            offsets.append(try SendMessageResponseHeader(extFields: r.extFields).queueOffset)
            if inlineCount(f) > before { break }
        }
        return offsets
    }

    @Test func theSendQueueIsIdleOnlyWhenNothingIsQueuedOrBeingHandled() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let q = SendQueue(capacity: 8, maxBytes: 1 << 20)
        let ctx = RemotingContext(connection: try await f.client.connection(to: f.address), opaque: 1, serializeType: .json,
                                  isOneway: true)
        let task = SendTask(request: RemotingCommand(code: 310), context: ctx, enqueuedAt: monotonicNow(), bytes: 1)
        #expect(q.isIdle)
        #expect(q.offer(task) == nil && q.offer(task) == nil)
        #expect(!q.isIdle)
        #expect(q.take(wait: false) != nil)
        #expect(!q.isIdle, "one queued and one taken")
        #expect(q.take(wait: false, finished: 1) != nil)
        #expect(!q.isIdle, "the second one is taken but not handled")
        #expect(q.take(wait: false, finished: 1) == nil)
        #expect(q.isIdle)
        q.stop()
        #expect(!q.isIdle, "a stopped queue takes nothing inline either")
        await f.stop()
    }

    @Test func afterARunOfFastAppendsAnIdleBrokerAppendsOnTheEventLoop() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        for i in 0..<SendService.inlineAfterFastAppends {
            #expect(try await f.send(topic: "IN", body: [UInt8(i)]).responseCode == .success)
        }
        #expect(inlineCount(f) == 0, "the first appends go to the send thread")
        let offsets = try await sendUntilInline(f, topic: "IN")
        #expect(inlineCount(f) == 1)
        let first = Int64(SendService.inlineAfterFastAppends)
        #expect(offsets == Array(first..<first + Int64(offsets.count)), "acknowledged in order, none lost")
        #expect(try await f.runtimeInfo()["sendsInlineTotal"] == "1")
        #expect(try await f.dispatched())
        let last = try await f.pull(topic: "IN", offset: offsets.last!, maxMsgNums: 1)
        #expect(try PulledMessages.decode(last.body ?? ByteBuffer()).map(\.body) == [Array("\(offsets.count - 1)".utf8)])
        await f.stop()
    }

    @Test func switchedOffEverySendGoesToTheSendThread() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        _ = try config.set("sendInlineWhenIdle", "false")
        let f = try await Fixture.start(config)
        for i in 0..<(SendService.inlineAfterFastAppends * 3) {
            #expect(try await f.send(topic: "OFF", body: [UInt8(i % 256)]).responseCode == .success)
        }
        #expect(inlineCount(f) == 0)
        #expect(f.broker.stats[.messagesStored] == SendService.inlineAfterFastAppends * 3)
        await f.stop()
    }

    @Test func aSlowInlineAppendSendsTheNextOnesBackToTheSendThread() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.store.osPageCacheBusyTimeOutMills = 600_000
        let gate = StallGate()
        let f = try await Fixture.start(config, gate: gate)
        _ = try await sendUntilInline(f, topic: "SL")
        gate.close()
        let stalled = Task { try await f.send(topic: "SL", body: Array("stalled".utf8)) }
        try await waitUntil { gate.entered == 1 }
        // The append is slow by definition once it has held the lock past the limit.
        let began = ContinuousClock.now
        try await waitUntil(every: .milliseconds(1)) {
            ContinuousClock.now - began > .nanoseconds(Int64(SendService.slowAppendNanos) * 2)
        }
        #expect(f.broker.store.isPutLockHeld)
        gate.open()
        #expect(try await stalled.value.responseCode == .success)
        // Usually the stalled send was appended inline; either way it was slow.
        let afterStall = inlineCount(f)
        for i in 0..<(SendService.inlineAfterFastAppends - 1) {
            #expect(try await f.send(topic: "SL", body: [UInt8(i)]).responseCode == .success)
        }
        #expect(inlineCount(f) == afterStall, "after a slow append the send thread appends until the run of fast ones is long again")
        _ = try await sendUntilInline(f, topic: "SL")
        #expect(inlineCount(f) == afterStall + 1, "and then the event loop again")
        await f.stop()
    }

    /// Two connections pipelining one-way sends into one queue: appends from the
    /// event loops and the send thread mix, and each connection's sends are
    /// stored in the order it sent them, each once.
    @Test func pipelinedSendsOfEachConnectionKeepTheirOrderAcrossBothPaths() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.store.mappedFileSizeCommitLog = 8 << 20
        let f = try await Fixture.start(config)
        _ = try await sendUntilInline(f, topic: "ORD")
        let warm = f.broker.stats[.messagesStored], warmInline = inlineCount(f)
        let perConnection = 2000
        var cc = RemotingClient.Configuration()
        cc.serializeType = .rocketMQ
        let clients = [RemotingClient(configuration: cc), RemotingClient(configuration: cc)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (c, client) in clients.enumerated() {
                group.addTask {
                    for i in 0..<perConnection {
                        let h = SendMessageRequestHeader(producerGroup: "pg", topic: "ORD", queueId: 0, bornTimestamp: 1)
                        try await client.invokeOneway(.request(.sendMessageV2, header: h.v2, body: ByteBuffer(string: "\(c)-\(i)"),
                                                               opaque: 0, oneway: true), to: f.address)
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = warm + 2 * perConnection
        try await waitUntil(timeout: .seconds(60), every: .milliseconds(5)) { f.broker.stats[.messagesStored] == total }
        #expect(try await f.dispatched())
        var bodies: [String] = []
        var offset = Int64(warm)
        while offset < Int64(total) {
            let r = try await f.pull(topic: "ORD", offset: offset, maxMsgNums: 256)
            #expect(r.responseCode == .success)
            let got = try PulledMessages.decode(r.body ?? ByteBuffer()).map { String(decoding: $0.body, as: UTF8.self) }
            if got.isEmpty { break }
            bodies += got
            offset += Int64(got.count)
        }
        for c in 0..<2 {
            let mine = bodies.filter { $0.hasPrefix("\(c)-") }
            #expect(mine == (0..<perConnection).map { "\(c)-\($0)" }, "connection \(c)")
        }
        let inline = inlineCount(f) - warmInline
        #expect(inline > 0 && inline < 2 * perConnection, "both paths appended (inline \(inline) of \(2 * perConnection))")
        for client in clients { await client.shutdown() }
        await f.stop()
    }
}
