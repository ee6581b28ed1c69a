import Foundation
import TestSupport
import Testing
@testable import Store

/// The warm-up of a new CommitLog segment: every page ends up in the page
/// cache, the scratch memory used on the way is given back, and the lock a
/// full segment held is released by the allocator thread.
@Suite struct SegmentWarmTests {
    /// A new, fallocated segment of `size` bytes in `dir`.
    func segment(in dir: TempDir, size: Int) throws -> MappedFile {
        try MappedFile(path: dir.path + "/00000000000000000000", fileFromOffset: 0, fileSize: size, create: true)
    }

    @Test func warmWithAScratchCachesEveryPageAndHoldsNoScratchAfterwards() throws {
        let dir = TempDir("warm"); defer { dir.cleanup() }
        let size = 8 << 20
        let f = try segment(in: dir, size: size)
        defer { f.markDeleted() }
        let scratch = try #require(WarmScratch(bytes: 2 << 20))
        #expect(scratch.bytes == 2 << 20)
        #expect(f.residentPages == 0)

        f.warm(scratch: scratch)

        #expect(f.residentPages == size / MappedFile.pageSize)
        // Each chunk's scratch was faulted in and released: none of it stays.
        #expect(scratch.residentPages == 0)
        // Warming reads: nothing was dirtied, so nothing is written back.
        #expect(UnsafeRawBufferPointer(start: f.address(at: 0), count: size).allSatisfy { $0 == 0 })
    }

    @Test func recycleFaultsTheScratchInAndReleasesIt() throws {
        let scratch = try #require(WarmScratch(bytes: 3 << 20))
        #expect(scratch.bytes == 4 << 20)  // rounded up to whole huge pages
        #expect(scratch.recycle())  // MADV_POPULATE_WRITE: Linux 5.14+
        #expect(scratch.residentPages == 0)
    }

    @Test func aStoppedWarmUpLeavesTheRestForTheAppender() throws {
        let dir = TempDir("warm-stop"); defer { dir.cleanup() }
        // Larger than any readahead window the kernel may fill around a chunk.
        let size = 64 << 20
        let f = try segment(in: dir, size: size)
        defer { f.markDeleted() }
        let scratch = try #require(WarmScratch(bytes: 2 << 20))
        var chunks = 0
        let locked = f.warm(scratch: scratch, stop: { chunks += 1; return chunks == 2 })
        #expect(!locked && !f.isLocked)
        let resident = f.residentPages
        #expect(resident >= (4 << 20) / MappedFile.pageSize && resident < size / MappedFile.pageSize)
    }

    @Test func theAllocatorReleasesAFullSegmentsLock() async throws {
        let dir = TempDir("warm-unlock"); defer { dir.cleanup() }
        var c = smallConfig(dir.path, segment: 1 << 20)
        c.warmMapedFileEnable = true
        let s = try openStore(c)
        defer { s.shutdown() }
        var i = 0
        func fill(until count: Int) async {
            while s.commitLog.files.snapshot.count < count {
                let r = await s.putMessage(fields(), body: body(i, size: 4000))
                #expect(r.status == .putOK)
                i += 1
            }
        }
        // The first segment may be taken before its warm-up ends (then it is not
        // locked); the second is ready and warmed by the time the first is full.
        await fill(until: 1)
        #expect(s.waitForSegmentPreparation())
        await fill(until: 2)
        let second = s.commitLog.files.snapshot[1]
        // mlock needs CAP_IPC_LOCK or a memlock limit of at least a segment;
        // without it nothing is locked and there is nothing to release.
        guard second.isLocked else {
            print("SegmentWarmTests: mlock not permitted here (RLIMIT_MEMLOCK); lock release not checked")
            return
        }
        #expect(s.waitForSegmentPreparation())
        await fill(until: 3)
        try await eventually("the full segment is unlocked") { !second.isLocked }
        // The store reads and writes on as before.
        let r = await s.putMessage(fields(), body: body(i, size: 4000))
        #expect(r.status == .putOK)
    }
}
