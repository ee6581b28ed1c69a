import Foundation
import MessageFormat
import TestSupport
import Testing
@testable import Store

/// Runs against a real, size-limited tmpfs the test mounts (root is needed;
/// CI runs as root). ENOSPC while preallocating the next segment must fail the
/// append with a clear error, keep everything acknowledged readable, and let
/// appends resume once space returns.
@Suite(.serialized) struct DiskFullTests {
    @Test func preallocationENOSPCFailsAppendsAndRecoversWhenSpaceReturns() async throws {
        let mnt = TempDir("tmpfs")
        defer { mnt.cleanup() }
        let rc = mount("tmpfs", mnt.path, "tmpfs", 0, "size=2m")
        try #require(rc == 0, "mounting a 2 MiB tmpfs failed (errno \(errno)); this test needs root")
        defer { umount2(mnt.path, Int32(MNT_DETACH)) }
        // Ballast leaves room for the metadata and ~4 segments of 256 KiB.
        let ballast = mnt.path + "/ballast"
        let bfd = open(ballast, O_CREAT | O_RDWR, 0o644)
        #expect(posix_fallocate(bfd, 0, 600 * 1024) == 0)
        close(bfd)

        var c = smallConfig(mnt.path + "/store", segment: 256 * 1024, cqUnits: 100)
        c.maxMessageSize = 64 * 1024
        c.maxHashSlotNum = 64
        c.maxIndexNum = 512
        let s = try openStore(c, diskUsage: { _ in 0.10 })
        var acked: [PutResult] = []
        var failure: PutResult?
        for i in 0..<10_000 {
            let r = await s.putMessage(fields(queue: Int32(i % 2), keys: "k\(i)"), body: body(i, size: 4000))
            if r.status == .putOK { acked.append(r) } else { failure = r; break }
        }
        let f = try #require(failure, "the disk never filled")
        #expect(f.status == .serviceNotAvailable)
        #expect(f.remark?.contains("disk full") == true, "remark: \(f.remark ?? "nil")")
        #expect(acked.count > 100)
        // Everything acknowledged is readable and intact.
        #expect(s.waitForDispatch())
        var read = 0
        for q in Int32(0)..<2 {
            for m in readAll(s, "T", q) {
                read += 1
                #expect(m.bodyCRC == CRC32.checksum(m.body))
            }
        }
        #expect(read == acked.count)
        // Still full: still refused, nothing half-written.
        #expect(await s.putMessage(fields(), body: body(0, size: 4000)).status == .serviceNotAvailable)
        // Space returns: appends resume where they stopped.
        unlink(ballast)
        let resumed = await s.putMessage(fields(queue: 0), body: body(99_999, size: 4000))
        #expect(resumed.status == .putOK)
        #expect(resumed.wroteOffset >= acked.last!.nextOffset)
        s.shutdown()
        // And a restart sees all of it.
        let s2 = try openStore(c, diskUsage: { _ in 0.10 })
        #expect(readAll(s2, "T", 0).count + readAll(s2, "T", 1).count == acked.count + 1)
        s2.shutdown()
    }
}
