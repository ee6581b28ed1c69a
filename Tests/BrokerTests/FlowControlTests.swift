import Foundation
import Logging
import MessageFormat
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing
@testable import Broker
@testable import Store

extension Fixture {
    /// A broker whose store runs `gate.pass()` inside the put lock on every append
    /// (and `flushGate.pass()` before every SYNC_FLUSH group commit), and whose send
    /// thread runs `takeGate.pass()` after taking each send off the queue.
    static func start(_ config: BrokerConfig, gate: StallGate, flushGate: StallGate = StallGate(),
                      takeGate: StallGate = StallGate()) async throws -> Fixture {
        var logger = Logger(label: "test.broker")
        logger.logLevel = .warning
        let store = try MessageStore(config: config.store, logger: logger, diskUsage: nil,
                                     beforeSyncFlush: { flushGate.pass() }, duringAppend: { gate.pass() })
        let broker = try Broker(config: config, store: store, logger: logger, afterSendTaken: { takeGate.pass() })
        let port = try await broker.start()
        var cc = RemotingClient.Configuration()
        cc.serializeType = .rocketMQ
        return Fixture(broker: broker, client: RemotingClient(configuration: cc), address: "127.0.0.1:\(port)")
    }

    var sendQueueSize: Int { broker.sendService.withLock { $0 }?.queue.size ?? -1 }

    func runtimeInfo() async throws -> [String: String] {
        try KVTable(bodyOf: try await invoke(.request(.getBrokerRuntimeInfo, header: EmptyHeader(), opaque: 0))).table
    }

    /// The bodies stored in queue 0 of `topic`.
    func storedBodies(_ topic: String) async throws -> [[UInt8]] {
        #expect(try await dispatched())
        let r = try await pull(topic: topic, offset: 0)
        guard r.responseCode == .success, let body = r.body else { return [] }
        return try PulledMessages.decode(body).map(\.body)
    }
}

/// Flow control (RocketMQ BrokerFastFailure): a store stalled inside its put
/// lock makes queued sends wait; the broker answers SYSTEM_BUSY with the
/// condition in the remark, counts it, and what it acknowledged stays readable.
@Suite struct FlowControlTests {
    /// "period in queue: Xms" → X.
    func period(_ remark: String?) -> Int? {
        guard let r = remark, let a = r.range(of: "period in queue: "), let b = r.range(of: "ms", range: a.upperBound..<r.endIndex)
        else { return nil }
        return Int(r[a.upperBound..<b.lowerBound])
    }

    @Test func sendWaitingTooLongIsRefusedWithTimeoutCleanQueue() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.waitTimeMillsInSendQueue = 100
        config.store.osPageCacheBusyTimeOutMills = 600_000
        let gate = StallGate()
        let f = try await Fixture.start(config, gate: gate)
        gate.close()
        let first = Task { try await f.send(topic: "FC", body: [1]) }
        try await waitUntil { gate.entered == 1 }
        // The send thread is stuck in the put lock: this one waits in the queue until the sweep refuses it.
        let busy = try await f.send(topic: "FC", body: [2])
        #expect(busy.responseCode == .systemBusy)
        #expect(busy.remark?.hasPrefix("[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: ") == true)
        #expect(busy.remark?.hasSuffix("size of queue: 0") == true)
        #expect((period(busy.remark) ?? 0) >= 100)
        #expect(f.broker.stats[.busyTimeoutInQueue] == 1 && f.broker.stats[.systemBusy] == 1)
        // Answered by the event loop while the send thread is still stuck.
        let info = try await f.runtimeInfo()
        #expect(info["flowControlTimeoutCleanQueue"] == "1" && info["flowControlTotal"] == "1")
        #expect(info["sendThreadPoolQueueCapacity"] == "10000")
        gate.open()
        #expect(try await first.value.responseCode == .success)
        #expect(try await f.storedBodies("FC") == [[1]], "the acknowledged send is stored, the refused one is not")
        #expect(try await f.send(topic: "FC", body: [3]).responseCode == .success)
        await f.stop()
    }

    @Test func busyPageCacheEmptiesTheQueueAndRefusesOnArrival() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.waitTimeMillsInSendQueue = 600_000
        config.store.osPageCacheBusyTimeOutMills = 1000
        let gate = StallGate(), takeGate = StallGate()
        let f = try await Fixture.start(config, gate: gate, takeGate: takeGate)
        takeGate.close()
        let first = Task { try await f.send(topic: "PC", body: [1]) }
        try await waitUntil { takeGate.entered == 1 }
        // The send thread holds the first send outside the put lock: the second one queues.
        let second = Task { try await f.send(topic: "PC", body: [2]) }
        try await waitUntil { f.sendQueueSize == 1 }
        // Now the first one stalls inside the lock; once held 1 s the sweep empties the queue.
        gate.close()
        takeGate.open()
        let queued = try await second.value
        #expect(gate.entered == 1)
        #expect(queued.responseCode == .systemBusy)
        #expect(queued.remark?.hasPrefix("[PCBUSY_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: ") == true)
        #expect((period(queued.remark) ?? 0) >= 1000)
        #expect(f.broker.store.isPageCacheBusy)
        let arriving = try await f.send(topic: "PC", body: [3])
        #expect(arriving.responseCode == .systemBusy)
        #expect(arriving.remark?.hasPrefix("[PC_SYNCHRONIZED]broker busy, start flow control for a while, put lock held ") == true)
        #expect(f.broker.stats[.busyPageCache] == 2 && f.broker.stats[.systemBusy] == 2)
        gate.open()
        #expect(try await first.value.responseCode == .success)
        #expect(try await f.storedBodies("PC") == [[1]])
        await f.stop()
    }

    @Test func fullSendQueueRefusesWithOverload() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.sendThreadPoolQueueCapacity = 2
        config.waitTimeMillsInSendQueue = 600_000
        config.store.osPageCacheBusyTimeOutMills = 600_000
        let gate = StallGate()
        let f = try await Fixture.start(config, gate: gate)
        gate.close()
        let first = Task { try await f.send(topic: "OV", body: [1]) }
        try await waitUntil { gate.entered == 1 }
        let second = Task { try await f.send(topic: "OV", body: [2]) }
        try await waitUntil { f.sendQueueSize == 1 }
        let third = Task { try await f.send(topic: "OV", body: [3]) }
        try await waitUntil { f.sendQueueSize == 2 }
        let refused = try await f.send(topic: "OV", body: [4])
        #expect(refused.responseCode == .systemBusy)
        #expect(refused.remark?.hasPrefix("[OVERLOAD]system busy, start flow control for a while, send queue full: 2 requests (capacity 2)") == true)
        #expect(f.broker.stats[.busyQueueFull] == 1)
        gate.open()
        for t in [first, second, third] { #expect(try await t.value.responseCode == .success) }
        #expect(try await f.storedBodies("OV") == [[1], [2], [3]], "queued sends are appended in arrival order")
        await f.stop()
    }

    @Test func sendQueueIsBoundedInBytes() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.sendQueueMaxBytes = 1024
        config.waitTimeMillsInSendQueue = 600_000
        config.store.osPageCacheBusyTimeOutMills = 600_000
        let gate = StallGate()
        let f = try await Fixture.start(config, gate: gate)
        gate.close()
        let first = Task { try await f.send(topic: "BY", body: [1]) }
        try await waitUntil { gate.entered == 1 }
        let second = Task { try await f.send(topic: "BY", body: [UInt8](repeating: 2, count: 600)) }
        try await waitUntil { f.sendQueueSize == 1 }
        let refused = try await f.send(topic: "BY", body: [UInt8](repeating: 3, count: 600))
        #expect(refused.responseCode == .systemBusy)
        #expect(refused.remark?.contains("600 bytes (limit 1024)") == true)
        gate.open()
        #expect(try await first.value.responseCode == .success)
        #expect(try await second.value.responseCode == .success)
        await f.stop()
    }

    /// SYNC_FLUSH: the answer comes from the group-commit thread after its msync;
    /// neither the event loop nor the send thread waits for the disk meanwhile.
    @Test func syncFlushAnswersFromGroupCommitWithoutBlocking() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        config.store.flushDiskType = .syncFlush
        let flushGate = StallGate()
        let f = try await Fixture.start(config, gate: StallGate(), flushGate: flushGate)
        flushGate.close()
        let first = Task { try await f.send(topic: "SF", body: [1]) }
        try await waitUntil { flushGate.entered == 1 }
        // The flush hangs: the loop still answers, and the send thread still appends.
        let second = Task { try await f.send(topic: "SF", body: [2]) }
        let max = GetMaxOffsetRequestHeader(topic: "SF", queueId: 0)
        try await waitUntil {
            let r = try? await f.invoke(.request(.getMaxOffset, header: max, opaque: 0))
            return (try? r.map { try GetMaxOffsetResponseHeader(extFields: $0.extFields).offset }) == 2
        }
        flushGate.open()
        #expect(try await first.value.responseCode == .success)
        #expect(try await second.value.responseCode == .success)
        #expect(f.broker.store.groupCommitCounts.completed == 2)
        await f.stop()
    }

    @Test func flowControlKeysParse() throws {
        var c = BrokerConfig()
        #expect(try c.set("sendThreadPoolQueueCapacity", "50"))
        #expect(try c.set("waitTimeMillsInSendQueue", "1000"))
        #expect(try c.set("brokerFastFailureEnable", "false"))
        #expect(try c.set("sendMessageThreadPoolNums", "4"))
        #expect(c.sendThreadPoolQueueCapacity == 50 && c.waitTimeMillsInSendQueue == 1000 && !c.brokerFastFailureEnable)
        #expect(throws: (any Error).self) { try c.set("sendThreadPoolQueueCapacity", "0") }
    }
}
