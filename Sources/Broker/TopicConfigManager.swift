import Foundation
import Logging
import Protocol
import Synchronization

/// The broker's topics (RocketMQ `TopicConfigManager`): the TBW102 template,
/// auto-creation on send, explicit creation and deletion, persisted atomically
/// to `config/topics.json` as a ``TopicConfigSerializeWrapper``.
public final class TopicConfigManager: Sendable {
    /// The template topic whose presence allows auto-creation.
    public static let templateTopic = SendMessageRequestHeader.defaultTopicName

    private struct State {
        var table: [String: TopicConfig] = [:]
        var version = DataVersion(timestamp: 0)
    }

    private let state = Mutex(State())
    private let path: String
    private let logger: Logger
    public let autoCreateEnabled: Bool
    public let defaultQueueNums: Int32

    /// Loads `<configDir>/topics.json` if present.
    public init(configDir: String, autoCreate: Bool, defaultQueueNums: Int32, logger: Logger) throws {
        path = configDir + "/topics.json"
        self.logger = logger
        autoCreateEnabled = autoCreate
        self.defaultQueueNums = defaultQueueNums
        var s = State()
        if let bytes = AtomicFile.read(path) {
            let w = try TopicConfigSerializeWrapper(bytes: bytes)
            s.table = w.topicConfigTable
            s.version = w.dataVersion
        }
        if autoCreate {
            s.table[Self.templateTopic] = TopicConfig(
                topicName: Self.templateTopic, readQueueNums: defaultQueueNums, writeQueueNums: defaultQueueNums,
                perm: Perm([.read, .write, .inherit]).rawValue)
        } else {
            s.table[Self.templateTopic] = nil
        }
        state.withLock { $0 = s }
    }

    public func topic(_ name: String) -> TopicConfig? { state.withLock { $0.table[name] } }

    /// Announces table changes (create, update, delete): the broker re-registers
    /// with the NameServers then, as RocketMQ's `registerBrokerAll` on topic
    /// creation does, so consumers find a new topic's route at once instead of
    /// after the next 30 s registration.
    private let changeHandler = Mutex<(@Sendable () async -> Void)?>(nil)

    public func onChange(_ handler: @escaping @Sendable () async -> Void) {
        changeHandler.withLock { $0 = handler }
    }

    private func changed() -> TopicAnnouncement {
        persist()
        guard let handler = changeHandler.withLock({ $0 }) else { return TopicAnnouncement(task: nil) }
        return TopicAnnouncement(task: Task { await handler() })
    }

    /// Every topic and the version stamp, as REGISTER_BROKER and GET_ALL_TOPIC_CONFIG send them.
    public var wrapper: TopicConfigSerializeWrapper {
        state.withLock { TopicConfigSerializeWrapper(topicConfigTable: $0.table, dataVersion: $0.version) }
    }

    /// The topic for a send: existing, or created from the template when
    /// auto-creation is on. Nil = TOPIC_NOT_EXIST. `announced` completes once
    /// the NameServers know a topic this call created: the send is answered
    /// after it, as RocketMQ registers inside `createTopicInSendMessageMethod`,
    /// so a producer that got its answer can tell consumers to look the topic up.
    public func topicForSend(_ name: String, requestedQueueNums: Int32)
        -> (config: TopicConfig, announced: TopicAnnouncement)?
    {
        let (config, created): (TopicConfig?, Bool) = state.withLock { s in
            if let c = s.table[name] { return (c, false) }
            guard autoCreateEnabled, let template = s.table[Self.templateTopic] else { return (nil, false) }
            let n = max(1, min(requestedQueueNums, template.writeQueueNums))
            let c = TopicConfig(topicName: name, readQueueNums: n, writeQueueNums: n,
                                perm: template.perm & ~Perm.inherit.rawValue)
            s.table[name] = c
            Self.bump(&s.version)
            return (c, true)
        }
        guard let config else { return nil }
        guard created else { return (config, TopicAnnouncement(task: nil)) }
        logger.info("auto-created topic \(name) with \(config.writeQueueNums) queues")
        return (config, changed())
    }

    /// UPDATE_AND_CREATE_TOPIC. - Returns: the announcement of the change.
    @discardableResult
    public func update(_ config: TopicConfig) -> TopicAnnouncement {
        state.withLock { s in
            s.table[config.topicName] = config
            Self.bump(&s.version)
        }
        return changed()
    }

    /// DELETE_TOPIC_IN_BROKER. - Returns: whether it existed, and the announcement of the change.
    @discardableResult
    public func delete(_ name: String) -> (existed: Bool, announced: TopicAnnouncement) {
        let existed = state.withLock { s in
            guard s.table.removeValue(forKey: name) != nil else { return false }
            Self.bump(&s.version)
            return true
        }
        return (existed, existed ? changed() : TopicAnnouncement(task: nil))
    }

    private static func bump(_ v: inout DataVersion) {
        v.timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        v.counter += 1
    }

    /// Writes topics.json atomically (errors are logged: the table in memory stays authoritative).
    /// - Returns: false when the write failed (logged).
    @discardableResult
    public func persist() -> Bool {
        // One writer at a time: writers share the temporary file, and the
        // newest table must be the one that lands last.
        fileLock.withLock { _ in
            do {
                try AtomicFile.write(wrapper.jsonBytes, to: path)
                return true
            } catch {
                logger.error("persisting topics failed: \(error)")
                return false
            }
        }
    }

    private let fileLock = Mutex(())
}

/// A topic-table change on its way to the NameServers (see ``TopicConfigManager/onChange(_:)``).
public struct TopicAnnouncement: Sendable {
    /// Nil when there is nothing to wait for (no change, or no NameServer).
    let task: Task<Void, Never>?

    /// Runs `body` once the announcement is done: at once when there is nothing to wait for.
    public func whenDone(_ body: @escaping @Sendable () -> Void) {
        guard let task else { return body() }
        Task {
            await task.value
            body()
        }
    }
}
