import Foundation
import Logging
import Synchronization

/// Retention (RocketMQ `CleanCommitLogService` + `CleanConsumeQueueService`).
///
/// Every cleanResourceInterval ms it measures the store's disk and deletes
/// expired whole segments from the front when the hour is in deleteWhen, the
/// disk is above diskMaxUsedSpaceRatio, or a manual clean was asked for.
/// Above diskSpaceCleanForciblyRatio it deletes even unexpired segments; above
/// diskSpaceWarningLevelRatio it refuses appends. Deletion is paced (at most 10
/// segments a pass, deleteCommitLogFilesInterval ms apart) and never takes the
/// put lock, so appends do not stall; the active segment is never deleted.
final class CleanService: @unchecked Sendable {
    // @unchecked: `manualPasses` is behind a Mutex; the rest is immutable.
    private let store: MessageStore
    private let config: StoreConfig
    private let logger: Logger
    private var thread: ServiceThread!
    private let manualPasses = Mutex(0)
    /// Measures disk use (fraction 0…1) of the store's filesystem; tests substitute it.
    let diskUsage: @Sendable (String) -> Double?

    static let maxFilesPerPass = 10

    init(store: MessageStore, logger: Logger, diskUsage: @escaping @Sendable (String) -> Double? = CleanService.statvfsUsage) {
        self.store = store
        self.config = store.config
        self.logger = logger
        self.diskUsage = diskUsage
        self.thread = ServiceThread(name: "CleanService") { [unowned self] t in
            while !t.isStopped {
                t.waitForRunning(milliseconds: self.config.cleanResourceInterval)
                if t.isStopped { break }
                self.runPass(stop: { t.isStopped })
            }
        }
    }

    func start() { thread.start() }
    func shutdown() { thread.shutdown() }

    /// Asks for expired segments to be deleted now (RocketMQ: 20 passes).
    func executeDeleteFilesManually() {
        manualPasses.withLock { $0 = 20 }
        thread.wakeup()
    }

    /// Used fraction of the filesystem holding `path`.
    static let statvfsUsage: @Sendable (String) -> Double? = { path in
        var s = statvfs()
        guard statvfs(path, &s) == 0, s.f_blocks > 0 else { return nil }
        let total = Double(s.f_blocks)
        let free = Double(s.f_bfree)
        return (total - free) / total
    }

    /// What one pass decided and did.
    struct PassReport: Equatable {
        var usage: Double?
        var deletedCommitLogFiles = 0
        var deletedConsumeQueueFiles = 0
        var deletedIndexFiles = 0
        var forced = false
        var writesRefused = false
    }

    @discardableResult
    func runPass(now: Date = Date(), stop: () -> Bool = { false }) -> PassReport {
        var report = PassReport()
        let usage = diskUsage(config.commitLogDir)
        report.usage = usage
        let u = (usage ?? 0) * 100
        report.writesRefused = u > Double(config.diskSpaceWarningLevelRatio)
        store.setDiskFull(report.writesRefused ? String(format: "disk %.1f%% used, over diskSpaceWarningLevelRatio %d%%; maybe disk full", u, config.diskSpaceWarningLevelRatio) : nil)
        if report.writesRefused {
            logger.error("disk above warning level: appends refused", metadata: ["usedPercent": "\(u)"])
        }
        let forced = config.cleanFileForciblyEnable && u > Double(config.diskSpaceCleanForciblyRatio)
        report.forced = forced
        let hour = Calendar.current.component(.hour, from: now)
        let timeUp = config.deleteHours.contains(hour)
        let spaceFull = u > Double(config.diskMaxUsedSpaceRatio)
        let manual = manualPasses.withLock { m -> Bool in
            guard m > 0 else { return false }
            m -= 1
            return true
        }
        if timeUp || spaceFull || manual || forced {
            let reserved = TimeInterval(config.fileReservedTime) * 3600
            // Never delete what the dispatcher has not indexed or the flusher not made durable.
            let safeEnd = min(store.dispatchedOffset, store.commitLog.files.flushedWhere)
            var deleted = 0
            while deleted < Self.maxFilesPerPass, !stop() {
                let gone = store.commitLog.files.deleteFromFront(max: 1) { f in
                    f.fileFromOffset + Int64(f.fileSize) <= safeEnd
                        && (forced || now.timeIntervalSince(f.lastModified) > reserved)
                }
                guard let g = gone.first else { break }
                deleted += 1
                logger.info("retention: deleted commitlog segment", metadata: [
                    "file": "\(g.path)", "forced": "\(forced)", "reason": "\(timeUp ? "deleteWhen" : spaceFull ? "diskMaxUsedSpaceRatio" : manual ? "manual" : "forced")"])
                if config.deleteCommitLogFilesInterval > 0 { usleep(useconds_t(config.deleteCommitLogFilesInterval) * 1000) }
            }
            report.deletedCommitLogFiles = deleted
        }
        let minOffset = store.commitLog.minOffset
        for cq in store.queues.all.values {
            report.deletedConsumeQueueFiles += cq.deleteExpired(commitLogMinOffset: minOffset)
        }
        report.deletedIndexFiles = store.index?.deleteExpired(commitLogMinOffset: minOffset) ?? 0
        return report
    }
}
