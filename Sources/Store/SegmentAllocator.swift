import Foundation
import Logging
import Synchronization

/// Creates the next CommitLog segment in the background (RocketMQ
/// `AllocateMappedFileService`): open, fallocate, mmap and, when enabled, warm
/// every page. On this machine class touching never-used memory runs at about
/// 0.5 GB/s against ~6 GB/s for resident pages, so doing it here, off the
/// append path, is what keeps appends at memcpy speed.
final class SegmentAllocator: @unchecked Sendable {
    // @unchecked: shared state is behind `state`; the thread is internal.
    private enum Slot {
        case pending
        case ready(MappedFile)
        case failed(StoreError)
    }
    private struct State {
        var queue: [(path: String, offset: Int64, size: Int)] = []
        var slots: [String: Slot] = [:]
        /// Segments an appender is waiting for: their warm-up stops and they are handed over as they are.
        var awaited: Set<String> = []
        /// Full segments whose warm-up lock is to be released.
        var toUnlock: [MappedFile] = []
    }
    private let state = Mutex(State())
    private let done = Condition()
    private var thread: ServiceThread!
    private let warm: Bool
    private let logger: Logger
    /// How long an appender waits for a segment being prepared (RocketMQ: 5 s).
    let waitMillis: Int

    /// Bytes at the start of each new segment to map writable (the write-ahead window).
    private let writeAhead: Int

    /// Reused by every warm-up (see `WarmScratch`); created on the thread.
    private var scratch: WarmScratch?

    init(warm: Bool, writeAhead: Int = 0, waitMillis: Int = 5000, logger: Logger) {
        self.warm = warm
        self.writeAhead = writeAhead
        self.waitMillis = waitMillis
        self.logger = logger
        self.thread = ServiceThread(name: "SegmentAllocator") { [unowned self] t in self.run(t) }
        thread.start()
    }

    /// Asks for a segment to be prepared (no-op if already asked for).
    func request(path: String, offset: Int64, size: Int) {
        let added = state.withLock { s -> Bool in
            guard s.slots[path] == nil else { return false }
            s.slots[path] = .pending
            s.queue.append((path, offset, size))
            return true
        }
        if added { thread.wakeup() }
    }

    /// Releases a full segment's warm-up lock on this thread: `munlock` takes the
    /// process's mmap lock for writing and walks the whole mapping, which is no
    /// work for the appender that fills the segment.
    func unlockLater(_ file: MappedFile) {
        guard file.isLocked else { return }
        state.withLock { $0.toUnlock.append(file) }
        thread.wakeup()
    }

    /// Takes a prepared segment, waiting for it when it is being prepared and
    /// creating it inline when it was never requested.
    func take(path: String, offset: Int64, size: Int) throws -> MappedFile {
        request(path: path, offset: offset, size: size)
        state.withLock { _ = $0.awaited.insert(path) }
        defer { state.withLock { _ = $0.awaited.remove(path) } }
        var result: Result<MappedFile, StoreError>?
        done.wait(milliseconds: waitMillis) {
            state.withLock { s in
                switch s.slots[path] {
                case .ready(let f): s.slots[path] = nil; result = .success(f); return true
                case .failed(let e): s.slots[path] = nil; result = .failure(e); return true
                default: return false
                }
            }
        }
        switch result {
        case .success(let f): return f
        case .failure(let e): throw e
        case nil:
            throw StoreError.serviceNotAvailable("segment \(path) not prepared within \(waitMillis) ms")
        }
    }

    private func run(_ t: ServiceThread) {
        // Warming faults in a gigabyte of cold memory: at a lower priority (per
        // thread on Linux) it yields the cores to appends and network threads,
        // which keeps their latency; an appender that needs the segment stops it (below).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        if warm { scratch = WarmScratch(bytes: MappedFile.warmChunk) }
        while !t.isStopped {
            unlockPending()
            let job = state.withLock { s in s.queue.isEmpty ? nil : s.queue.removeFirst() }
            guard let job else {
                t.waitForRunning(milliseconds: 1000)
                continue
            }
            let began = monotonicNanos()
            let slot: Slot
            do {
                let f = try MappedFile(path: job.path, fileFromOffset: job.offset, fileSize: job.size, create: true)
                if warm {
                    let path = job.path
                    let locked = f.warm(scratch: scratch, stop: { t.isStopped || self.state.withLock { $0.awaited.contains(path) } })
                    if writeAhead > 0 { f.prefaultWritable(upTo: writeAhead) }
                    logger.debug("segment warmed", metadata: [
                        "file": "\(job.path)", "ms": "\((monotonicNanos() - began) / 1_000_000)", "mlock": "\(locked)"])
                }
                slot = .ready(f)
            } catch let e as StoreError {
                logger.error("segment preallocation failed", metadata: ["file": "\(job.path)", "error": "\(e)"])
                slot = .failed(e)
            } catch {
                slot = .failed(.serviceNotAvailable("\(error)"))
            }
            state.withLock { s in
                // A take() that already gave up removed nothing; keep the file for the next take.
                s.slots[job.path] = slot
            }
            done.broadcast()
        }
    }

    /// Releases the locks `unlockLater` queued.
    private func unlockPending() {
        let files = state.withLock { s in defer { s.toUnlock.removeAll() }; return s.toUnlock }
        for f in files { f.unlock() }
    }

    /// True when no segment is queued or being prepared.
    var isIdle: Bool {
        state.withLock { s in
            s.queue.isEmpty && s.toUnlock.isEmpty && !s.slots.values.contains { if case .pending = $0 { return true } else { return false } }
        }
    }

    /// Stops the thread and removes prepared-but-unused segments (they hold no data).
    func shutdown() {
        thread.shutdown()
        unlockPending()
        let leftovers: [MappedFile] = state.withLock { s in
            let r = s.slots.values.compactMap { slot -> MappedFile? in if case .ready(let f) = slot { return f } else { return nil } }
            s.slots.removeAll()
            return r
        }
        for f in leftovers { f.markDeleted() }
    }
}
