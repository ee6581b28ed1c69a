import Foundation
import Logging
import Synchronization

/// The ordered segments of one log (RocketMQ `MappedFileQueue`): the CommitLog,
/// or one ConsumeQueue. Segment N starts at N × fileSize and is named by that
/// offset in 20 digits.
final class MappedFileQueue: @unchecked Sendable {
    // @unchecked: the segment list is behind `files`; segments are Sendable.
    let directory: String
    let fileSize: Int
    private let files = Mutex<[MappedFile]>([])
    /// Prepares the next segment off the append path; nil = create inline.
    private let allocator: SegmentAllocator?
    private let preallocate: Bool
    /// Segments created here are written without the kernel's read-around
    /// until they are full (see `MappedFile.adviseRandomAccess`).
    private let randomAccessWhileWriting: Bool
    private let logger: Logger

    init(directory: String, fileSize: Int, allocator: SegmentAllocator? = nil, preallocate: Bool = true,
         randomAccessWhileWriting: Bool = false, logger: Logger) {
        self.directory = directory
        self.fileSize = fileSize
        self.allocator = allocator
        self.preallocate = preallocate
        self.randomAccessWhileWriting = randomAccessWhileWriting
        self.logger = logger
    }

    /// Maps every existing segment, checking names, sizes and continuity.
    /// Positions are left at 0; recovery sets them.
    func load() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        var loaded: [MappedFile] = []
        for name in names {
            if name.hasPrefix(".") || name.hasSuffix(".tmp") { continue }
            guard name.utf8.count == 20, let start = Int64(name) else {
                throw StoreError.incompatibleStore("unexpected file \(directory)/\(name) (segments are named by 20-digit offsets)")
            }
            guard start % Int64(fileSize) == 0 else {
                throw StoreError.incompatibleStore("\(directory)/\(name) does not start on a \(fileSize)-byte boundary (segment size changed?)")
            }
            if let prev = loaded.last, prev.fileFromOffset + Int64(fileSize) != start {
                throw StoreError.corrupt("gap between segments \(prev.name) and \(name) in \(directory)")
            }
            loaded.append(try MappedFile(path: "\(directory)/\(name)", fileFromOffset: start, fileSize: fileSize, create: false, preallocate: preallocate))
        }
        files.withLock { $0 = loaded }
    }

    var snapshot: [MappedFile] { files.withLock { $0 } }
    var isEmpty: Bool { files.withLock { $0.isEmpty } }
    var first: MappedFile? { files.withLock { $0.first } }
    var last: MappedFile? { files.withLock { $0.last } }

    /// The smallest offset still stored (start of the oldest segment).
    var minOffset: Int64 { files.withLock { $0.first?.fileFromOffset ?? 0 } }

    /// The end of written data.
    var maxOffset: Int64 {
        files.withLock { f in f.last.map { $0.fileFromOffset + Int64($0.wrotePosition) } ?? 0 }
    }

    var flushedWhere: Int64 {
        files.withLock { f in
            // The first file not fully flushed tells where durability ends.
            for m in f where m.flushedPosition < m.fileSize {
                return m.fileFromOffset + Int64(m.flushedPosition)
            }
            return f.last.map { $0.fileFromOffset + Int64($0.fileSize) } ?? 0
        }
    }

    /// The segment holding `offset`, if still stored.
    func find(offset: Int64) -> MappedFile? {
        files.withLock { f in
            guard let firstFile = f.first, offset >= firstFile.fileFromOffset else { return nil }
            let index = Int((offset - firstFile.fileFromOffset) / Int64(fileSize))
            guard index < f.count else { return nil }
            return f[index]
        }
    }

    /// The segment to append to: the last one if it has room, else a new one
    /// starting where the last ends (or at `startOffset` when empty).
    func lastForAppend(startOffset: Int64 = 0) throws -> MappedFile {
        if let l = last, !l.isFull { return l }
        let next: Int64
        if let l = last {
            if let allocator { allocator.unlockLater(l) } else { l.unlock() }
            if randomAccessWhileWriting { l.adviseNormalAccess() }
            next = l.fileFromOffset + Int64(fileSize)
        } else {
            next = startOffset - startOffset % Int64(fileSize)
        }
        let file = try createSegment(at: next)
        files.withLock { $0.append(file) }
        return file
    }

    private func createSegment(at offset: Int64) throws -> MappedFile {
        if isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let path = "\(directory)/\(offsetToFileName(offset))"
        let file: MappedFile
        if let allocator {
            file = try allocator.take(path: path, offset: offset, size: fileSize)
            // Ask for the one after at once, so it is ready before this one fills.
            allocator.request(path: "\(directory)/\(offsetToFileName(offset + Int64(fileSize)))",
                              offset: offset + Int64(fileSize), size: fileSize)
        } else {
            file = try MappedFile(path: path, fileFromOffset: offset, fileSize: fileSize, create: true, preallocate: preallocate)
            if randomAccessWhileWriting { file.adviseRandomAccess() }
        }
        return file
    }

    /// Flushes segments in order until `leastPages` is not met or all is durable.
    /// - Returns: the new flushed-where offset.
    @discardableResult
    func flush(leastPages: Int) throws -> Int64 {
        for m in snapshot where m.flushedPosition < m.wrotePosition {
            let before = m.flushedPosition
            try m.flush(leastPages: m.isFull ? 0 : leastPages)
            if m.flushedPosition == before { break }
        }
        return flushedWhere
    }

    /// Drops everything at and after `offset`: later segments are deleted, the
    /// segment holding it is zeroed past it. Used by recovery.
    func truncate(from offset: Int64) {
        let doomed: [MappedFile] = files.withLock { f in
            var gone: [MappedFile] = []
            while let l = f.last, l.fileFromOffset > offset {
                gone.append(f.removeLast())
            }
            return gone
        }
        for d in doomed {
            logger.warning("recovery: deleting segment past the valid end", metadata: ["file": "\(d.path)", "validEnd": "\(offset)"])
            d.markDeleted()
        }
        if let m = find(offset: offset) {
            let pos = Int(offset - m.fileFromOffset)
            m.zero(from: pos, to: m.fileSize)
            m.setPositions(wrote: pos, flushed: min(pos, m.flushedPosition))
            _ = try? m.flush(leastPages: 0)
            // zero() dirtied pages past `pos`; sync them so a crash cannot resurrect old bytes.
            msync(m.base, m.fileSize, MS_SYNC)
        }
    }

    /// Removes up to `max` segments from the front that `shouldDelete` accepts,
    /// stopping at the first it refuses (no holes) and never touching the last.
    /// - Returns: the deleted segments.
    func deleteFromFront(max: Int, _ shouldDelete: (MappedFile) -> Bool) -> [MappedFile] {
        var removed: [MappedFile] = []
        while removed.count < max {
            let candidate: MappedFile? = files.withLock { f in
                guard f.count > 1, let head = f.first, shouldDelete(head) else { return nil }
                f.removeFirst()
                return head
            }
            guard let c = candidate else { break }
            c.markDeleted()
            removed.append(c)
        }
        return removed
    }

    /// Deletes every segment (used when a ConsumeQueue's topic is removed).
    func destroy() {
        let all = files.withLock { f -> [MappedFile] in let a = f; f.removeAll(); return a }
        for m in all { m.markDeleted() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
