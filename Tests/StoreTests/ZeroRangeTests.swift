import Foundation
import TestSupport
import Testing
@testable import Store

/// Recovery clears what lies past the valid end of the last segment: the bytes
/// must read as zeros through the mapping and the file, the blocks stay allocated,
/// and what lies before stays.
@Suite struct ZeroRangeTests {
    @Test func zeroClearsTheTailKeepsTheHeadAndTheBlocks() throws {
        let dir = TempDir("zero-range"); defer { dir.cleanup() }
        let size = 4 << 20
        let f = try MappedFile(path: dir.path + "/00000000000000000000", fileFromOffset: 0, fileSize: size, create: true)
        memset(f.base, 0x5A, size)
        #expect(msync(f.base, size, MS_SYNC) == 0)
        var before = stat()
        #expect(fstat(f.fd, &before) == 0)
        let from = 12_345  // not page-aligned: the partial page is cleared by hand
        f.zero(from: from, to: size)
        let mapped = UnsafeRawBufferPointer(start: f.base, count: size)
        #expect(mapped[..<from].allSatisfy { $0 == 0x5A })
        #expect(mapped[from...].allSatisfy { $0 == 0 })
        #expect(msync(f.base, size, MS_SYNC) == 0)
        // Through the file, not the mapping.
        var onDisk = [UInt8](repeating: 0xFF, count: size)
        let n = onDisk.withUnsafeMutableBytes { pread(f.fd, $0.baseAddress, size, 0) }
        #expect(n == size)
        #expect(onDisk[..<from].allSatisfy { $0 == 0x5A } && onDisk[from...].allSatisfy { $0 == 0 })
        var after = stat()
        #expect(fstat(f.fd, &after) == 0)
        #expect(after.st_size == before.st_size && after.st_blocks >= before.st_blocks)
    }
}
