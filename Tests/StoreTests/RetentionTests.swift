import Foundation
import MessageFormat
import TestSupport
import Testing
@testable import Store

@Suite struct RetentionTests {
    func setAge(_ path: String, hours: Double) {
        let t = Date().addingTimeInterval(-hours * 3600).timeIntervalSince1970
        var times = [timeval(tv_sec: Int(t), tv_usec: 0), timeval(tv_sec: Int(t), tv_usec: 0)]
        _ = utimes(path, &times)
    }

    func fill(_ s: MessageStore, segments: Int) async {
        var i = 0
        while s.commitLogMaxOffset < Int64(segments) * 64 * 1024 + 100 {
            _ = await s.putMessage(fields(queue: Int32(i % 2)), body: body(i, size: 900))
            i += 1
        }
    }

    @Test func deletesOnlyExpiredWholeSegmentsFromTheFront() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var c = smallConfig(dir.path, cqUnits: 20)
        c.fileReservedTime = 72
        let hour = Calendar.current.component(.hour, from: Date())
        c.deleteWhen = String(format: "%02d", hour)
        let s = try openStore(c)
        await fill(s, segments: 6)
        #expect(s.waitForDispatch())
        try s.commitLog.files.flush(leastPages: 0)
        let cl = dir.path + "/commitlog/"
        // Segments holding data (the allocator has also prepared the next, empty one).
        func dataSegments(_ end: Int64) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: cl).sorted().filter { Int64($0)! < end }
        }
        let names = try dataSegments(s.commitLogMaxOffset)
        #expect(names.count == 7)
        // Segments 0, 1, 3 are old; 2 is recent, so 3 must survive too (no holes).
        for i in [0, 1, 3] { setAge(cl + names[i], hours: 100) }
        let before0 = readAll(s, "T", 0).count
        let report = s.runCleanPass()
        #expect(report.deletedCommitLogFiles == 2)
        #expect(try dataSegments(s.commitLogMaxOffset) == Array(names.dropFirst(2)))
        #expect(s.commitLogMinOffset == 2 * 64 * 1024)
        // Consume queue files that pointed only into deleted segments are gone too,
        // and reads of the deleted range say where to resume.
        #expect(report.deletedConsumeQueueFiles > 0)
        let minQ = s.minOffset(topic: "T", queueId: 0)
        #expect(minQ > 0)
        let r = s.getMessage(topic: "T", queueId: 0, offset: 0, maxMessages: 8)
        #expect(r.status == .offsetTooSmall && r.nextBeginOffset == minQ)
        let left = readAll(s, "T", 0)
        #expect(left.count < before0 && left.allSatisfy { $0.physicalOffset >= 2 * 64 * 1024 })
        // Outside deleteWhen and under every ratio, nothing is deleted however old.
        for n in names.dropFirst(2) { setAge(cl + n, hours: 200) }
        var c2 = c
        c2.deleteWhen = String(format: "%02d", (hour + 12) % 24)
        s.shutdown()
        let s2 = try openStore(c2, diskUsage: { _ in 0.10 })
        #expect(s2.runCleanPass().deletedCommitLogFiles == 0)
        // The active segment is never deleted even when forced.
        let forced = try openStoreAfter(s2, c2, usage: 0.87)
        let rep = forced.runCleanPass()
        #expect(rep.forced)
        let remaining = try dataSegments(forced.commitLogMaxOffset)
        #expect(remaining.count == 1, "forced cleaning keeps only the active segment, got \(remaining)")
        forced.shutdown()
    }

    func openStoreAfter(_ old: MessageStore, _ c: StoreConfig, usage: Double) throws -> MessageStore {
        old.shutdown()
        return try openStore(c, diskUsage: { _ in usage })
    }

    @Test func aboveTheWarningLevelWritesAreRefusedThenResume() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let usage = UsageBox(0.50)
        let s = try openStore(smallConfig(dir.path), diskUsage: { _ in usage.value })
        let ok = await s.putMessage(fields(), body: [1])
        #expect(ok.status == .putOK)
        usage.value = 0.93
        _ = s.runCleanPass()
        let refused = await s.putMessage(fields(), body: [2])
        #expect(refused.status == .serviceNotAvailable)
        #expect(refused.remark?.contains("maybe disk full") == true)
        #expect(s.waitForDispatch())
        #expect(readAll(s, "T", 0).map(\.body) == [[1]], "nothing written by a refused append; the store stays readable")
        usage.value = 0.50
        _ = s.runCleanPass()
        let resumed = await s.putMessage(fields(), body: [3])
        #expect(resumed.status == .putOK && resumed.queueOffset == 1)
        s.shutdown()
    }
}

final class UsageBox: @unchecked Sendable {
    // @unchecked: tests set it between passes; reads race benignly with a Double store.
    private let lock = NSLock()
    private var v: Double
    init(_ v: Double) { self.v = v }
    var value: Double {
        get { lock.lock(); defer { lock.unlock() }; return v }
        set { lock.lock(); v = newValue; lock.unlock() }
    }
}
