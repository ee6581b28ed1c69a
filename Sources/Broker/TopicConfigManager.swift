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

    /// Called after the topic table changes (create, update, delete). The broker
    /// re-registers with the NameServers then, as RocketMQ's `registerBrokerAll`
    /// on topic creation does, so consumers find a new topic's route at once
    /// instead of after the next 30 s registration.
    private let changeHandler = Mutex<(@Sendable () -> Void)?>(nil)

    public func onChange(_ handler: @escaping @Sendable () -> Void) {
        changeHandler.withLock { $0 = handler }
    }

    private func changed() {
        persist()
        changeHandler.withLock { $0 }?()
    }

    /// Every topic and the version stamp, as REGISTER_BROKER and GET_ALL_TOPIC_CONFIG send them.
    public var wrapper: TopicConfigSerializeWrapper {
        state.withLock { TopicConfigSerializeWrapper(topicConfigTable: $0.table, dataVersion: $0.version) }
    }

    /// The topic for a send: existing, or created from the template when
    /// auto-creation is on. Nil = TOPIC_NOT_EXIST.
    public func topicForSend(_ name: String, requestedQueueNums: Int32) -> TopicConfig? {
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
        if created {
            logger.info("auto-created topic \(name) with \(config?.writeQueueNums ?? 0) queues")
            changed()
        }
        return config
    }

    /// UPDATE_AND_CREATE_TOPIC.
    public func update(_ config: TopicConfig) {
        state.withLock { s in
            s.table[config.topicName] = config
            Self.bump(&s.version)
        }
        changed()
    }

    /// DELETE_TOPIC_IN_BROKER. - Returns: whether it existed.
    @discardableResult
    public func delete(_ name: String) -> Bool {
        let existed = state.withLock { s in
            guard s.table.removeValue(forKey: name) != nil else { return false }
            Self.bump(&s.version)
            return true
        }
        if existed { changed() }
        return existed
    }

    private static func bump(_ v: inout DataVersion) {
        v.timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        v.counter += 1
    }

    /// Writes topics.json atomically (errors are logged: the table in memory stays authoritative).
    public func persist() {
        let bytes = wrapper.jsonBytes
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            logger.error("persisting topics failed: \(error)")
        }
    }
}
