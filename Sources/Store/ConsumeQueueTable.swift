import Foundation
import Logging
import Synchronization

/// Every ConsumeQueue, by topic and queue id, created on first use.
final class ConsumeQueueTable: Sendable {
    private let table = Mutex<[QueueKey: ConsumeQueue]>([:])
    let rootDir: String
    let fileSize: Int
    private let logger: Logger

    init(rootDir: String, fileSize: Int, logger: Logger) {
        self.rootDir = rootDir
        self.fileSize = fileSize
        self.logger = logger
    }

    /// Loads `consumequeue/<topic>/<queueId>/` directories.
    func load() throws {
        try FileManager.default.createDirectory(atPath: rootDir, withIntermediateDirectories: true)
        var loaded: [QueueKey: ConsumeQueue] = [:]
        for topic in try FileManager.default.contentsOfDirectory(atPath: rootDir) where !topic.hasPrefix(".") {
            let tdir = "\(rootDir)/\(topic)"
            for q in (try? FileManager.default.contentsOfDirectory(atPath: tdir)) ?? [] {
                guard let id = Int32(q) else {
                    throw StoreError.incompatibleStore("unexpected entry \(tdir)/\(q) in the consume queue directory")
                }
                let cq = ConsumeQueue(topic: topic, queueId: id, rootDir: rootDir, fileSize: fileSize, logger: logger)
                try cq.files.load()
                loaded[QueueKey(topic: topic, queueId: id)] = cq
            }
        }
        table.withLock { $0 = loaded }
    }

    func queue(_ key: QueueKey) -> ConsumeQueue {
        table.withLock { t in
            if let q = t[key] { return q }
            let q = ConsumeQueue(topic: key.topic, queueId: key.queueId, rootDir: rootDir, fileSize: fileSize, logger: logger)
            t[key] = q
            return q
        }
    }

    func existing(_ key: QueueKey) -> ConsumeQueue? { table.withLock { $0[key] } }

    var all: [QueueKey: ConsumeQueue] { table.withLock { $0 } }

    func remove(topic: String) -> [ConsumeQueue] {
        table.withLock { t in
            let gone = t.filter { $0.key.topic == topic }
            for k in gone.keys { t[k] = nil }
            return Array(gone.values)
        }
    }
}
