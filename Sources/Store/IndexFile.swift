import Foundation
import MessageFormat

/// One message-key index file (RocketMQ `IndexFile`): a 40-byte header, a
/// table of hash slots, then entries chained newest-first through `prevIndex`.
///
/// ```
/// header: beginTimestamp i64 | endTimestamp i64 | beginPhyOffset i64 |
///         endPhyOffset i64 | hashSlotCount i32 | indexCount i32
/// slot:   i32 number of the newest entry with this hash (0 = none)
/// entry:  keyHash i32 | phyOffset i64 | timeDiff i32 (s since begin) | prevIndex i32
/// ```
/// Written only by the dispatcher; queries read concurrently. An entry is
/// filled before its slot points at it, so a reader never follows a slot to an
/// unwritten entry.
final class IndexFile: @unchecked Sendable {
    // @unchecked: single writer; readers see whole entries (see above).
    static let headerSize = 40
    static let slotSize = 4
    static let entrySize = 20
    let file: MappedFile
    let slotCount: Int
    let maxEntries: Int

    static func fileSize(slots: Int, entries: Int) -> Int { headerSize + slots * slotSize + entries * entrySize }

    /// Opens or creates. The file is preallocated like every mapped file: a
    /// store into a hole of a sparse mapping on a full disk raises SIGBUS.
    init(path: String, slots: Int, entries: Int, create: Bool) throws {
        self.slotCount = slots
        self.maxEntries = entries
        self.file = try MappedFile(path: path, fileFromOffset: 0, fileSize: Self.fileSize(slots: slots, entries: entries),
                                   create: create)
        // Slots are hashed and entries 20 bytes each: a fault per page, never a
        // readahead window of the preallocated file (see `adviseRandomAccess`).
        file.adviseRandomAccess()
        if create || header.indexCount == 0 {
            let p = file.writableAddress(at: 0)
            p.storeBE(Int32(slots), at: 32)
            p.storeBE(Int32(1), at: 36)  // entry 0 is unused so that 0 means "none"
        }
        file.setPositions(wrote: file.fileSize, flushed: 0)
    }

    struct Header {
        var beginTimestamp: Int64
        var endTimestamp: Int64
        var beginPhyOffset: Int64
        var endPhyOffset: Int64
        var hashSlotCount: Int32
        var indexCount: Int32
    }

    var header: Header {
        let p = file.address(at: 0)
        return Header(beginTimestamp: p.beInt64(at: 0), endTimestamp: p.beInt64(at: 8),
                      beginPhyOffset: p.beInt64(at: 16), endPhyOffset: p.beInt64(at: 24),
                      hashSlotCount: p.beInt32(at: 32), indexCount: p.beInt32(at: 36))
    }

    var isFull: Bool { Int(header.indexCount) >= maxEntries }

    /// RocketMQ's `indexKeyHashMethod`: abs(String.hashCode), with MIN_VALUE → 0.
    static func keyHash(_ key: String) -> Int32 { keyHash(javaHash: key.javaHashCode) }

    /// ``keyHash(_:)`` from the key's Java `hashCode`.
    static func keyHash(javaHash h: Int32) -> Int32 { h == Int32.min ? 0 : abs(h) }

    /// Adds an entry. - Returns: false when the file is full.
    func put(key: String, phyOffset: Int64, storeTimestamp: Int64) -> Bool {
        put(javaHash: key.javaHashCode, phyOffset: phyOffset, storeTimestamp: storeTimestamp)
    }

    /// Adds an entry for the key whose Java `hashCode` is `javaHash`. - Returns: false when the file is full.
    func put(javaHash: Int32, phyOffset: Int64, storeTimestamp: Int64) -> Bool {
        var h = header
        guard Int(h.indexCount) < maxEntries else { return false }
        let hash = Self.keyHash(javaHash: javaHash)
        let slotPos = Self.headerSize + Int(hash % Int32(slotCount)) * Self.slotSize
        let p = file.writableAddress(at: 0)
        let prev = UnsafeRawPointer(p).beInt32(at: slotPos)
        if h.indexCount <= 1 {
            h.beginTimestamp = storeTimestamp
            h.beginPhyOffset = phyOffset
            p.storeBE(storeTimestamp, at: 0)
            p.storeBE(phyOffset, at: 16)
        }
        let timeDiff = Int32(clamping: max(0, (storeTimestamp - h.beginTimestamp) / 1000))
        let entry = Int(h.indexCount)
        let entryPos = Self.headerSize + slotCount * Self.slotSize + entry * Self.entrySize
        p.storeBE(hash, at: entryPos)
        p.storeBE(phyOffset, at: entryPos + 4)
        p.storeBE(timeDiff, at: entryPos + 12)
        p.storeBE(prev < 0 || Int(prev) > maxEntries ? 0 : prev, at: entryPos + 16)
        p.storeBE(Int32(entry), at: slotPos)
        p.storeBE(storeTimestamp, at: 8)
        p.storeBE(phyOffset, at: 24)
        p.storeBE(Int32(entry + 1), at: 36)
        return true
    }

    /// Physical offsets of entries whose key hash matches and whose time falls
    /// in `[begin, end]` ms, newest first. Hash collisions are possible; callers
    /// confirm against the record.
    func select(key: String, max: Int, begin: Int64, end: Int64) -> [Int64] {
        let h = header
        guard h.indexCount > 1 else { return [] }
        let hash = Self.keyHash(key)
        let slotPos = Self.headerSize + Int(hash % Int32(slotCount)) * Self.slotSize
        let p = file.address(at: 0)
        var entry = p.beInt32(at: slotPos)
        var out: [Int64] = []
        var steps = 0
        while entry > 0, Int(entry) < Int(h.indexCount), out.count < max, steps <= maxEntries {
            let pos = Self.headerSize + slotCount * Self.slotSize + Int(entry) * Self.entrySize
            let t = h.beginTimestamp + Int64(p.beInt32(at: pos + 12)) * 1000
            if p.beInt32(at: pos) == hash && t >= begin - 999 && t <= end {
                out.append(p.beInt64(at: pos + 4))
            }
            let prev = p.beInt32(at: pos + 16)
            if prev >= entry { break }  // chains only go back; anything else is damage
            entry = prev
            steps += 1
        }
        return out
    }

    func flush() throws {
        if msync(file.base, file.fileSize, MS_SYNC) != 0 { throw StoreError.fromErrno("msync", file.path) }
    }
}
