import Foundation
import MessageFormat
import Synchronization
import TestSupport
import Testing
@testable import Store

@Suite struct AppendReadTests {
    @Test func appendsRollOverTinySegmentsAndReadBackExactly() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        var expected: [[UInt8]] = []
        for i in 0..<600 {
            let b = body(i, size: 100 + (i * 37) % 900)
            expected.append(b)
            let r = await s.putMessage(fields(queue: Int32(i % 3)), body: b)
            #expect(r.status == .putOK)
            #expect(r.queueOffset == Int64(i / 3))
        }
        #expect(s.waitForDispatch())
        let segments = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/commitlog").sorted()
        #expect(segments.count > 5, "600 messages of ~550 B must span several 64 KiB segments")
        #expect(segments.allSatisfy { $0.count == 20 && Int64($0)! % (64 * 1024) == 0 })
        for q in Int32(0)..<3 {
            let msgs = readAll(s, "T", q)
            #expect(msgs.count == 200)
            for (n, m) in msgs.enumerated() {
                let seq = n * 3 + Int(q)
                #expect(m.body == expected[seq])
                #expect(m.queueOffset == Int64(n) && m.queueId == q)
                #expect(m.bornHost == HostAddress(ipv4: 10, 0, 0, 9, port: 4242))
            }
        }
        s.shutdown()
    }

    @Test func everySegmentEndsWithABlankAndRecordsNeverSpanSegments() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        for i in 0..<300 { _ = await s.putMessage(fields(), body: body(i, size: 700)) }
        s.shutdown()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/commitlog").sorted()
        for name in files.dropLast() {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/commitlog/" + name))
            var pos = 0
            var sawBlank = false
            data.withUnsafeBytes { raw in
                while pos < raw.count {
                    switch RecordView.check(at: raw.baseAddress! + pos, available: raw.count - pos, verifyCRC: true) {
                    case .record(let n): pos += n
                    case .blank(let n): sawBlank = true; #expect(pos + n == raw.count); pos = raw.count
                    case .invalid(let why): Issue.record("invalid record in full segment \(name) at \(pos): \(why)"); pos = raw.count
                    }
                }
            }
            #expect(sawBlank, "segment \(name) must end with the blank marker")
        }
    }

    @Test func batchThatDoesNotFitRollsWholeIntoTheNextSegment() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        // Fill the first segment to within ~3 KiB of its end.
        var i = 0
        while s.commitLogMaxOffset < 64 * 1024 - 3000 { _ = await s.putMessage(fields(queue: 1), body: body(i, size: 500)); i += 1 }
        let items = (0..<10).map { BatchItem(flag: Int32($0), properties: "k\u{1}\($0)\u{2}", body: body(1000 + $0, size: 600)) }
        let r = await s.putMessages(fields(queue: 1), items: items)
        #expect(r.status == .putOK && r.messageCount == 10)
        #expect(r.wroteOffset == 64 * 1024, "the batch starts at the second segment")
        #expect(r.queueOffset == Int64(i))
        #expect(s.waitForDispatch())
        let msgs = readAll(s, "T", 1)
        #expect(msgs.count == i + 10)
        for (k, m) in msgs.suffix(10).enumerated() {
            #expect(m.body == body(1000 + k, size: 600) && m.flag == Int32(k) && m.queueOffset == Int64(i + k))
            #expect(m.physicalOffset >= 64 * 1024)
            #expect(m.properties["k"] == "\(k)")
        }
        s.shutdown()
    }

    @Test func consumeQueueUnitsPointAtTheirRecordsWithTagHashes() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        var offsets: [Int64] = []
        for i in 0..<250 {  // 250 units: spans 3 ConsumeQueue files of 100 units
            let r = await s.putMessage(fields("Orders", queue: 2, tags: i % 2 == 0 ? "paid" : "refund"), body: body(i, size: 64))
            offsets.append(r.wroteOffset)
        }
        #expect(s.waitForDispatch())
        let cq = try #require(s.queues.existing(QueueKey(topic: "Orders", queueId: 2)))
        #expect(cq.maxOffset == 250 && cq.minOffset == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/consumequeue/Orders/2").count == 3)
        for i in 0..<250 {
            let u = try #require(cq.unit(at: Int64(i)))
            #expect(u.commitLogOffset == offsets[i])
            #expect(u.tagsCode == Int64((i % 2 == 0 ? "paid" : "refund").javaHashCode))
            let rec = try #require(s.selectRecord(atPhysicalOffset: u.commitLogOffset))
            #expect(Int32(rec.size) == u.size)
        }
        // A tag filter on the hash returns only matching messages.
        let paid = Int64("paid".javaHashCode)
        let r = s.getMessage(topic: "Orders", queueId: 2, offset: 0, maxMessages: 32) { $0 == paid }
        #expect(r.status == .found && r.messages.count == 32)
        #expect(r.messages.allSatisfy { $0.decode().tags == "paid" })
        s.shutdown()
    }

    @Test func pullStatusesFollowRocketMQ() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        #expect(s.getMessage(topic: "T", queueId: 0, offset: 0, maxMessages: 4).status == .noMatchedLogicQueue)
        for i in 0..<10 { _ = await s.putMessage(fields(), body: body(i, size: 10)) }
        #expect(s.waitForDispatch())
        let found = s.getMessage(topic: "T", queueId: 0, offset: 3, maxMessages: 4)
        #expect(found.status == .found && found.messages.count == 4 && found.nextBeginOffset == 7)
        #expect(found.minOffset == 0 && found.maxOffset == 10)
        // Adjacent records in one segment coalesce into one region for sendfile.
        #expect(found.regions.count == 1 && found.regions[0].size == found.bufferTotalSize)
        let one = s.getMessage(topic: "T", queueId: 0, offset: 10, maxMessages: 4)
        #expect(one.status == .offsetOverflowOne && one.nextBeginOffset == 10)
        let bad = s.getMessage(topic: "T", queueId: 0, offset: 50, maxMessages: 4)
        #expect(bad.status == .offsetOverflowBadly && bad.nextBeginOffset == 0)
        let cap = s.getMessage(topic: "T", queueId: 0, offset: 0, maxMessages: 100)
        #expect(cap.messages.count == 10)
        let record = found.messages[0].size
        let bytesCap = s.getMessage(topic: "T", queueId: 0, offset: 0, maxMessages: 100, maxBytes: record * 3 + 1)
        #expect(bytesCap.messages.count == 3 && bytesCap.nextBeginOffset == 3)
        s.shutdown()
    }

    @Test func indexFindsMessagesByKeyAndUniqueIdWithinTime() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        let before = Int64(Date().timeIntervalSince1970 * 1000) - 1000
        for i in 0..<300 {
            _ = await s.putMessage(fields("Orders", queue: Int32(i % 4), keys: "order-\(i) user-\(i % 7)", uniq: "U\(i)"), body: body(i, size: 32))
        }
        #expect(s.waitForDispatch())
        let byKey = s.queryMessages(topic: "Orders", key: "order-123")
        #expect(byKey.count == 1 && byKey.first?.body == body(123, size: 32))
        let byUser = s.queryMessages(topic: "Orders", key: "user-3", maxCount: 1000)
        #expect(byUser.count == (0..<300).filter { $0 % 7 == 3 }.count)
        #expect(s.queryMessages(topic: "Orders", key: "U77").first?.uniqueKey == "U77")
        #expect(s.queryMessages(topic: "Other", key: "order-123").isEmpty)
        #expect(s.queryMessages(topic: "Orders", key: "order-123", begin: 0, end: before).isEmpty)
        s.shutdown()
    }

    @Test func indexFindsNonASCIIKeys() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        _ = await s.putMessage(fields("Orders", queue: 0, keys: "ключ-1 注文", uniq: "Ü1"), body: body(1, size: 8))
        _ = await s.putMessage(fields("Orders", queue: 0, keys: "plain", uniq: "U2"), body: body(2, size: 8))
        #expect(s.waitForDispatch())
        #expect(s.queryMessages(topic: "Orders", key: "ключ-1").first?.body == body(1, size: 8))
        #expect(s.queryMessages(topic: "Orders", key: "注文").first?.body == body(1, size: 8))
        #expect(s.queryMessages(topic: "Orders", key: "Ü1").first?.uniqueKey == "Ü1")
        #expect(s.queryMessages(topic: "Orders", key: "plain").first?.body == body(2, size: 8))
        s.shutdown()
    }

    @Test func appendsWithoutAWakeUpAreDispatchedOnceWoken() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        let stored = Atomic(0)
        for i in 0..<200 {
            body(i, size: 16).withUnsafeBytes { b in
                s.putMessage(fields("Quiet", queue: 0, keys: "k\(i)", uniq: "Q\(i)"), body: b, wakeDispatcher: false) { r in
                    if r.status == .putOK { stored.add(1, ordering: .relaxed) }
                }
            }
        }
        s.wakeDispatcher()
        #expect(stored.load(ordering: .relaxed) == 200)
        #expect(s.waitForDispatch())
        #expect(s.maxOffset(topic: "Quiet", queueId: 0) == 200)
        #expect(s.getMessage(topic: "Quiet", queueId: 0, offset: 199, maxMessages: 1).messages.count == 1)
        s.shutdown()
    }

    @Test func notifierIsAwaitedOnlyWhileSomeoneWaits() {
        let n = ArrivalNotifier()
        #expect(!n.isAwaited)
        let key = QueueKey(topic: "T", queueId: 0)
        let id = n.wait(for: key, beyond: 0) { _ in }
        #expect(n.isAwaited)
        n.cancel(key, id: id)
        #expect(!n.isAwaited)
        n.addListener { _, _ in }
        #expect(n.isAwaited)
    }

    @Test func offsetByTimestampAndEarliestTime() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        var stamps: [Int64] = []
        for i in 0..<50 { stamps.append(await s.putMessage(fields(), body: body(i, size: 20)).storeTimestamp) }
        #expect(s.waitForDispatch())
        #expect(s.earliestMessageTime(topic: "T", queueId: 0) == stamps[0])
        let target = stamps[25]
        let off = s.offset(topic: "T", queueId: 0, timestamp: target)
        #expect(stamps[Int(off)] >= target && (off == 0 || stamps[Int(off) - 1] < target))
        #expect(s.offset(topic: "T", queueId: 0, timestamp: stamps[49] + 10_000) == 50)
        s.shutdown()
    }

    @Test func longPollWaiterWakesOnArrival() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path))
        let key = QueueKey(topic: "T", queueId: 0)
        let woke: Bool = await withCheckedContinuation { c in
            _ = s.notifier.wait(for: key, beyond: 0) { c.resume(returning: $0) }
            Task { _ = await s.putMessage(fields(), body: body(1, size: 10)) }
        }
        #expect(woke)
        // A waiter for an offset not yet reached stays until cancelled.
        let cancelled: Bool = await withCheckedContinuation { c in
            let id = s.notifier.wait(for: key, beyond: 5) { c.resume(returning: $0) }
            s.notifier.cancel(key, id: id)
        }
        #expect(!cancelled)
        s.shutdown()
    }
}
