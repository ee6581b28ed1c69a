import Foundation
import Logging
import MessageFormat
import Synchronization

/// The storage engine (RocketMQ `DefaultMessageStore`): opening and recovering
/// a store directory, appending, reading by queue, key and time, retention,
/// and a clean stop. Knows nothing about the network.
public final class MessageStore: @unchecked Sendable {
    // @unchecked: components are Sendable or confined to their own threads;
    // the few mutable fields are behind Mutexes.
    public let config: StoreConfig
    let logger: Logger
    private let lock: StoreLock
    private let allocator: SegmentAllocator
    let commitLog: CommitLog
    let queues: ConsumeQueueTable
    let index: IndexService?
    let checkpoint: Checkpoint
    /// Wakes long-polling readers when their queue grows.
    public let notifier = ArrivalNotifier()
    private var dispatcher: Dispatcher!
    private var asyncFlush: AsyncFlushService?
    private var groupCommit: GroupCommitService?
    private var logicsFlush: ServiceThread!
    private var clean: CleanService!
    private let stopped = Mutex(false)
    private let diskFullReason = Mutex<String?>(nil)
    /// How the last start went.
    public let recovery: RecoveryReport
    private let totalPhysicalMemory: Int64

    /// What opening the store found and did.
    public struct RecoveryReport: Sendable, Equatable {
        /// The previous stop was clean (no abort marker).
        public var lastExitOK: Bool
        /// The CommitLog was scanned record by record (false after a clean stop).
        public var scanned: Bool
        public var commitLogEnd: Int64
        /// Where re-dispatch started.
        public var dispatchedFrom: Int64
        public var redispatchedRecords: Int
        /// Time spent verifying the CommitLog (0 after a clean stop).
        public var scanSeconds: Double
        /// Time spent rebuilding ConsumeQueues and the index.
        public var dispatchSeconds: Double
    }

    /// Opens (creating if needed) and recovers the store, then starts its services.
    /// - Parameter diskUsage: measures the store filesystem's used fraction (tests substitute it).
    public convenience init(config: StoreConfig, logger: Logger = Logger(label: "peakmq.store"),
                            diskUsage: (@Sendable (String) -> Double?)? = nil) throws {
        try self.init(config: config, logger: logger, diskUsage: diskUsage, beforeSyncFlush: nil)
    }

    /// - Parameters:
    ///   - beforeSyncFlush: fault injection for tests (runs before each group-commit flush).
    ///   - duringAppend: fault injection for tests (runs inside the put lock on every append).
    init(config: StoreConfig, logger: Logger, diskUsage: (@Sendable (String) -> Double?)?,
         beforeSyncFlush: (@Sendable () -> Void)?, duringAppend: (@Sendable () -> Void)? = nil) throws {
        try config.validate()
        self.config = config
        self.logger = logger
        try StoreFormat.checkOrCreate(config: config)
        self.lock = try StoreLock(path: config.lockPath)
        let lastExitOK = !FileManager.default.fileExists(atPath: config.abortPath)
        self.allocator = SegmentAllocator(warm: config.warmMapedFileEnable, writeAhead: config.warmWriteAheadBytes, logger: logger)
        self.commitLog = CommitLog(config: config, allocator: allocator, logger: logger)
        commitLog.inLockHook = duringAppend
        self.queues = ConsumeQueueTable(rootDir: config.consumeQueueDir, fileSize: config.mappedFileSizeConsumeQueue, logger: logger)
        self.index = config.messageIndexEnable
            ? IndexService(directory: config.indexDir, slots: config.maxHashSlotNum, entries: config.maxIndexNum, logger: logger) : nil
        self.totalPhysicalMemory = Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(MappedFile.pageSize)
        do {
            try commitLog.files.load()
            try queues.load()
            try index?.load()
            self.checkpoint = try Checkpoint(path: config.checkpointPath)
        } catch {
            allocator.shutdown()
            throw error
        }

        // Recover the log, then everything derived from it.
        let cleanEnd: Int64? = lastExitOK && checkpoint.cleanShutdownOffset >= 0 ? checkpoint.cleanShutdownOffset : nil
        let scanStart = monotonicNanos()
        let end = commitLog.recover(cleanEnd: cleanEnd, safeOffset: checkpoint.safeOffset)
        let scanSeconds = Double(monotonicNanos() - scanStart) / 1e9
        for cq in queues.all.values {
            cq.recover()
            cq.truncateDirty(commitLogEnd: end)
        }
        index?.truncate(from: end)
        let derivedThrough = min(checkpoint.logicsFlushedOffset, index == nil ? Int64.max : checkpoint.indexFlushedOffset)
        let from = max(commitLog.minOffset, min(end, lastExitOK && cleanEnd != nil ? end : derivedThrough))
        let dispatcher = Dispatcher(commitLog: commitLog, queues: queues, index: index, notifier: notifier, from: from, logger: logger)
        self.dispatcher = dispatcher
        var redispatched = 0
        let dispatchStart = monotonicNanos()
        while true {
            let n = dispatcher.dispatchAvailable()
            if n == 0 { break }
            redispatched += n
        }
        var table: [QueueKey: Int64] = [:]
        for (k, cq) in queues.all { table[k] = cq.maxOffset }
        commitLog.setQueueOffsets(table)
        recovery = RecoveryReport(lastExitOK: lastExitOK, scanned: cleanEnd == nil, commitLogEnd: end,
                                  dispatchedFrom: from, redispatchedRecords: redispatched, scanSeconds: scanSeconds,
                                  dispatchSeconds: Double(monotonicNanos() - dispatchStart) / 1e9)
        logger.info("store opened", metadata: [
            "root": "\(config.storePathRootDir)", "lastExitOK": "\(lastExitOK)", "commitLogEnd": "\(end)",
            "queues": "\(table.count)", "redispatched": "\(redispatched)", "flush": "\(config.flushDiskType.rawValue)"])

        // Running: a crash from here on leaves the abort marker behind.
        _ = FileManager.default.createFile(atPath: config.abortPath, contents: nil)
        checkpoint.cleanShutdownOffset = -1
        checkpoint.flush()

        let onFlushed: @Sendable (Int64) -> Void = { [checkpoint, commitLog] offset in
            checkpoint.physicFlushedOffset = offset
            checkpoint.physicMsgTimestamp = commitLog.lastStoreTimestamp.load(ordering: .relaxed)
        }
        switch config.flushDiskType {
        case .asyncFlush: asyncFlush = AsyncFlushService(commitLog: commitLog, onFlushed: onFlushed, logger: logger)
        case .syncFlush:
            groupCommit = GroupCommitService(commitLog: commitLog, onFlushed: onFlushed, beforeFlush: beforeSyncFlush, logger: logger)
        }
        logicsFlush = ServiceThread(name: "FlushConsumeQueue") { [unowned self] t in
            var lastThorough = monotonicNanos()
            while !t.isStopped {
                t.waitForRunning(milliseconds: self.config.flushIntervalConsumeQueue)
                var least = self.config.flushConsumeQueueLeastPages
                if monotonicNanos() - lastThorough >= UInt64(self.config.flushConsumeQueueThoroughInterval) * 1_000_000 {
                    least = 0
                    lastThorough = monotonicNanos()
                }
                self.flushLogics(leastPages: least)
            }
        }
        clean = CleanService(store: self, logger: logger, diskUsage: diskUsage ?? CleanService.statvfsUsage)

        // The segment the next roll needs, or on a fresh store the first one, is
        // prepared from start-up on, so the first append does not meet a cold segment.
        let next = commitLog.files.last.map { $0.fileFromOffset + Int64(config.mappedFileSizeCommitLog) } ?? 0
        allocator.request(path: "\(config.commitLogDir)/\(offsetToFileName(next))", offset: next, size: config.mappedFileSizeCommitLog)
        if config.warmMapedFileEnable && config.warmWriteAheadBytes > 0 {
            let prefaulter = WriteAheadPrefaulter(files: commitLog.files, window: config.warmWriteAheadBytes)
            commitLog.prefaulter = prefaulter
            prefaulter.start()
        }
        dispatcher.start()
        asyncFlush?.start()
        groupCommit?.start()
        logicsFlush.start()
        clean.start()
    }

    /// Flushes ConsumeQueues, and the index on a thorough pass (`leastPages`
    /// 0: every flushConsumeQueueThoroughInterval and at shutdown), then records
    /// how far each is durable.
    ///
    /// The index only on thorough passes, as RocketMQ, which flushes an
    /// IndexFile when it is full: UNIQ_KEY hashes land on random slots, so a
    /// second of 20,000 messages dirties nearly every page of the 20 MB slot
    /// table, and writing it back every second cost ~8 ms of CPU (in one
    /// non-preemptible stretch of up to 4 ms) and 20 MB/s of disk writes.
    /// Recovery re-indexes from the checkpoint's index offset, so a crash costs
    /// re-dispatching at most one interval of records, not index entries.
    private func flushLogics(leastPages: Int) {
        let through = dispatcher.reputFrom.load(ordering: .relaxed)
        let ts = commitLog.lastStoreTimestamp.load(ordering: .relaxed)
        do {
            for cq in queues.all.values { try cq.flush(leastPages: leastPages) }
            checkpoint.logicsFlushedOffset = through
            checkpoint.logicsMsgTimestamp = ts
            if leastPages == 0 || index == nil {
                try index?.flush()
                checkpoint.indexFlushedOffset = through
                checkpoint.indexMsgTimestamp = ts
            }
            checkpoint.flush()
        } catch {
            logger.error("consume queue flush failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: writing

    func setDiskFull(_ reason: String?) {
        diskFullReason.withLock { $0 = reason }
        refreshWriteBlock()
    }

    private func refreshWriteBlock() {
        let reason: String? = stopped.withLock { $0 } ? "the store is shutting down" : diskFullReason.withLock { $0 }
        commitLog.writeBlockedReason.withLock { $0 = reason }
    }

    /// Appends a message and calls `completion` when it is acknowledged:
    /// at once with ASYNC_FLUSH, after the covering msync with SYNC_FLUSH.
    /// The body is copied before this returns.
    /// - Parameter wakeDispatcher: false when the caller appends a run of
    ///   messages and calls ``wakeDispatcher()`` after it: one wake-up (a futex
    ///   call and a context switch when the dispatcher sleeps) per run instead of per append.
    public func putMessage(_ fields: RecordFields, body: UnsafeRawBufferPointer, wakeDispatcher: Bool = true,
                           completion: @escaping @Sendable (PutResult) -> Void) {
        let r = commitLog.append(fields, body: body)
        finish(r, wakeDispatcher, completion)
    }

    public func putMessage(_ fields: RecordFields, body: [UInt8]) async -> PutResult {
        await withCheckedContinuation { c in
            body.withUnsafeBytes { putMessage(fields, body: $0) { c.resume(returning: $0) } }
        }
    }

    /// Appends a batch to one queue; one acknowledgement for all of it.
    public func putMessages(_ fields: RecordFields, items: [BatchItem], wakeDispatcher: Bool = true,
                            completion: @escaping @Sendable (PutResult) -> Void) {
        finish(commitLog.appendBatch(fields, items: items), wakeDispatcher, completion)
    }

    /// Lets the dispatcher index what was appended (after appends made with
    /// `wakeDispatcher: false`); cheap when it is awake already.
    public func wakeDispatcher() { dispatcher.wakeup() }

    /// ``wakeDispatcher()`` only while a consumer waits for new messages (a
    /// held long-poll pull): otherwise the dispatcher's next pass, within its
    /// 1 ms nap, indexes the run with the ones after it, and a sender at a low
    /// rate does not pay a futex wake-up and a context switch per message.
    public func wakeDispatcherIfAwaited() {
        if notifier.isAwaited { dispatcher.wakeup() }
    }

    public func putMessages(_ fields: RecordFields, items: [BatchItem]) async -> PutResult {
        await withCheckedContinuation { c in putMessages(fields, items: items) { c.resume(returning: $0) } }
    }

    private func finish(_ r: PutResult, _ wake: Bool, _ completion: @escaping @Sendable (PutResult) -> Void) {
        guard r.status == .putOK else { return completion(r) }
        if wake { dispatcher.wakeup() }
        if let gc = groupCommit {
            gc.submit(nextOffset: r.nextOffset) { status, remark in
                var out = r
                out.status = status
                out.remark = remark
                completion(out)
            }
        } else {
            completion(r)
        }
    }

    // MARK: reading

    public func minOffset(topic: String, queueId: Int32) -> Int64 {
        queues.existing(QueueKey(topic: topic, queueId: queueId))?.minOffset ?? 0
    }

    public func maxOffset(topic: String, queueId: Int32) -> Int64 {
        queues.existing(QueueKey(topic: topic, queueId: queueId))?.maxOffset ?? 0
    }

    public var commitLogMinOffset: Int64 { commitLog.minOffset }
    public var commitLogMaxOffset: Int64 { commitLog.maxOffset }
    /// How far the dispatcher has indexed the log.
    public var dispatchedOffset: Int64 { dispatcher.reputFrom.load(ordering: .relaxed) }
    /// Bytes appended but not yet in the ConsumeQueues.
    public var dispatchBehindBytes: Int64 { dispatcher.behindBytes }
    /// The put lock has been held too long: the broker should shed load (SYSTEM_BUSY).
    public var isPageCacheBusy: Bool { commitLog.isPageCacheBusy }
    /// How long the current append has held the put lock, ms (0 when free).
    public var putLockHeldMillis: Int64 { commitLog.lockHeldMillis }
    /// An append holds the put lock now (one that started would have to wait).
    public var isPutLockHeld: Bool { commitLog.isLockHeld }
    /// SYNC_FLUSH group commits so far: (flushes, acknowledged appends).
    public var groupCommitCounts: (flushes: Int, completed: Int) {
        guard let gc = groupCommit else { return (0, 0) }
        return (gc.stats.flushes.load(ordering: .relaxed), gc.stats.completed.load(ordering: .relaxed))
    }

    /// Why appends are refused right now, if they are.
    public var writeRefusal: String? { commitLog.writeBlockedReason.withLock { $0 } }

    /// Reads up to `maxMessages` from a queue (RocketMQ `getMessage`), applying
    /// the in-memory / on-disk transfer limits and an optional tag-hash filter.
    /// - Parameter maxBytes: an extra cap on the bytes returned (at least one message is).
    public func getMessage(topic: String, queueId: Int32, offset: Int64, maxMessages: Int, maxBytes: Int = Int.max,
                           tagsFilter: ((Int64) -> Bool)? = nil) -> GetMessageResult {
        let maxPhy = commitLog.maxOffset
        guard let cq = queues.existing(QueueKey(topic: topic, queueId: queueId)) else {
            return GetMessageResult(status: .noMatchedLogicQueue, nextBeginOffset: 0, minOffset: 0, maxOffset: 0, messages: [], suggestPullingFromSlave: false)
        }
        let minQ = cq.minOffset
        let maxQ = cq.maxOffset
        var r = GetMessageResult(status: .noMessageInQueue, nextBeginOffset: 0, minOffset: minQ, maxOffset: maxQ, messages: [], suggestPullingFromSlave: false)
        if maxQ == 0 {
            return r
        } else if offset < minQ {
            r.status = .offsetTooSmall
            r.nextBeginOffset = minQ
            return r
        } else if offset == maxQ {
            r.status = .offsetOverflowOne
            r.nextBeginOffset = offset
            return r
        } else if offset > maxQ {
            r.status = .offsetOverflowBadly
            r.nextBeginOffset = minQ == 0 ? minQ : maxQ
            return r
        }
        let memoryLimit = totalPhysicalMemory * Int64(config.accessMessageInMemoryMaxRatio) / 100
        let maxScan = min(16_000, maxMessages * 20)
        var logical = offset
        var bytes = 0
        var maxPhyPulled: Int64 = 0
        var sawRemoved = false
        r.status = .noMatchedMessage
        while logical < maxQ, logical - offset < maxScan, let u = cq.unit(at: logical) {
            if u.isPreBlank { logical += 1; continue }
            let inDisk = maxPhy - u.commitLogOffset > memoryLimit
            if batchFull(size: Int(u.size), maxMessages: maxMessages, bytes: bytes, count: r.messages.count, inDisk: inDisk) { break }
            if bytes > 0 && bytes + Int(u.size) > maxBytes { break }
            if let tagsFilter, !tagsFilter(u.tagsCode) { logical += 1; continue }
            guard let rec = commitLog.select(offset: u.commitLogOffset, size: Int(u.size)) else {
                // The segment behind this unit was deleted.
                sawRemoved = true
                logical += 1
                continue
            }
            r.messages.append(rec)
            bytes += rec.size
            maxPhyPulled = u.commitLogOffset
            logical += 1
        }
        r.nextBeginOffset = logical
        if !r.messages.isEmpty {
            r.status = .found
            r.suggestPullingFromSlave = maxPhy - maxPhyPulled > memoryLimit
        } else if sawRemoved {
            r.status = .messageWasRemoving
        }
        return r
    }

    private func batchFull(size: Int, maxMessages: Int, bytes: Int, count: Int, inDisk: Bool) -> Bool {
        if bytes == 0 || count == 0 { return false }
        if count >= maxMessages { return true }
        if inDisk {
            return bytes + size > config.maxTransferBytesOnMessageInDisk || count > config.maxTransferCountOnMessageInDisk - 1
        }
        return bytes + size > config.maxTransferBytesOnMessageInMemory || count > config.maxTransferCountOnMessageInMemory - 1
    }

    /// The record at a commitlog offset (VIEW_MESSAGE_BY_ID).
    public func message(atPhysicalOffset offset: Int64) -> StoredMessage? {
        commitLog.select(offset: offset)?.decode()
    }

    /// The record pinned in place, for zero-copy sending.
    public func selectRecord(atPhysicalOffset offset: Int64) -> SelectedRecord? {
        commitLog.select(offset: offset)
    }

    private func storeTime(_ cq: ConsumeQueue, _ logical: Int64) -> Int64? {
        guard let u = cq.unit(at: logical), !u.isPreBlank,
              let rec = commitLog.select(offset: u.commitLogOffset, size: Int(u.size)) else { return nil }
        return rec.view.storeTimestamp
    }

    /// The first logical offset whose store time is ≥ `timestamp` (maxOffset if none).
    public func offset(topic: String, queueId: Int32, timestamp: Int64) -> Int64 {
        guard let cq = queues.existing(QueueKey(topic: topic, queueId: queueId)) else { return 0 }
        var lo = cq.minOffset
        var hi = cq.maxOffset
        // Store time rises with offset, so binary search works.
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            let t = storeTime(cq, mid) ?? Int64.min
            if t < timestamp { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Store time of the message at `offset` of a queue (RocketMQ `getMessageStoreTimeStamp`), nil if absent.
    public func storeTime(topic: String, queueId: Int32, offset: Int64) -> Int64? {
        guard let cq = queues.existing(QueueKey(topic: topic, queueId: queueId)) else { return nil }
        return storeTime(cq, offset)
    }

    /// Store time of the oldest message still in the queue.
    public func earliestMessageTime(topic: String, queueId: Int32) -> Int64? {
        guard let cq = queues.existing(QueueKey(topic: topic, queueId: queueId)) else { return nil }
        return storeTime(cq, cq.minOffset)
    }

    /// Messages of `topic` whose KEYS or UNIQ_KEY equal `key`, stored in `[begin, end]` ms.
    public func queryMessages(topic: String, key: String, maxCount: Int = 64,
                              begin: Int64 = 0, end: Int64 = Int64.max) -> [StoredMessage] {
        guard let index else { return [] }
        var out: [StoredMessage] = []
        for off in index.query(topic: topic, key: key, max: maxCount * 2, begin: begin, end: end) {
            guard let m = commitLog.select(offset: off)?.decode(), m.topic == topic else { continue }
            // Hash collisions and stale entries are filtered by the record itself.
            guard m.uniqueKey == key || m.keys.contains(key) else { continue }
            guard m.storeTimestamp >= begin, m.storeTimestamp <= end else { continue }
            out.append(m)
            if out.count >= maxCount { break }
        }
        return out
    }

    /// Topics that have ConsumeQueues, with their queue ids.
    public var queueKeys: [QueueKey] { Array(queues.all.keys) }

    /// Deletes the ConsumeQueues of `topic` (its records age out of the log normally).
    public func deleteTopic(_ topic: String) {
        for cq in queues.remove(topic: topic) { cq.files.destroy() }
        commitLog.removeQueueOffsets(topic: topic)
    }

    /// Runs one retention pass now (tests, and `mqadmin`'s manual delete).
    @discardableResult
    func runCleanPass(now: Date = Date()) -> CleanService.PassReport { clean.runPass(now: now) }

    /// Asks retention to delete expired segments now, whatever the hour.
    public func deleteExpiredFilesNow() { clean.executeDeleteFilesManually() }

    /// Blocks until the background segment preparation (preallocation and
    /// prefaulting) is done; benchmarks use it to time appends alone.
    public func waitForSegmentPreparation(timeoutMillis: Int = 60_000) -> Bool {
        let deadline = monotonicNanos() + UInt64(timeoutMillis) * 1_000_000
        while !allocator.isIdle {
            if monotonicNanos() > deadline { return false }
            usleep(1000)
        }
        return true
    }

    /// Blocks until the dispatcher has indexed everything appended so far
    /// (for tools and tests that read right after writing).
    public func waitForDispatch(timeoutMillis: Int = 10_000) -> Bool {
        let deadline = monotonicNanos() + UInt64(timeoutMillis) * 1_000_000
        while dispatchedOffset < commitLog.maxOffset {
            if monotonicNanos() > deadline { return false }
            dispatcher.wakeup()
            sched_yield()
        }
        return true
    }

    // MARK: stopping

    /// Stops cleanly: refuses new appends, dispatches and flushes everything,
    /// records where the log ends and removes the abort marker, so the next
    /// start skips the recovery scan.
    public func shutdown() {
        guard stopServices() else { return }
        defer {
            notifier.cancelAll()
            lock.release()
        }
        do {
            try commitLog.files.flush(leastPages: 0)
        } catch {
            logger.error("final flush failed; the next start will run crash recovery", metadata: ["error": "\(error)"])
            return
        }
        flushLogics(leastPages: 0)
        let end = commitLog.maxOffset
        checkpoint.physicFlushedOffset = end
        checkpoint.cleanShutdownOffset = dispatchedOffset == end ? end : -1
        checkpoint.flush()
        if checkpoint.cleanShutdownOffset == end { unlink(config.abortPath) }
        logger.info("store stopped cleanly", metadata: ["commitLogEnd": "\(end)"])
    }

    /// Stops every thread without the clean-stop bookkeeping: the abort marker
    /// stays and the checkpoint keeps no clean end, exactly as after SIGKILL
    /// (the page cache keeps what was written). For in-process crash tests.
    func abandonForTesting() {
        guard stopServices() else { return }
        notifier.cancelAll()
        lock.release()
    }

    /// Refuses new appends and stops every service thread, in dependency order
    /// (retention, flushers, dispatcher, prefaulting, allocation, queue flush).
    /// - Returns: false when the store was already stopped.
    private func stopServices() -> Bool {
        let already = stopped.withLock { s -> Bool in let was = s; s = true; return was }
        if already { return false }
        refreshWriteBlock()
        clean.shutdown()
        groupCommit?.shutdown()
        asyncFlush?.shutdown()
        dispatcher.shutdown()
        commitLog.prefaulter?.shutdown()
        allocator.shutdown()
        logicsFlush.shutdown()
        return true
    }
}
