import Atomics
import Foundation
import Logging
import MessageFormat

/// Follows the CommitLog and builds ConsumeQueues and the index from it
/// (RocketMQ `ReputMessageService`). One thread; appends wake it when it sleeps.
final class Dispatcher: @unchecked Sendable {
    // @unchecked: `reputFromOffset` is an atomic; everything else it touches
    // is either immutable or written only from its own thread.
    private let commitLog: CommitLog
    private let queues: ConsumeQueueTable
    private let index: IndexService?
    private let notifier: ArrivalNotifier
    private let logger: Logger
    let reputFrom: ManagedAtomic<Int64>
    private var thread: ServiceThread!

    init(commitLog: CommitLog, queues: ConsumeQueueTable, index: IndexService?, notifier: ArrivalNotifier,
         from offset: Int64, logger: Logger) {
        self.commitLog = commitLog
        self.queues = queues
        self.index = index
        self.notifier = notifier
        self.logger = logger
        self.reputFrom = ManagedAtomic(offset)
        self.thread = ServiceThread(name: "Dispatcher") { [unowned self] t in
            while !t.isStopped {
                let before = self.failedPasses
                if self.dispatchAvailable() == 0 {
                    // Back off while a write keeps failing; otherwise nap until woken.
                    t.waitForRunning(milliseconds: self.failedPasses > before ? 100 : 1)
                }
            }
            _ = self.dispatchAvailable()
        }
    }

    func start() { thread.start() }
    func shutdown() { thread.shutdown() }
    func wakeup() { thread.wakeup() }

    /// Bytes appended but not yet dispatched (RocketMQ `dispatchBehindBytes`).
    var behindBytes: Int64 { max(0, commitLog.maxOffset - reputFrom.load(ordering: .relaxed)) }

    /// Dispatches every complete record written so far.
    /// - Returns: records dispatched.
    @discardableResult
    func dispatchAvailable() -> Int {
        var from = max(reputFrom.load(ordering: .relaxed), commitLog.minOffset)
        var count = 0
        var arrivals: [QueueKey: Int64] = [:]
        while from < commitLog.maxOffset, let f = commitLog.files.find(offset: from) {
            let end = f.wrotePosition
            var pos = Int(from - f.fileFromOffset)
            while pos + 8 <= end {
                let p = f.address(at: pos)
                let size = Int(p.beInt32(at: 0))
                let magic = p.beInt32(at: 4)
                if magic == RecordLayout.blankMagic {
                    pos = f.fileSize
                    break
                }
                guard magic == RecordLayout.magicV1, size >= RecordLayout.fixedLengthIPv4, pos + size <= end else {
                    logger.critical("dispatcher found an invalid record; stopping dispatch", metadata: [
                        "offset": "\(f.fileFromOffset + Int64(pos))", "size": "\(size)"])
                    reputFrom.store(f.fileFromOffset + Int64(pos), ordering: .relaxed)
                    return count
                }
                let v = RecordView(base: p, limit: size)
                let phys = f.fileFromOffset + Int64(pos)
                guard dispatch(v, physicalOffset: phys, arrivals: &arrivals) else {
                    // Retry this record on the next pass (e.g. disk full while
                    // creating a ConsumeQueue file): skipping it would hide it
                    // from consumers for good.
                    reputFrom.store(phys, ordering: .relaxed)
                    for (k, maxOffset) in arrivals { notifier.arrived(k, maxOffset: maxOffset) }
                    failedPasses += 1
                    return count
                }
                pos += size
                count += 1
            }
            from = f.fileFromOffset + Int64(min(pos, f.fileSize))
            reputFrom.store(from, ordering: .relaxed)
            if pos < f.fileSize { break }  // caught up inside this segment
        }
        for (k, maxOffset) in arrivals { notifier.arrived(k, maxOffset: maxOffset) }
        return count
    }

    /// Passes that stopped on a failed ConsumeQueue write (dispatcher thread only).
    private(set) var failedPasses = 0

    private func dispatch(_ v: RecordView, physicalOffset: Int64, arrivals: inout [QueueKey: Int64]) -> Bool {
        let tx = v.sysFlag.transactionType
        if tx == SysFlag.transactionNotType || tx == SysFlag.transactionCommitType {
            let key = QueueKey(topic: v.topic, queueId: v.queueId)
            let tagsCode: Int64 = v.property("TAGS").map { tags in
                Int64(JavaHash.fold(0, ascii: tags) ?? String(decoding: tags, as: UTF8.self).javaHashCode)
            } ?? 0
            do {
                try queues.queue(key).put(commitLogOffset: physicalOffset, size: v.totalSize, tagsCode: tagsCode,
                                          queueOffset: v.queueOffset)
                arrivals[key] = v.queueOffset + 1
            } catch {
                if failedPasses % 1000 == 0 {
                    logger.error("consume queue write failed; will retry", metadata: ["queue": "\(key)", "error": "\(error)"])
                }
                return false
            }
        }
        index?.build(record: v, physicalOffset: physicalOffset)
        return true
    }
}
