import Foundation
import Logging
import Protocol
import Synchronization

/// Committed consumer offsets keyed `topic@group` → queueId → offset
/// (RocketMQ `ConsumerOffsetManager`), persisted atomically to
/// `config/consumerOffset.json` in RocketMQ's `offsetTable` layout.
public final class ConsumerOffsetManager: Sendable {
    private struct State {
        var table: [String: [Int32: Int64]] = [:]
        var dirty = false
    }

    private let state = Mutex(State())
    private let path: String
    private let logger: Logger

    public init(configDir: String, logger: Logger) throws {
        path = configDir + "/consumerOffset.json"
        self.logger = logger
        guard let bytes = AtomicFile.read(path) else { return }
        let json = try JSONValue.parse(bytes)
        var table: [String: [Int32: Int64]] = [:]
        for member in try json.entries("offsetTable") {
            var queues: [Int32: Int64] = [:]
            guard case .object(let qs) = member.value else { continue }
            for q in qs {
                guard let id = Int32(q.key), case .int(let off) = q.value else { continue }
                queues[id] = off
            }
            table[member.key] = queues
        }
        state.withLock { $0.table = table }
    }

    private static func key(_ topic: String, _ group: String) -> String { topic + "@" + group }

    public func commit(group: String, topic: String, queueId: Int32, offset: Int64) {
        state.withLock { s in
            s.table[Self.key(topic, group), default: [:]][queueId] = offset
            s.dirty = true
        }
    }

    /// The stored offset, or nil.
    public func query(group: String, topic: String, queueId: Int32) -> Int64? {
        state.withLock { $0.table[Self.key(topic, group)]?[queueId] }
    }

    /// The topics `group` has offsets for (RocketMQ `whichTopicByConsumer`).
    public func topics(ofGroup group: String) -> [String] {
        let suffix = "@" + group
        return state.withLock { s in
            s.table.keys.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
        }
    }

    /// Drops every group's offsets of `topic`.
    public func removeTopic(_ topic: String) {
        state.withLock { s in
            let prefix = topic + "@"
            for k in s.table.keys where k.hasPrefix(prefix) { s.table[k] = nil }
            s.dirty = true
        }
    }

    /// Writes the file when something changed since the last write (or always with `force`).
    /// - Returns: false when the write failed (logged; the table stays dirty).
    @discardableResult
    public func persist(force: Bool = false) -> Bool {
        // One writer at a time: writers share the temporary file, and the
        // newest snapshot must be the one that lands last.
        fileLock.withLock { _ in write(force: force) }
    }

    private let fileLock = Mutex(())

    private func write(force: Bool) -> Bool {
        let snapshot: [String: [Int32: Int64]]? = state.withLock { s in
            guard s.dirty || force else { return nil }
            s.dirty = false
            return s.table
        }
        guard let snapshot else { return true }
        let json = JSONValue.object([
            "offsetTable": .object(snapshot.keys.sorted().map { k in
                JSONMember(k, .object(snapshot[k]!.keys.sorted().map { JSONMember(String($0), .int(snapshot[k]![$0]!)) }))
            }),
        ])
        do {
            try AtomicFile.write(json.jsonBytes, to: path)
            return true
        } catch {
            state.withLock { $0.dirty = true }
            logger.error("persisting consumer offsets failed: \(error)")
            return false
        }
    }
}
