import Foundation
import TestSupport
import Testing
@testable import Store

/// ConsumeQueue and IndexFile entries are stored into preallocated mapped
/// files a few bytes at a time. A store into a fresh page must fault in that
/// page only: with the kernel's default read-around it filled a whole readahead
/// window (8 MiB here) in one non-preemptible pass, ~20 ms of a CPU that the
/// broker's event loop was waiting for (docs/PERFORMANCE.md, session 6).
@Suite struct ReadAroundTests {
    /// Whether the mapping of `path` in this process is advised random
    /// (`rr` among its VmFlags in /proc/self/smaps).
    func advisedRandom(_ path: String) throws -> Bool {
        // Read to the end: /proc files report a size of 0.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-") {
                inMapping = line.hasSuffix(" " + path)
            } else if inMapping, line.hasPrefix("VmFlags:") {
                return line.split(separator: " ").contains("rr")
            }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }

    @Test func consumeQueueEntriesFaultInTheirOwnPagesAndAFullFileGetsReadAroundBack() throws {
        let dir = TempDir("cq-readaround"); defer { dir.cleanup() }
        // 400,000 units: an 8 MB file, bigger than one page's worth of anything.
        let cq = ConsumeQueue(topic: "T", queueId: 0, rootDir: dir.path, fileSize: 400_000 * ConsumeQueue.unitSize,
                              logger: quietLogger)
        let perPage = MappedFile.pageSize / ConsumeQueue.unitSize
        // Three pages' worth of units.
        for q in 0..<(3 * perPage) {
            try cq.put(commitLogOffset: Int64(q) * 100, size: 100, tagsCode: 0, queueOffset: Int64(q))
        }
        let first = try #require(cq.files.first)
        #expect(first.residentPages <= 4, "\(first.residentPages) pages cached for units on 3 pages")
        #expect(try advisedRandom(first.path))
        #expect(cq.unit(at: Int64(2 * perPage))?.commitLogOffset == Int64(2 * perPage) * 100)

        // Filling the file moves the queue to the next one; the full one is only read from now on.
        let units = first.fileSize / ConsumeQueue.unitSize
        for q in (3 * perPage)...units {
            try cq.put(commitLogOffset: Int64(q) * 100, size: 100, tagsCode: 0, queueOffset: Int64(q))
        }
        #expect(cq.files.snapshot.count == 2)
        #expect(try !advisedRandom(first.path))
        #expect(try advisedRandom(try #require(cq.files.last).path))
    }

    @Test func indexFileEntriesFaultInTheirOwnPages() throws {
        let dir = TempDir("index-readaround"); defer { dir.cleanup() }
        // 16 MiB of slots and entries, preallocated like the broker's 420 MB ones.
        let index = try IndexFile(path: dir.path + "/index", slots: 1 << 20, entries: 600_000, create: true)
        defer { index.file.markDeleted() }
        for i in 0..<8 {
            #expect(index.put(key: "key-\(i)", phyOffset: Int64(i) * 1024, storeTimestamp: 1_700_000_000_000))
        }
        // The header's page, at most 8 slot pages and one page of entries.
        #expect(index.file.residentPages <= 10, "\(index.file.residentPages) pages cached for 8 entries")
        #expect(try advisedRandom(index.file.path))
        #expect(index.header.indexCount == 9)
    }
}
