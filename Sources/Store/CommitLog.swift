import Atomics
import Foundation
import Logging
import MessageFormat
import Synchronization

/// Identifies one queue of one topic.
public struct QueueKey: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var queueId: Int32
    public init(topic: String, queueId: Int32) {
        self.topic = topic
        self.queueId = queueId
    }
    public var description: String { "\(topic)-\(queueId)" }
}

/// One item of a batch: what differs per message when topic, queue and hosts are shared.
public struct BatchItem: Sendable {
    public var flag: Int32
    public var properties: String
    public var body: [UInt8]
    public init(flag: Int32 = 0, properties: String = "", body: [UInt8]) {
        self.flag = flag
        self.properties = properties
        self.body = body
    }
}

/// The append-only log of every message (RocketMQ `CommitLog`).
///
/// Encoding (and the body CRC) happens outside the put lock; inside it only
/// the segment choice, the three assigned fields and the copy into the mapping
/// happen. Concurrent appenders block on the mutex: there is no queue to grow.
final class CommitLog: @unchecked Sendable {
    // @unchecked: mutable state is in `put` (a Mutex) or atomics.
    let files: MappedFileQueue
    let config: StoreConfig
    private let logger: Logger

    private struct PutState {
        var queueOffsets: [QueueKey: Int64] = [:]
        var lastStoreTimestamp: Int64 = 0
    }
    private let put = Mutex(PutState())
    /// Monotonic ns when the current holder took the put lock; 0 = free.
    private let lockBegan = ManagedAtomic<UInt64>(0)
    /// Set when appends must be refused (disk above the warning level, shut down).
    let writeBlockedReason = Mutex<String?>(nil)
    /// Store time of the newest appended record.
    let lastStoreTimestamp = ManagedAtomic<Int64>(0)
    /// Set when warm-up is on: keeps pages ahead of the write position writable.
    /// Assigned once while the store opens, before any append can run.
    var prefaulter: WriteAheadPrefaulter?
    /// Fault injection for tests: runs inside the put lock on every append (a
    /// stalled disk). Assigned once while the store opens, before any append.
    var inLockHook: (@Sendable () -> Void)?

    init(config: StoreConfig, allocator: SegmentAllocator?, logger: Logger) {
        self.config = config
        self.logger = logger
        self.files = MappedFileQueue(directory: config.commitLogDir, fileSize: config.mappedFileSizeCommitLog,
                                     allocator: allocator, logger: logger)
    }

    var minOffset: Int64 { files.minOffset }
    var maxOffset: Int64 { files.maxOffset }

    /// True while an append has held the lock longer than osPageCacheBusyTimeOutMills
    /// (RocketMQ `isOSPageCacheBusy`): the broker answers SYSTEM_BUSY then.
    var isPageCacheBusy: Bool {
        let began = lockBegan.load(ordering: .relaxed)
        guard began != 0 else { return false }
        let held = (monotonicNanos() &- began) / 1_000_000
        return held > UInt64(config.osPageCacheBusyTimeOutMills) && held < 10_000_000
    }

    /// An append holds the put lock now.
    var isLockHeld: Bool { lockBegan.load(ordering: .relaxed) != 0 }

    /// How long the current append has held the put lock, ms (0 when free;
    /// RocketMQ `lockTimeMills`, the runtime info's pageCacheLockTimeMills).
    var lockHeldMillis: Int64 {
        let began = lockBegan.load(ordering: .relaxed)
        guard began != 0 else { return 0 }
        return Int64((monotonicNanos() &- began) / 1_000_000)
    }

    /// Next queue offsets, set after recovery.
    func setQueueOffsets(_ table: [QueueKey: Int64]) {
        put.withLock { $0.queueOffsets = table }
    }

    func queueOffset(_ key: QueueKey) -> Int64 { put.withLock { $0.queueOffsets[key] ?? 0 } }

    func removeQueueOffsets(topic: String) {
        put.withLock { s in s.queueOffsets = s.queueOffsets.filter { $0.key.topic != topic } }
    }

    private func checkWritable() throws(StoreError) {
        if let why = writeBlockedReason.withLock({ $0 }) { throw .serviceNotAvailable(why) }
    }

    // MARK: append

    /// Appends one message. Returns once the bytes are in the page cache.
    func append(_ fields: RecordFields, body: UnsafeRawBufferPointer) -> PutResult {
        do {
            try checkWritable()
            try MessageValidator.validate(fields, bodyLength: body.count, config: config)
        } catch {
            return .from(error)
        }
        let crc = CRC32.checksum(body)
        let txType = fields.sysFlag.transactionType
        let advances = txType == SysFlag.transactionNotType || txType == SysFlag.transactionCommitType
        let key = QueueKey(topic: fields.topic, queueId: fields.queueId)
        var topic = fields.topic
        var properties = fields.properties
        return topic.withUTF8 { t in
            properties.withUTF8 { p in
                let headLen = RecordEncoder.headLength(fields)
                let tailLen = RecordEncoder.tailLength(topic: t.count, properties: p.count)
                // Head and tail are encoded here, outside the lock; the body is
                // copied once, inside it, straight into the mapping.
                return withUnsafeTemporaryAllocation(byteCount: headLen + tailLen, alignment: 8) { parts in
                    let head = parts.baseAddress!
                    let tail = head + headLen
                    RecordEncoder.encodeParts(fields, topic: UnsafeRawBufferPointer(t), properties: UnsafeRawBufferPointer(p),
                                              bodyLength: body.count, bodyCRC: crc, head: head, tail: tail)
                    return appendEncoded(length: headLen + body.count + tailLen, count: 1, key: key, advancesQueue: advances) { dst in
                        dst.copyMemory(from: head, byteCount: headLen)
                        if body.count > 0 { (dst + headLen).copyMemory(from: body.baseAddress!, byteCount: body.count) }
                        (dst + headLen + body.count).copyMemory(from: tail, byteCount: tailLen)
                    } patch: { dst, phys, q, ts in
                        RecordEncoder.patch(dst, queueOffset: advances ? q : 0, physicalOffset: phys, storeTimestamp: ts)
                    }
                }
            }
        }
    }

    /// Appends a batch to one queue: all records land in one segment with
    /// consecutive queue offsets (a batch that does not fit rolls to the next segment).
    func appendBatch(_ fields: RecordFields, items: [BatchItem]) -> PutResult {
        guard !items.isEmpty else { return .failure(.messageIllegal, "empty batch") }
        var lengths: [Int] = []
        lengths.reserveCapacity(items.count)
        var total = 0
        do {
            try checkWritable()
            var f = fields
            for (i, item) in items.enumerated() {
                f.flag = item.flag
                f.properties = item.properties
                try MessageValidator.validate(f, bodyLength: item.body.count, config: config, checkTopic: i == 0)
                let l = f.recordLength(bodyLength: item.body.count)
                lengths.append(l)
                total += l
            }
            if total + RecordLayout.endOfFileMinBlankLength > config.mappedFileSizeCommitLog {
                throw StoreError.messageIllegal("batch of \(total) bytes cannot fit in one \(config.mappedFileSizeCommitLog)-byte segment")
            }
        } catch let e as StoreError {
            return .from(e)
        } catch {
            return .failure(.unknownError, "\(error)")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: total, alignment: 8)
        defer { buffer.deallocate() }
        var pos = 0
        var f = fields
        for item in items {
            f.flag = item.flag
            f.properties = item.properties
            pos += item.body.withUnsafeBytes { RecordEncoder.encode(f, body: $0, into: buffer.baseAddress! + pos) }
        }
        return appendEncoded(length: total, count: items.count,
                             key: QueueKey(topic: fields.topic, queueId: fields.queueId), advancesQueue: true) { dst in
            dst.copyMemory(from: buffer.baseAddress!, byteCount: total)
        } patch: { p, phys, q, ts in
            var off = 0
            for (i, l) in lengths.enumerated() {
                RecordEncoder.patch(p + off, queueOffset: q + Int64(i), physicalOffset: phys + Int64(off), storeTimestamp: ts)
                off += l
            }
        }
    }

    /// The critical section shared by single and batch appends.
    private func appendEncoded(
        length need: Int, count: Int, key: QueueKey, advancesQueue: Bool,
        write: (UnsafeMutableRawPointer) -> Void,
        patch: (UnsafeMutableRawPointer, Int64, Int64, Int64) -> Void
    ) -> PutResult {
        return put.withLock { s -> PutResult in
            lockBegan.store(monotonicNanos(), ordering: .relaxed)
            defer { lockBegan.store(0, ordering: .relaxed) }
            inLockHook?()
            do {
                var file = try files.lastForAppend()
                if file.fileSize - file.wrotePosition < need + RecordLayout.endOfFileMinBlankLength {
                    // Not enough room: close the segment with a blank and roll.
                    let pos = file.wrotePosition
                    RecordEncoder.writeBlank(length: file.fileSize - pos, into: file.writableAddress(at: pos))
                    file.publish(upTo: file.fileSize)
                    file = try files.lastForAppend()
                }
                let pos = file.wrotePosition
                let phys = file.fileFromOffset + Int64(pos)
                // Store time rises with offset even if the wall clock steps back.
                let ts = max(currentTimeMillis(), s.lastStoreTimestamp)
                s.lastStoreTimestamp = ts
                let queueOffset = s.queueOffsets[key] ?? 0
                let dst = file.writableAddress(at: pos)
                write(dst)
                patch(dst, phys, queueOffset, ts)
                file.publish(upTo: pos + need)
                prefaulter?.appended(file, position: pos + need)
                if advancesQueue { s.queueOffsets[key] = queueOffset + Int64(count) }
                lastStoreTimestamp.store(ts, ordering: .relaxed)
                return PutResult(status: .putOK, wroteOffset: phys, wroteBytes: need,
                                 queueOffset: advancesQueue ? queueOffset : 0, messageCount: count, storeTimestamp: ts, remark: nil)
            } catch let e as StoreError {
                return .from(e)
            } catch {
                return .failure(.unknownError, "\(error)")
            }
        }
    }

    // MARK: read

    /// The record bytes at `offset` of `size`, if stored and fully written.
    func select(offset: Int64, size: Int) -> SelectedRecord? {
        guard let f = files.find(offset: offset) else { return nil }
        let pos = Int(offset - f.fileFromOffset)
        guard pos >= 0, size > 0, pos + size <= f.wrotePosition else { return nil }
        return SelectedRecord(file: f, position: pos, size: size)
    }

    /// The record starting at `offset` (size read from the record itself).
    func select(offset: Int64) -> SelectedRecord? {
        guard let f = files.find(offset: offset) else { return nil }
        let pos = Int(offset - f.fileFromOffset)
        guard pos >= 0, pos + 8 <= f.wrotePosition else { return nil }
        let size = Int(f.address(at: pos).beInt32(at: 0))
        guard f.address(at: pos).beInt32(at: 4) == RecordLayout.magicV1 else { return nil }
        return select(offset: offset, size: size)
    }

    // MARK: recovery

    /// Recovers positions and returns the valid end of the log.
    /// - Parameters:
    ///   - cleanEnd: the end recorded at a clean stop; when given the scan is skipped.
    ///   - safeOffset: crash recovery verifies records from the segment holding it.
    func recover(cleanEnd: Int64?, safeOffset: Int64) -> Int64 {
        let all = files.snapshot
        guard let first = all.first, let last = all.last else { return 0 }
        let size = Int64(files.fileSize)
        if let end = cleanEnd, end >= first.fileFromOffset, end <= last.fileFromOffset + size {
            for f in all {
                let pos = Int(max(0, min(size, end - f.fileFromOffset)))
                f.setPositions(wrote: pos, flushed: pos)
            }
            files.truncate(from: end)
            logger.info("clean restart: log ends at \(end), no scan")
            return end
        }
        let startIndex = all.firstIndex { safeOffset < $0.fileFromOffset + size } ?? (all.count - 1)
        for f in all[..<startIndex] { f.setPositions(wrote: f.fileSize, flushed: f.fileSize) }
        var validEnd = all[startIndex].fileFromOffset
        var scanned = 0
        scan: for f in all[startIndex...] {
            var pos = 0
            while pos < f.fileSize {
                switch RecordView.check(at: f.address(at: pos), available: f.fileSize - pos, verifyCRC: config.checkCRCOnRecover) {
                case .record(let n):
                    pos += n
                    scanned += 1
                case .blank:
                    pos = f.fileSize
                case .invalid(let reason):
                    validEnd = f.fileFromOffset + Int64(pos)
                    if reason != "end of data" {
                        logger.warning("recovery: torn or damaged record, truncating", metadata: [
                            "file": "\(f.path)", "position": "\(pos)", "reason": "\(reason)"])
                    }
                    f.setPositions(wrote: pos, flushed: pos)
                    break scan
                }
            }
            f.setPositions(wrote: f.fileSize, flushed: f.fileSize)
            validEnd = f.fileFromOffset + size
        }
        files.truncate(from: validEnd)
        logger.info("crash recovery: verified \(scanned) records from offset \(all[startIndex].fileFromOffset); log ends at \(validEnd)")
        return validEnd
    }
}

/// A record (or run of records) inside a live segment. Holding it keeps the
/// segment mapped and its descriptor open, even if retention deletes it.
public struct SelectedRecord: Sendable {
    public let file: MappedFile
    /// Position inside the segment file.
    public let position: Int
    public let size: Int

    /// The segment's descriptor and the file offset, for `sendfile`.
    public var fd: Int32 { file.fd }
    public var physicalOffset: Int64 { file.fileFromOffset + Int64(position) }
    public var view: RecordView { RecordView(base: file.address(at: position), limit: size) }
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: file.address(at: position), count: size) }
    public func decode() -> StoredMessage { StoredMessage(view) }
}
