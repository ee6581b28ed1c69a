import Foundation
import Logging
import MessageFormat
import Synchronization

/// Keeps the IndexFiles (RocketMQ `IndexService`): indexes `topic#key` for every
/// KEYS entry and the UNIQ_KEY of each dispatched record, and answers queries
/// by key and time range.
final class IndexService: @unchecked Sendable {
    // @unchecked: the file list is behind `files`; IndexFile has one writer.
    let directory: String
    let slots: Int
    let entries: Int
    private let files = Mutex<[IndexFile]>([])
    private let logger: Logger

    init(directory: String, slots: Int, entries: Int, logger: Logger) {
        self.directory = directory
        self.slots = slots
        self.entries = entries
        self.logger = logger
    }

    func load() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        var loaded: [IndexFile] = []
        for n in names {
            loaded.append(try IndexFile(path: "\(directory)/\(n)", slots: slots, entries: entries, create: false))
        }
        files.withLock { $0 = loaded }
    }

    var snapshot: [IndexFile] { files.withLock { $0 } }

    /// The commitlog end through which records are indexed.
    var endPhyOffset: Int64 { files.withLock { $0.last?.header.endPhyOffset ?? -1 } }

    /// Drops entries at or after `offset` by discarding whole files that start there
    /// (entries in an older file past it are harmless: queries confirm against records).
    func truncate(from offset: Int64) {
        let gone = files.withLock { f -> [IndexFile] in
            var g: [IndexFile] = []
            while let l = f.last, l.header.beginPhyOffset >= offset, l.header.indexCount > 1 { g.append(f.removeLast()) }
            return g
        }
        for g in gone { g.file.markDeleted() }
    }

    private static let nameFormat: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMddHHmmssSSS"
        f.timeZone = TimeZone.current
        f.locale = Locale(identifier: "en_US_POSIX")
        return f
    }()

    private func writable() throws -> IndexFile {
        if let l = files.withLock({ $0.last }), !l.isFull { return l }
        var name = Self.nameFormat.string(from: Date())
        while FileManager.default.fileExists(atPath: "\(directory)/\(name)") { name += "0" }
        let f = try IndexFile(path: "\(directory)/\(name)", slots: slots, entries: entries, create: true)
        let previous = files.withLock { fs -> IndexFile? in let p = fs.last; fs.append(f); return p }
        try? previous?.flush()
        return f
    }

    /// Indexes one dispatched record; skips records already indexed.
    func build(record v: RecordView, physicalOffset: Int64) {
        guard physicalOffset >= endPhyOffset else { return }
        let ts = v.storeTimestamp
        // The key is "topic#key"; its Java hash continues the topic's hash,
        // so ASCII keys are hashed from the record's bytes without a string.
        let topicHash = JavaHash.fold(0, ascii: v.topicBytes).map { JavaHash.fold($0, UInt8(ascii: "#")) }
        func hash(_ key: UnsafeRawBufferPointer) -> Int32 {
            if let topicHash, let h = JavaHash.fold(topicHash, ascii: key) { return h }
            return "\(v.topic)#\(String(decoding: key, as: UTF8.self))".javaHashCode
        }
        do {
            if let uniq = v.property("UNIQ_KEY"), uniq.count > 0 {
                try put(hash(uniq), physicalOffset, ts)
            }
            if let keys = v.property("KEYS"), keys.count > 0 {
                for k in keys.split(separator: UInt8(ascii: " ")) where !k.isEmpty {
                    try put(hash(UnsafeRawBufferPointer(rebasing: k)), physicalOffset, ts)
                }
            }
        } catch {
            logger.error("index build failed", metadata: ["error": "\(error)"])
        }
    }

    private func put(_ javaHash: Int32, _ off: Int64, _ ts: Int64) throws {
        for _ in 0..<3 {
            if try writable().put(javaHash: javaHash, phyOffset: off, storeTimestamp: ts) { return }
        }
        throw StoreError.serviceNotAvailable("index file full after 3 tries")
    }

    /// Physical offsets for `topic#key` within `[begin, end]`, newest files first.
    func query(topic: String, key: String, max: Int, begin: Int64, end: Int64) -> [Int64] {
        var out: [Int64] = []
        for f in snapshot.reversed() {
            let h = f.header
            guard h.indexCount > 1, h.beginTimestamp <= end, h.endTimestamp >= begin else { continue }
            out += f.select(key: "\(topic)#\(key)", max: max - out.count, begin: begin, end: end)
            if out.count >= max { break }
        }
        return out
    }

    func flush() throws { for f in snapshot { try f.flush() } }

    /// Deletes files wholly below the commitlog's minimum offset (never the last).
    @discardableResult
    func deleteExpired(commitLogMinOffset: Int64) -> Int {
        let gone = files.withLock { f -> [IndexFile] in
            var g: [IndexFile] = []
            while f.count > 1, let head = f.first, head.header.endPhyOffset < commitLogMinOffset { g.append(f.removeFirst()) }
            return g
        }
        for g in gone { g.file.markDeleted() }
        return gone.count
    }
}
