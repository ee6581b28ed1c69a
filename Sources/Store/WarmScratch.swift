import Foundation

/// Anonymous memory that a segment warm-up faults in and releases just before
/// it populates each chunk of the segment, so the page cache fills that chunk
/// from memory the guest touched a moment ago.
///
/// Why: on a VM with free page reporting (virtio-balloon), memory the guest
/// frees goes back to the host in large blocks within seconds, and touching it
/// again costs a host fault per page (about 0.4 GB/s on this machine class,
/// against 15 GB/s for memory touched recently). The page cache zeroes a whole
/// readahead window of a fallocated file in one pass that cannot be preempted
/// on `PREEMPT_NONE` kernels (`read_ahead_kb` is 8 MiB here, so about 20 ms on
/// cold memory), and an event loop woken onto that CPU waits for the pass to
/// end. Faulting a transparent-huge-page scratch area instead pays the cold
/// cost one 2 MiB page at a time (a trace in session 6 still saw an event loop
/// wait up to ~5 ms behind these faults, against ~20 ms); releasing it returns
/// warm 2 MiB blocks to the page allocator, where the page cache's large folios
/// find them. Measured on 1 GiB: populating the segment 2.5 s, of which up to
/// 30 ms at a stretch, against 1.5 s of scratch faults (yielding) and 62 ms of
/// populating. On hosts without page reporting the extra pass costs a memset
/// of warm memory (about 0.1 s per GiB).
final class WarmScratch {
    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int
    /// The 2 MiB-aligned start, so the area can be backed by huge pages.
    private let base: UnsafeMutableRawPointer
    /// Bytes faulted in and released by each `recycle()`.
    let bytes: Int

    static let hugePage = 2 << 20

    /// Reserves `bytes` (rounded up to 2 MiB) of address space; nil when the
    /// mapping fails, in which case the warm-up goes on without it.
    init?(bytes: Int) {
        let size = (bytes + Self.hugePage - 1) / Self.hugePage * Self.hugePage
        let total = size + Self.hugePage
        guard let m = mmap(nil, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              m != MAP_FAILED else { return nil }
        mapping = m
        mappedBytes = total
        let aligned = (Int(bitPattern: m) + Self.hugePage - 1) & ~(Self.hugePage - 1)
        base = UnsafeMutableRawPointer(bitPattern: aligned)!
        self.bytes = size
        // A hint the kernel may decline (THP "never"). With 4 KiB pages the freed
        // scratch is not where the page cache's large folios come from, and the
        // pass is cold again: measured at 20,000 msg/s with a preparation, p99
        // 16.8 ms against ~1 ms with huge pages (docs/PERFORMANCE.md, session 6).
        _ = madvise(base, size, Self.madvHugePage)
    }

    deinit { munmap(mapping, mappedBytes) }

    /// Faults the area in (writable, so the kernel allocates and zeroes it) and
    /// releases it again. Afterwards the process holds none of it.
    /// - Returns: false when the kernel lacks `MADV_POPULATE_WRITE` (5.14+).
    @discardableResult
    func recycle() -> Bool {
        let populated = madvise(base, bytes, MappedFile.madvPopulateWrite) == 0
        if !populated {
            // Older kernels: touch one byte per page instead.
            var p = 0
            while p < bytes {
                (base + p).storeBytes(of: 0, as: UInt8.self)
                p += MappedFile.pageSize
            }
        }
        _ = madvise(base, bytes, MADV_DONTNEED)
        return populated
    }

    /// Pages of the area resident now (0 after `recycle()`); for tests.
    var residentPages: Int { MappedFile.residentPages(base, bytes) }

    /// MADV_HUGEPAGE from <linux/mman.h>.
    static let madvHugePage: Int32 = 14
}
