import Foundation
import Logging
import MessageFormat

/// The index of one topic queue (RocketMQ `ConsumeQueue`): fixed 20-byte units
/// `commitLogOffset i64 | size i32 | tagsCode i64`, so the unit of logical
/// offset N sits at byte N × 20. Written only by the dispatcher thread; read by
/// any thread below the published write position.
public final class ConsumeQueue: @unchecked Sendable {
    // @unchecked: single writer (the dispatcher, or recovery before start);
    // readers only read below the atomically published position.
    public static let unitSize = 20
    public let topic: String
    public let queueId: Int32
    let files: MappedFileQueue
    private let logger: Logger
    /// The commitlog end of the last record indexed (offset + size).
    private(set) var maxPhysicOffset: Int64 = -1

    init(topic: String, queueId: Int32, rootDir: String, fileSize: Int, logger: Logger) {
        self.topic = topic
        self.queueId = queueId
        self.logger = logger
        // A file holds whole units (RocketMQ rounds the configured size down).
        let size = max(Self.unitSize, fileSize - fileSize % Self.unitSize)
        // Entries arrive 20 bytes at a time: a fault per page, not per readahead window.
        self.files = MappedFileQueue(directory: "\(rootDir)/\(topic)/\(queueId)", fileSize: size,
                                     randomAccessWhileWriting: true, logger: logger)
    }

    /// The logical offset of the first unit still stored.
    public var minOffset: Int64 {
        guard let f = files.first else { return 0 }
        // Skip the pre-blank units a queue gets when its first file starts mid-way.
        var pos = 0
        let limit = f.wrotePosition
        while pos + Self.unitSize <= limit {
            let p = f.address(at: pos)
            if !(p.beInt64(at: 0) == 0 && p.beInt32(at: 8) == Int32.max) { break }
            pos += Self.unitSize
        }
        return (f.fileFromOffset + Int64(pos)) / Int64(Self.unitSize)
    }

    /// The logical offset the next unit will get (= number of units ever written).
    public var maxOffset: Int64 { files.maxOffset / Int64(Self.unitSize) }

    /// One unit.
    public struct Unit: Equatable, Sendable {
        public var commitLogOffset: Int64
        public var size: Int32
        public var tagsCode: Int64
        var isPreBlank: Bool { commitLogOffset == 0 && size == Int32.max }
    }

    /// The unit at `logicalOffset`, if stored and written.
    public func unit(at logicalOffset: Int64) -> Unit? {
        let byteOffset = logicalOffset * Int64(Self.unitSize)
        guard logicalOffset >= 0, let f = files.find(offset: byteOffset) else { return nil }
        let pos = Int(byteOffset - f.fileFromOffset)
        guard pos + Self.unitSize <= f.wrotePosition else { return nil }
        let p = f.address(at: pos)
        return Unit(commitLogOffset: p.beInt64(at: 0), size: p.beInt32(at: 8), tagsCode: p.beInt64(at: 12))
    }

    /// Appends the unit for `queueOffset`, skipping duplicates (recovery
    /// re-dispatches records that may already be indexed).
    func put(commitLogOffset: Int64, size: Int32, tagsCode: Int64, queueOffset: Int64) throws {
        if commitLogOffset + Int64(size) <= maxPhysicOffset { return }
        let expected = queueOffset * Int64(Self.unitSize)
        if files.isEmpty && expected > 0 {
            try fillPreBlanks(upTo: expected)
        }
        let current = files.maxOffset
        if expected < current {
            // Already there (re-dispatch after a crash): keep the existing unit.
            return
        }
        if expected > current {
            logger.error("consume queue gap: filling with blanks", metadata: [
                "topic": "\(topic)", "queueId": "\(queueId)", "expected": "\(queueOffset)", "have": "\(current / 20)"])
            try fillPreBlanks(upTo: expected)
        }
        let f = try files.lastForAppend(startOffset: expected)
        let pos = f.wrotePosition
        let p = f.writableAddress(at: pos)
        p.storeBE(commitLogOffset, at: 0)
        p.storeBE(size, at: 8)
        p.storeBE(tagsCode, at: 12)
        f.publish(upTo: pos + Self.unitSize)
        maxPhysicOffset = commitLogOffset + Int64(size)
    }

    private func fillPreBlanks(upTo byteOffset: Int64) throws {
        while files.maxOffset < byteOffset {
            let f = try files.lastForAppend(startOffset: byteOffset)
            if f.wrotePosition == 0 && f.fileFromOffset + Int64(f.fileSize) <= byteOffset {
                // Whole file below the target: mark it full of blanks.
                var pos = 0
                while pos + Self.unitSize <= f.fileSize { writeBlank(f, pos); pos += Self.unitSize }
                f.publish(upTo: pos)
                continue
            }
            var pos = f.wrotePosition
            let target = Int(min(byteOffset - f.fileFromOffset, Int64(f.fileSize)))
            while pos < target { writeBlank(f, pos); pos += Self.unitSize }
            f.publish(upTo: pos)
        }
    }

    private func writeBlank(_ f: MappedFile, _ pos: Int) {
        let p = f.writableAddress(at: pos)
        p.storeBE(Int64(0), at: 0)
        p.storeBE(Int32.max, at: 8)
        p.storeBE(Int64(0), at: 12)
    }

    /// Finds the end of valid units after load (offset ≥ 0 and size > 0) and
    /// sets positions; called before the queue is shared.
    func recover() {
        let all = files.snapshot
        var lastValidEnd: Int64 = 0
        var maxPhy: Int64 = -1
        outer: for f in all {
            var pos = 0
            while pos + Self.unitSize <= f.fileSize {
                let p = f.address(at: pos)
                let off = p.beInt64(at: 0)
                let size = p.beInt32(at: 8)
                guard off >= 0, size > 0 else { break }
                if !(off == 0 && size == Int32.max) { maxPhy = off + Int64(size) }
                pos += Self.unitSize
            }
            f.setPositions(wrote: pos, flushed: pos)
            lastValidEnd = f.fileFromOffset + Int64(pos)
            if pos < f.fileSize { break outer }
        }
        files.truncate(from: lastValidEnd)
        maxPhysicOffset = maxPhy
    }

    /// Drops units that point at or past `commitLogEnd` (data recovery cut off).
    func truncateDirty(commitLogEnd: Int64) {
        var logical = maxOffset - 1
        let minLogical = files.minOffset / Int64(Self.unitSize)
        while logical >= minLogical, let u = unit(at: logical), !u.isPreBlank, u.commitLogOffset + Int64(u.size) > commitLogEnd {
            logical -= 1
        }
        let keepEnd = (logical + 1) * Int64(Self.unitSize)
        if keepEnd < files.maxOffset {
            files.truncate(from: keepEnd)
        }
        // Recompute the highest indexed record end.
        maxPhysicOffset = -1
        var l = maxOffset - 1
        while l >= minLogical, let u = unit(at: l) {
            if !u.isPreBlank { maxPhysicOffset = u.commitLogOffset + Int64(u.size); break }
            l -= 1
        }
    }

    /// Deletes files whose every unit points below `commitLogMinOffset`.
    /// - Returns: how many were deleted.
    @discardableResult
    func deleteExpired(commitLogMinOffset: Int64) -> Int {
        files.deleteFromFront(max: Int.max) { f in
            // The last unit of the file decides: a full file's tail.
            guard f.isFull else { return false }
            let p = f.address(at: f.fileSize - Self.unitSize)
            let off = p.beInt64(at: 0)
            return off + Int64(p.beInt32(at: 8)) <= commitLogMinOffset
        }.count
    }

    func flush(leastPages: Int) throws { try files.flush(leastPages: leastPages) }
}
