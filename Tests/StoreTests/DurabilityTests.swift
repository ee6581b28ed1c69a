import Foundation
import MessageFormat
import Synchronization
import TestSupport
import Testing
@testable import Store

@Suite struct DurabilityTests {
    /// A child process appends with SYNC_FLUSH and prints each acknowledgement;
    /// we SIGKILL it mid-stream. After recovery every acknowledged record must
    /// be present, intact, at the offset it was acknowledged with.
    @Test func syncFlushAcknowledgementsSurviveSIGKILL() throws {
        let dir = TempDir("sigkill"); defer { dir.cleanup() }
        let exe = productsDirectory + "/mqstore"
        try #require(FileManager.default.isExecutableFile(atPath: exe), "mqstore not built at \(exe)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["append", "--store", dir.path, "--flush", "SYNC_FLUSH", "--segment-size", "1048576", "--max-message-size", "262144",
                       "--count", "0", "--size", "300", "--writers", "16", "--queues", "4"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Read acknowledgements until enough have arrived, then kill without warning.
        var acks: [(seq: Int, queueOffset: Int64, phys: Int64, size: Int)] = []
        var pending = Data()
        let handle = out.fileHandleForReading
        while acks.count < 3000 {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...nl)
                let f = line.split(separator: " ")
                if f.first == "ACK", f.count == 5 {
                    acks.append((Int(f[1])!, Int64(f[2])!, Int64(f[3])!, Int(f[4])!))
                }
            }
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        try #require(acks.count >= 3000, "the child acknowledged only \(acks.count) appends")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/abort"), "a killed store leaves its abort marker")

        var c = StoreConfig()
        c.storePathRootDir = dir.path
        c.mappedFileSizeCommitLog = 1_048_576
        c.maxMessageSize = 256 * 1024
        let s = try openStore(c)
        defer { s.shutdown() }
        #expect(!s.recovery.lastExitOK && s.recovery.scanned)
        for a in acks {
            let m = try #require(s.message(atPhysicalOffset: a.phys), "acknowledged seq \(a.seq) missing at \(a.phys)")
            #expect(Int(m.totalSize) == a.size && m.queueOffset == a.queueOffset)
            let seq = m.body.prefix(8).reduce(0) { $0 << 8 | Int($1) }
            #expect(seq == a.seq && m.keys == ["seq-\(a.seq)"])
            #expect(m.bodyCRC == CRC32.checksum(m.body))
            // And it is reachable through its ConsumeQueue.
            let r = s.getMessage(topic: "CrashTest", queueId: m.queueId, offset: a.queueOffset, maxMessages: 1)
            #expect(r.messages.first?.physicalOffset == a.phys)
        }
    }

    @Test func groupCommitCompletesEachWriterOnlyWhenDurable() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let s = try openStore(smallConfig(dir.path, segment: 1 << 20, flush: .syncFlush))
        let early = Counter()
        await withTaskGroup(of: Void.self) { g in
            for w in 0..<256 {
                g.addTask {
                    for i in 0..<8 {
                        let r = await s.putMessage(fields(queue: Int32(w % 8)), body: body(w * 100 + i, size: 200))
                        // Completion means durable: flushed-where covers this record.
                        if r.status != .putOK || s.commitLog.files.flushedWhere < r.nextOffset { early.value.add(1, ordering: .relaxed) }
                    }
                }
            }
        }
        #expect(early.value.load(ordering: .relaxed) == 0)
        #expect(s.waitForDispatch())
        var total = 0
        for q in Int32(0)..<8 { total += readAll(s, "T", q).count }
        #expect(total == 256 * 8)
        s.shutdown()
    }

    @Test func syncFlushTimeoutReturnsFlushDiskTimeout() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var c = smallConfig(dir.path, flush: .syncFlush)
        c.syncFlushTimeout = 30
        // The disk "hangs" for 300 ms on every flush.
        let s = try MessageStore(config: c, logger: quietLogger, diskUsage: nil, beforeSyncFlush: { usleep(300_000) })
        let r = await s.putMessage(fields(), body: [1, 2, 3])
        #expect(r.status == .flushDiskTimeout)
        #expect(r.wroteOffset == 0, "the message was written, only its flush timed out (RocketMQ semantics)")
        s.shutdown()
    }
}
