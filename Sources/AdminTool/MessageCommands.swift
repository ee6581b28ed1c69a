import ArgumentParser
import Client
import Foundation
import MessageFormat
import Protocol

/// `queryMsgById`: a message by its offsetMsgId (store address + commitlog
/// offset), or by its client id (UNIQ_KEY, looked up in the topic's index: -t).
struct QueryMsgByIdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queryMsgById", abstract: "Show messages by id.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("i"), help: ArgumentHelp("Message id(s), ','-separated: offsetMsgId or client msgId.", valueName: "id")) var msgId: String
    @Option(name: .customShort("t"), help: ArgumentHelp("Topic (needed for client msgIds).", valueName: "topic")) var topic: String?

    func run() async throws {
        let ids = msgId.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw ValidationError("-i needs a message id") }
        let messages: [StoredMessage] = try await common.withAdmin { admin in
            let known = Set(try await admin.clusterInfo().brokerAddrTable.values.flatMap { $0.brokerAddrs.values })
            var out: [StoredMessage] = []
            for id in ids {
                if let (host, _) = MessageID.decodeOffsetMessageId(id), known.contains(host.description) {
                    out.append(try await admin.viewMessage(offsetMsgId: id))
                    continue
                }
                guard let topic else {
                    throw AdminError("'\(id)' is not the offsetMsgId of a known broker; give -t topic to look it up as a client msgId")
                }
                let found = try await admin.queryMessages(topic: topic, key: id, maxNum: 32).filter { $0.uniqueKey == id }
                guard let first = found.first else { throw AdminError("no message of topic '\(topic)' has msgId '\(id)'") }
                out.append(first)
            }
            return out
        }
        common.emit(.object(["messages": .array(messages.map(messageJSON))]), messages.map(messageText).joined(separator: "\n\n"))
    }
}

/// `queryMsgByKey`: messages of a topic whose key (KEYS or UNIQ_KEY) matches, via the index.
struct QueryMsgByKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queryMsgByKey", abstract: "Find messages by key.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("t"), help: ArgumentHelp("Topic.", valueName: "topic")) var topic: String
    @Option(name: .customShort("k"), help: ArgumentHelp("Message key.", valueName: "key")) var msgKey: String
    @Option(name: .customShort("b"), help: ArgumentHelp("Begin timestamp (ms).", valueName: "ms")) var beginTimestamp: Int64 = 0
    @Option(name: .customShort("e"), help: ArgumentHelp("End timestamp (ms).", valueName: "ms")) var endTimestamp: Int64 = Int64.max
    @Option(name: .customShort("m"), help: ArgumentHelp("At most this many messages.", valueName: "count")) var maxNum: Int32 = 64

    func run() async throws {
        let found = try await common.withAdmin { admin in
            try await admin.queryMessages(topic: topic, key: msgKey, maxNum: max(1, maxNum), begin: beginTimestamp, end: endTimestamp)
        }
        guard !found.isEmpty else { throw AdminError("no message of topic '\(topic)' has key '\(msgKey)'") }
        var table = Table(["Message ID", "QID", "Offset", "Store Time", "Offset Msg ID"], numeric: [1, 2])
        for m in found {
            table.add([m.uniqueKey ?? m.offsetMessageId, "\(m.queueId)", "\(m.queueOffset)", humanTime(m.storeTimestamp), m.offsetMessageId])
        }
        common.emit(.object(["messages": .array(found.map(messageJSON))]), table.text)
    }
}

/// A message as JSON: every record field, properties, and the body as UTF-8 text
/// when it is valid UTF-8, else base64.
func messageJSON(_ m: StoredMessage) -> JSONValue {
    var members: [JSONMember] = [
        JSONMember("bodySize", .int(Int64(m.body.count))),
        JSONMember("bornHost", .string(m.bornHost.description)),
        JSONMember("bornTimestamp", .int(m.bornTimestamp)),
        JSONMember("commitLogOffset", .int(m.physicalOffset)),
        JSONMember("keys", .strings(m.keys)),
        JSONMember("msgId", .string(m.uniqueKey ?? m.offsetMessageId)),
        JSONMember("offsetMsgId", .string(m.offsetMessageId)),
        JSONMember("properties", .map(m.properties) { .string($0) }),
        JSONMember("queueId", .int32(m.queueId)),
        JSONMember("queueOffset", .int(m.queueOffset)),
        JSONMember("reconsumeTimes", .int32(m.reconsumeTimes)),
        JSONMember("storeHost", .string(m.storeHost.description)),
        JSONMember("storeTimestamp", .int(m.storeTimestamp)),
        JSONMember("sysFlag", .int32(m.sysFlag.rawValue)),
        JSONMember("tags", m.tags.map { .string($0) } ?? .null),
        JSONMember("topic", .string(m.topic)),
    ]
    if let text = String(validating: m.body, as: UTF8.self) {
        members.append(JSONMember("body", .string(text)))
    } else {
        members.append(JSONMember("bodyBase64", .string(Data(m.body).base64EncodedString())))
    }
    return .object(members)
}

/// A message as RocketMQ's printMsg lays it out, the body shown when it is text.
func messageText(_ m: StoredMessage) -> String {
    let body: String
    if let text = String(validating: m.body, as: UTF8.self), !text.contains(where: { $0.isASCII && $0.asciiValue! < 0x20 && $0 != "\n" && $0 != "\t" }) {
        body = text.count > 512 ? String(text.prefix(512)) + "… (\(m.body.count) bytes)" : text
    } else {
        body = "(\(m.body.count) bytes, binary)"
    }
    let props = m.properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    return keyValueLines([
        ("Msg ID", m.uniqueKey ?? m.offsetMessageId), ("OffsetID", m.offsetMessageId), ("Topic", m.topic),
        ("Tags", "[\(m.tags ?? "")]"), ("Keys", "[\(m.keys.joined(separator: " "))]"), ("Queue ID", "\(m.queueId)"),
        ("Queue Offset", "\(m.queueOffset)"), ("CommitLog Offset", "\(m.physicalOffset)"),
        ("Reconsume Times", "\(m.reconsumeTimes)"), ("Born Timestamp", humanTime(m.bornTimestamp)),
        ("Store Timestamp", humanTime(m.storeTimestamp)), ("Born Host", m.bornHost.description),
        ("Store Host", m.storeHost.description), ("System Flag", "\(m.sysFlag.rawValue)"), ("Properties", "{\(props)}"),
        ("Message Body", body),
    ])
}
