import Foundation
import TestSupport
import Testing
@testable import Store

/// `MappedFile.flush` starts the write-back of a large dirty range in pieces
/// before the msync that makes it durable: the pieces must cover the range from
/// an unaligned flushed position, and the `leastPages` threshold still holds.
@Suite struct FlushTests {
    @Test func aFlushLargerThanOneWriteBackPieceWritesEveryByte() throws {
        let dir = TempDir("flush"); defer { dir.cleanup() }
        let size = 8 << 20
        let f = try MappedFile(path: dir.path + "/00000000000000000000", fileFromOffset: 0, fileSize: size, create: true)
        defer { f.markDeleted() }
        let first = 1000  // flushed before: the next flush starts mid-page
        let end = first + 3 * MappedFile.writeBackChunk + 4321
        let p = f.writableAddress(at: 0)
        for i in 0..<end { p.storeBytes(of: UInt8(truncatingIfNeeded: i &* 31 &+ 7), toByteOffset: i, as: UInt8.self) }
        f.setPositions(wrote: first, flushed: 0)
        #expect(try f.flush(leastPages: 0) == first)
        f.publish(upTo: end)

        // Below the threshold nothing happens; at 0 everything is written.
        #expect(try f.flush(leastPages: end / MappedFile.pageSize + 10) == first)
        #expect(try f.flush(leastPages: 0) == end)
        #expect(f.flushedPosition == end)

        var back = [UInt8](repeating: 0, count: end)
        let n = back.withUnsafeMutableBytes { pread(f.fd, $0.baseAddress, end, 0) }
        #expect(n == end)
        #expect(back.indices.allSatisfy { back[$0] == UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    }
}
