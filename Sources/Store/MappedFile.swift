import Atomics
import CFileOps
import Foundation

/// One preallocated, memory-mapped segment file (RocketMQ `MappedFile`).
///
/// Appends copy into the shared mapping, so they cost a `memcpy` into the page
/// cache; readers see bytes below `wrotePosition` (published with release
/// ordering after the copy). The mapping lives as long as the object: a
/// deleted segment is unlinked at once but unmapped only when the last reader
/// holding it lets go, which is how a pull that is still `sendfile`-ing from a
/// segment survives its deletion.
public final class MappedFile: @unchecked Sendable {
    // @unchecked: `base` is written only by the single appender of this file
    // (the CommitLog under its lock, or the dispatcher for ConsumeQueues);
    // positions are atomics, and readers only touch bytes below wrotePosition.
    public let path: String
    /// The global offset of the file's first byte; also its name.
    public let fileFromOffset: Int64
    public let fileSize: Int
    /// The open descriptor, for zero-copy (`sendfile`) reads.
    public let fd: Int32
    let base: UnsafeMutableRawPointer
    let wrote: ManagedAtomic<Int>
    let flushed: ManagedAtomic<Int>
    private let locked = ManagedAtomic<Bool>(false)
    private let deleted = ManagedAtomic<Bool>(false)

    /// Opens (creating and preallocating when asked) and maps a segment.
    /// - Parameter preallocate: reserve every block now (`posix_fallocate`), so a
    ///   later store into the mapping cannot hit ENOSPC (which would be SIGBUS).
    init(path: String, fileFromOffset: Int64, fileSize: Int, create: Bool, preallocate: Bool = true) throws {
        self.path = path
        self.fileFromOffset = fileFromOffset
        self.fileSize = fileSize
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw StoreError.fromErrno("open", path) }
        var st = stat()
        fstat(fd, &st)
        if Int(st.st_size) < fileSize {
            if preallocate {
                // In pieces: one call for a whole 1 GiB segment is 1-2 ms of kernel
                // work without a preemption point (a traced event loop waited 2.8 ms
                // behind it); a 16 MiB call is at most ~0.3 ms (see `flush`).
                var rc: Int32 = 0
                var p = 0
                while rc == 0 && p < fileSize {
                    let n = min(Self.fallocateChunk, fileSize - p)
                    rc = posix_fallocate(fd, off_t(p), off_t(n))
                    p += n
                }
                if rc != 0 {
                    close(fd)
                    if create && st.st_size == 0 { unlink(path) }
                    throw StoreError.fromErrno("fallocate", path, rc)
                }
            } else if ftruncate(fd, off_t(fileSize)) != 0 {
                let e = errno
                close(fd)
                throw StoreError.fromErrno("ftruncate", path, e)
            }
        } else if Int(st.st_size) > fileSize {
            close(fd)
            throw StoreError.incompatibleStore("\(path) is \(st.st_size) bytes, expected \(fileSize) (segment size changed?)")
        }
        guard let p = mmap(nil, fileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            let e = errno
            close(fd)
            throw StoreError.fromErrno("mmap", path, e)
        }
        self.fd = fd
        self.base = p
        self.wrote = ManagedAtomic(0)
        self.flushed = ManagedAtomic(0)
    }

    deinit {
        if locked.load(ordering: .relaxed) { munlock(base, fileSize) }
        munmap(base, fileSize)
        close(fd)
    }

    /// Bytes appended so far (acquire: the bytes below are visible).
    public var wrotePosition: Int { wrote.load(ordering: .acquiring) }
    public var flushedPosition: Int { flushed.load(ordering: .acquiring) }
    /// Bytes handed to the page cache. Appends copy straight into the mapping
    /// (there is no transient write buffer), so this is the write position.
    public var committedPosition: Int { wrotePosition }
    public var isFull: Bool { wrotePosition >= fileSize }
    public var isDeleted: Bool { deleted.load(ordering: .relaxed) }
    public var name: String { (path as NSString).lastPathComponent }

    /// Positions set by recovery or load, before the file is shared.
    func setPositions(wrote w: Int, flushed f: Int) {
        wrote.store(w, ordering: .releasing)
        flushed.store(f, ordering: .releasing)
    }

    /// Copies `bytes` at the write position. Caller is the single appender and
    /// has checked the room.
    @inline(__always)
    func appendUnchecked(_ bytes: UnsafeRawBufferPointer) {
        let pos = wrote.load(ordering: .relaxed)
        (base + pos).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        wrote.store(pos + bytes.count, ordering: .releasing)
    }

    /// Address at `position`, for in-place encoding by the single appender.
    @inline(__always)
    func writableAddress(at position: Int) -> UnsafeMutableRawPointer { base + position }

    /// Publishes bytes written in place up to `position`.
    @inline(__always)
    func publish(upTo position: Int) { wrote.store(position, ordering: .releasing) }

    /// Read-only address of `position`; valid while `self` is alive.
    @inline(__always)
    public func address(at position: Int) -> UnsafeRawPointer { UnsafeRawPointer(base + position) }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Makes written bytes durable when at least `leastPages` dirty pages have
    /// accumulated (0 = whatever there is). msync over just the dirty range:
    /// a whole-file fdatasync would also write the warm-up's untouched pages.
    ///
    /// The write-back is started first in pieces of `writeBackChunk`
    /// (`sync_file_range`, which does not wait), and msync then waits for it and
    /// makes it durable. Submitting the write-back of the 10 MB that 500 ms of
    /// 20 MB/s leave is ~7 ms of kernel work without a preemption point on a
    /// `PREEMPT_NONE` kernel; an event loop woken onto that CPU waited for all
    /// of it. Between two pieces the thread returns to user space, where a
    /// waiting thread gets the CPU.
    /// - Returns: the flushed position.
    @discardableResult
    func flush(leastPages: Int) throws -> Int {
        let w = wrotePosition
        let f = flushedPosition
        guard w > f else { return f }
        if leastPages > 0 && (w / Self.pageSize - f / Self.pageSize) < leastPages { return f }
        let start = f - f % Self.pageSize
        if w - start > Self.writeBackChunk {
            var p = start
            // Best effort: msync below writes whatever this did not.
            while p < w && peakmq_start_writeback(fd, Int64(p), Int64(min(Self.writeBackChunk, w - p))) == 0 {
                p += Self.writeBackChunk
            }
        }
        if msync(base + start, w - start, MS_SYNC) != 0 {
            throw StoreError.fromErrno("msync", path)
        }
        flushed.store(w, ordering: .releasing)
        return w
    }

    /// Prefaults every page so appends never take a major fault (and, on
    /// this VM class, never pay the host's cold-page cost on the append path),
    /// then advises and locks the mapping when the memlock limit allows.
    ///
    /// Unlike RocketMQ, which writes a zero into each page, this faults pages
    /// in *clean* (`MADV_POPULATE_READ`, Linux 5.14+; a read-touch loop
    /// otherwise): written zeros would be dirty and the kernel would write the
    /// whole gigabyte to disk once before the appends write it again.
    ///
    /// With a `scratch`, each chunk (the scratch's size) is preceded by a
    /// `WarmScratch.recycle()`, so the chunk's page cache comes from warm memory
    /// (see `WarmScratch` for why that keeps event loops from waiting).
    /// - Returns: whether `mlock` succeeded.
    @discardableResult
    func warm(chunk: Int = warmChunk, scratch: WarmScratch? = nil, stop: () -> Bool = { false }) -> Bool {
        var p = 0
        var usePopulate = true
        let chunk = scratch?.bytes ?? chunk
        while p < fileSize {
            let n = min(chunk, fileSize - p)
            scratch?.recycle()
            if usePopulate && madvise(base + p, n, MappedFile.madvPopulateRead) != 0 {
                usePopulate = false
            }
            if !usePopulate {
                var sum: UInt8 = 0
                var q = p
                while q < p + n {
                    sum &+= (base + q).load(as: UInt8.self)
                    q += Self.pageSize
                }
                withExtendedLifetime(sum) {}
            }
            p += n
            if stop() { return false }
        }
        madvise(base, fileSize, MADV_WILLNEED)
        if mlock(base, fileSize) == 0 {
            locked.store(true, ordering: .relaxed)
            return true
        }
        return false
    }

    /// Bytes a new file reserves per `posix_fallocate` call.
    static let fallocateChunk = 16 << 20

    /// Bytes of write-back a flush starts per call (see `flush`): ~0.2 ms of kernel work.
    static let writeBackChunk = 256 << 10

    /// Bytes a warm-up populates per call, between two checks of its `stop`.
    static let warmChunk = 16 << 20

    /// MADV_POPULATE_READ / _WRITE from <linux/mman.h>; Glibc's headers may predate them.
    static let madvPopulateRead: Int32 = 22
    static let madvPopulateWrite: Int32 = 23

    /// How far pages are already mapped writable (see `prefaultWritable`).
    let writableThrough = ManagedAtomic<Int>(0)

    /// Maps `[writableThrough, upTo)` writable ahead of the appender, so its
    /// stores never take the write-protect fault (ext4's `page_mkwrite`), which
    /// costs more than the copy itself for 1 KiB records. Only a window ahead of
    /// the write position is done: a writable-faulted page is dirty, and a
    /// dirty page of zeros left long enough would be written to disk for nothing.
    /// - Returns: false when the kernel does not support it (nothing to do then).
    @discardableResult
    func prefaultWritable(upTo target: Int, chunk: Int = 2 << 20) -> Bool {
        var p = writableThrough.load(ordering: .relaxed)
        let end = min(target, fileSize)
        while p < end {
            let start = p - p % Self.pageSize
            let n = min(chunk, end - start)
            if madvise(base + start, n, MappedFile.madvPopulateWrite) != 0 { return false }
            p = start + n
            writableThrough.store(p, ordering: .relaxed)
        }
        return true
    }

    /// Turns off the kernel's read-around for faults on this mapping
    /// (`MADV_RANDOM`): a fault maps one page instead of filling a whole
    /// readahead window (`read_ahead_kb`, 8 MiB on this VM class) of the
    /// preallocated file. Filling a window is one pass without a preemption
    /// point on a `PREEMPT_NONE` kernel, about 20 ms on memory the host took
    /// back, and any thread storing into a fresh page of the file (the
    /// dispatcher writing a ConsumeQueue or IndexFile entry) holds a CPU that
    /// long. For files written a few hundred bytes per second, a fault per page
    /// costs nothing; the CommitLog's segments are warmed instead.
    func adviseRandomAccess() { madvise(base, fileSize, MADV_RANDOM) }

    /// Gives back the default read-around (`MADV_NORMAL`): a full file is only
    /// read, and sequential readers of a file evicted from the page cache gain from it.
    func adviseNormalAccess() { madvise(base, fileSize, MADV_NORMAL) }

    /// Whether `warm` locked the mapping and nothing has unlocked it since.
    var isLocked: Bool { locked.load(ordering: .relaxed) }

    /// Pages of `[address, address + length)` resident in memory (`mincore`).
    static func residentPages(_ address: UnsafeMutableRawPointer, _ length: Int) -> Int {
        let pages = (length + pageSize - 1) / pageSize
        var vec = [UInt8](repeating: 0, count: pages)
        guard mincore(address, length, &vec) == 0 else { return 0 }
        return vec.reduce(0) { $0 + Int($1 & 1) }
    }

    /// Pages of this segment in the page cache; for tests and diagnostics.
    var residentPages: Int { Self.residentPages(base, fileSize) }

    /// Releases the lock taken by `warm` (done when a segment is full).
    func unlock() {
        if locked.exchange(false, ordering: .relaxed) { munlock(base, fileSize) }
    }

    /// Unlinks the file; the mapping stays valid for holders until they drop it.
    func markDeleted() {
        if !deleted.exchange(true, ordering: .relaxed) { unlink(path) }
    }

    /// Zeroes `[from, to)` so recovery and readers never see stale bytes past a truncation.
    /// Zeroes bytes [from, to) of the segment, durably for the whole pages.
    /// Whole pages go by `fallocate(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE)`: a
    /// change of the file's extents that keeps its blocks allocated and drops the
    /// cached pages, then `fsync` — instead of writing and syncing up to a whole
    /// segment of zeros (recovery after a crash in a fresh 1 GiB segment spent 2 s
    /// there). The partial first page is cleared by hand (the caller syncs it);
    /// file systems without the call get `memset`.
    func zero(from: Int, to: Int) {
        guard to > from else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let aligned = (from + page - 1) / page * page
        if aligned < to, peakmq_zero_range(fd, Int64(aligned), Int64(to - aligned)) == 0,
           fsync(fd) == 0 {
            if aligned > from { memset(base + from, 0, aligned - from) }
            return
        }
        memset(base + from, 0, to - from)
    }

    /// Last modification time, for retention.
    var lastModified: Date {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return Date() }
        return Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9)
    }
}

/// Formats offsets as RocketMQ names segment files: 20 zero-padded digits.
func offsetToFileName(_ offset: Int64) -> String {
    let digits = String(offset)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
}
