import Foundation
import Logging
import MessageFormat
import Store
import Synchronization

/// The store workloads behind `mqstore bench` and `Benchmarks/StoreBenchmarks`:
/// append throughput (async flush), group-commit throughput (sync flush),
/// dispatch and recovery rates, and the raw `write()` baseline they are judged against.
public enum StoreWorkloads {
    /// One measured case.
    public struct Result: Codable, Sendable {
        public var name: String
        public var bodyBytes: Int
        public var writers: Int
        public var messages: Int
        public var seconds: Double
        public var messagesPerSecond: Double
        /// Record bytes (what lands in the CommitLog) per second, in MB (10^6).
        public var megabytesPerSecond: Double
        public var notes: String
        /// MB/s of every round when the case was repeated; the fields above are the median round.
        public var roundsMegabytesPerSecond: [Double]? = nil

        /// The median of several rounds of the same case, keeping every round's rate.
        public static func median(_ rounds: [Result]) -> Result {
            precondition(!rounds.isEmpty)
            var m = rounds.sorted { $0.megabytesPerSecond < $1.megabytesPerSecond }[rounds.count / 2]
            if rounds.count > 1 { m.roundsMegabytesPerSecond = rounds.map(\.megabytesPerSecond) }
            return m
        }
    }

    static let quiet: Logger = {
        var l = Logger(label: "bench.store")
        l.logLevel = .error
        return l
    }()

    static func config(root: String, flush: FlushDiskType, warm: Bool, segment: Int, writeAhead: Int = 0) -> StoreConfig {
        var c = StoreConfig()
        c.warmWriteAheadBytes = writeAhead
        c.storePathRootDir = root
        c.flushDiskType = flush
        c.warmMapedFileEnable = warm
        c.mappedFileSizeCommitLog = segment
        c.messageIndexEnable = false
        c.cleanResourceInterval = 3_600_000
        return c
    }

    static func fields(queue: Int32) -> RecordFields {
        RecordFields(topic: "BenchTopic", queueId: queue, bornTimestamp: 1_700_000_000_000,
                     bornHost: HostAddress(ipv4: 127, 0, 0, 1, port: 40000), storeHost: HostAddress(ipv4: 127, 0, 0, 1, port: 10911))
    }

    /// Bytes a record of `bodyBytes` takes in the CommitLog.
    public static func recordLength(bodyBytes: Int) -> Int { fields(queue: 0).recordLength(bodyLength: bodyBytes) }

    /// Appends `messages` bodies of `bodyBytes` from `writers` threads with ASYNC_FLUSH.
    /// With `warm`, timing starts once the first segment is prepared (as it is in a
    /// running broker); without, segments are only fallocated and appends fault pages in.
    /// - Parameters:
    ///   - sustained: keep the background preparation of later segments inside
    ///     the timed window (it competes for the same cores, as in a broker).
    public static func asyncAppend(root: String, bodyBytes: Int, writers: Int, messages: Int, warm: Bool,
                                   segment: Int = 1 << 30, sustained: Bool = false,
                                   writeAhead: Int = 0) throws -> Result {
        let store = try MessageStore(config: config(root: root, flush: .asyncFlush, warm: warm, segment: segment, writeAhead: writeAhead),
                                     logger: quiet)
        defer { store.shutdown() }
        let body = [UInt8](repeating: 0x5A, count: bodyBytes)
        // The first append creates (and, warm, prefaults) the first segment: not timed.
        body.withUnsafeBytes { b in store.putMessage(fields(queue: 0), body: b) { _ in } }
        if !sustained { _ = store.waitForSegmentPreparation() }
        // Whatever earlier phases left dirty must not be written back during this one.
        sync()
        let perWriter = messages / writers
        let failures = Atomic<Int>(0)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            let f = fields(queue: Int32(w % 8))
            body.withUnsafeBytes { b in
                for _ in 0..<perWriter {
                    store.putMessage(f, body: b) { r in
                        if r.status != .putOK { failures.add(1, ordering: .relaxed) }
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard failures.load(ordering: .relaxed) == 0 else {
            throw StoreBenchError("\(failures.load(ordering: .relaxed)) appends failed")
        }
        let n = perWriter * writers
        return Result(name: "append-async", bodyBytes: bodyBytes, writers: writers, messages: n, seconds: seconds,
                      messagesPerSecond: Double(n) / seconds,
                      megabytesPerSecond: Double(n * recordLength(bodyBytes: bodyBytes)) / seconds / 1e6,
                      notes: sustained ? "sustained: \(segment >> 20) MiB segments prefaulted in the background during the run"
                        : !warm ? "cold: pages faulted in by the appends"
                        : writeAhead > 0 ? "warm + write-ahead window of \(writeAhead >> 20) MiB (warmWriteAheadBytes)"
                        : "warm: segment prefaulted before the timed window")
    }

    /// SYNC_FLUSH: `writers` concurrent senders, each waiting for its own
    /// acknowledgement before the next send, for `seconds`.
    public static func syncAppend(root: String, bodyBytes: Int, writers: Int, seconds: Double, settle: Double = 0) async throws -> Result {
        let store = try MessageStore(config: config(root: root, flush: .syncFlush, warm: true, segment: 1 << 30), logger: quiet)
        defer { store.shutdown() }
        let body = [UInt8](repeating: 0x5A, count: bodyBytes)
        _ = await store.putMessage(fields(queue: 0), body: body)
        _ = store.waitForSegmentPreparation()
        // msync latency is what is measured: no background writeback may share the disk.
        sync()
        settleMemory(settle)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let start = DispatchTime.now().uptimeNanoseconds
        let counts: [Int] = try await withThrowingTaskGroup(of: Int.self) { g in
            for w in 0..<writers {
                g.addTask {
                    var n = 0
                    let f = fields(queue: Int32(w % 8))
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        let r = await store.putMessage(f, body: body)
                        guard r.status == .putOK else { throw StoreBenchError("sync append: \(r.status.rawValue) \(r.remark ?? "")") }
                        n += 1
                    }
                    return n
                }
            }
            return try await g.reduce(into: []) { $0.append($1) }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let n = counts.reduce(0, +)
        let gc = store.groupCommitCounts
        return Result(name: "append-sync", bodyBytes: bodyBytes, writers: writers, messages: n, seconds: elapsed,
                      messagesPerSecond: Double(n) / elapsed,
                      megabytesPerSecond: Double(n * recordLength(bodyBytes: bodyBytes)) / elapsed / 1e6,
                      notes: String(format: "group commit: %d flushes, %.1f acks per flush, %.0f µs per flush",
                                    gc.flushes, Double(gc.completed) / Double(max(1, gc.flushes)), elapsed * 1e6 / Double(max(1, gc.flushes))))
    }

    /// Writes `messages`, stops cleanly, removes the derived structures and
    /// reopens: the reopen re-verifies every record (CRC) and rebuilds every
    /// ConsumeQueue from scratch. Returns the dispatch and the recovery-scan rates.
    public static func dispatchAndRecovery(root: String, bodyBytes: Int, messages: Int) throws -> [Result] {
        let c = config(root: root, flush: .asyncFlush, warm: true, segment: 1 << 30)
        do {
            let store = try MessageStore(config: c, logger: quiet)
            let body = [UInt8](repeating: 0x5A, count: bodyBytes)
            body.withUnsafeBytes { b in
                for i in 0..<messages { store.putMessage(fields(queue: Int32(i % 8)), body: b) { _ in } }
            }
            store.shutdown()
        }
        let fm = FileManager.default
        try fm.removeItem(atPath: c.consumeQueueDir)
        try fm.removeItem(atPath: c.checkpointPath)
        let store = try MessageStore(config: c, logger: quiet)
        defer { store.shutdown() }
        let r = store.recovery
        guard r.redispatchedRecords == messages else {
            throw StoreBenchError("rebuilt \(r.redispatchedRecords) ConsumeQueue entries, expected \(messages)")
        }
        let bytes = Double(messages * recordLength(bodyBytes: bodyBytes))
        return [
            Result(name: "dispatch", bodyBytes: bodyBytes, writers: 1, messages: messages, seconds: r.dispatchSeconds,
                   messagesPerSecond: Double(messages) / r.dispatchSeconds, megabytesPerSecond: bytes / r.dispatchSeconds / 1e6,
                   notes: "ConsumeQueue build from the CommitLog (one dispatcher thread)"),
            Result(name: "recovery-scan", bodyBytes: bodyBytes, writers: 1, messages: messages, seconds: r.scanSeconds,
                   messagesPerSecond: Double(messages) / r.scanSeconds, megabytesPerSecond: bytes / r.scanSeconds / 1e6,
                   notes: "crash recovery: magic, length and body CRC of every record"),
        ]
    }

    /// The raw baseline: the same number of bytes written with plain
    /// sequential `write()` calls of 1 MiB into a new file, then unlinked.
    /// - Parameter keep: leave the file in place (the caller deletes it after
    ///   the append it is compared with, so that the append cannot reuse the
    ///   baseline's freshly freed, still-warm pages).
    public static func rawWrite(directory: String, bytes: Int, chunk: Int = 1 << 20, settle: Double = 0,
                                keep: Bool = false) throws -> Result {
        settleMemory(settle)
        let path = directory + "/raw-baseline.\(getpid())"
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreBenchError("open \(path): errno \(errno)") }
        defer {
            close(fd)
            if !keep { unlink(path) }
        }
        let buf = [UInt8](repeating: 0x5A, count: chunk)
        var left = bytes
        let start = DispatchTime.now().uptimeNanoseconds
        try buf.withUnsafeBytes { b in
            while left > 0 {
                let n = write(fd, b.baseAddress!, min(chunk, left))
                guard n > 0 else { throw StoreBenchError("write: errno \(errno)") }
                left -= n
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(name: "raw-write", bodyBytes: chunk, writers: 1, messages: bytes / chunk, seconds: seconds,
                      messagesPerSecond: Double(bytes / chunk) / seconds, megabytesPerSecond: Double(bytes) / seconds / 1e6,
                      notes: "plain sequential write() of 1 MiB chunks into a new file (page cache, no fsync)")
    }
}

extension StoreWorkloads {
    /// CRC-32 of `bodyBytes` bodies: zlib's table path against the PCLMULQDQ path.
    public static func crc(bodyBytes: Int, iterations: Int) -> [Result] {
        let body = (0..<bodyBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        func time(_ name: String, _ f: (UnsafeRawBufferPointer) -> UInt32) -> Result {
            var acc: UInt32 = 0
            let start = DispatchTime.now().uptimeNanoseconds
            body.withUnsafeBytes { b in for _ in 0..<iterations { acc &+= f(b) } }
            let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            withExtendedLifetime(acc) {}
            return Result(name: name, bodyBytes: bodyBytes, writers: 1, messages: iterations, seconds: s,
                          messagesPerSecond: Double(iterations) / s, megabytesPerSecond: Double(iterations * bodyBytes) / s / 1e6,
                          notes: String(format: "%.0f ns per body", s / Double(iterations) * 1e9))
        }
        return [time("crc32-zlib", CRC32.zlibChecksum), time("crc32-pclmul", CRC32.checksum)]
    }
}

/// Flushes dirty pages and idles, so freed guest memory goes back to the host
/// and the next phase starts from the same cold state (docs/PERFORMANCE.md).
func settleMemory(_ seconds: Double) {
    guard seconds > 0 else { return }
    sync()
    usleep(useconds_t(seconds * 1_000_000))
}

public struct StoreBenchError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
