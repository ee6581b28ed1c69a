import MessageFormat
import NIOCore
import Protocol
import Remoting
import Store

/// SEND_MESSAGE, SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE on a send thread
/// (``SendService``): validate, pick the topic (auto-creating it from TBW102
/// when allowed), append to the store and answer from the store's completion
/// (at once with ASYNC_FLUSH, from the group-commit thread with SYNC_FLUSH).
struct SendMessageProcessor: Sendable {
    let store: MessageStore
    let topics: TopicConfigManager
    /// The broker's address as written into records and offsetMsgIds.
    let storeHost: SharedHost
    let isSlave: Bool
    let stats: BrokerStats

    static let pageCacheBusyRemark = "[PC_SYNCHRONIZED]broker busy, start flow control for a while"

    /// Answers now (`.response`) or later through `reply` (`.deferred`), exactly once.
    /// The store's dispatcher is not woken: the caller does that once per run of sends.
    func process(_ request: RemotingCommand, context: RemotingContext,
                 reply: @escaping @Sendable (RemotingResponse) -> Void) -> InlineOutcome {
        let header: SendMessageRequestHeader
        do {
            header = try SendMessageRequestHeader(command: request)
        } catch {
            return request.answer(.systemError, remark: "bad send header: \(error)")
        }
        if isSlave {
            return request.answer(.serviceNotAvailable, remark: "the broker is a slave and does not accept messages")
        }
        if let why = Broker.illegalTopicReason(header.topic, allowTemplate: false) {
            return request.answer(.systemError, remark: why)
        }
        guard let (topic, announced) = topics.topicForSend(header.topic, requestedQueueNums: header.defaultTopicQueueNums) else {
            return request.answer(.topicNotExist, remark: "topic[\(header.topic)] not exist, apply first please!")
        }
        guard Perm(rawValue: topic.perm).isWriteable else {
            return request.answer(.noPermission, remark: "the topic[\(header.topic)] sending is forbidden")
        }
        let queueId = header.queueId < 0 ? Int32.random(in: 0..<max(1, topic.writeQueueNums)) : header.queueId
        guard queueId < topic.writeQueueNums else {
            return request.answer(.systemError,
                                  remark: "request queueId[\(queueId)] is illegal, topic \(header.topic) has \(topic.writeQueueNums) write queues")
        }
        let host = storeHost.current
        let fields = RecordFields(
            topic: header.topic, queueId: queueId, flag: header.flag, sysFlag: SysFlag(rawValue: header.sysFlag),
            bornTimestamp: header.bornTimestamp,
            bornHost: HostAddress(parsing: context.connection.remoteAddress) ?? .loopback,
            storeHost: host, reconsumeTimes: header.reconsumeTimes ?? 0,
            properties: header.properties ?? "")
        let body = request.body ?? ByteBuffer()
        // RocketMQ dispatches on the header's batch flag too: the C++ client sends its
        // batches as SEND_MESSAGE_V2 with m=true.
        if request.requestCode == .sendBatchMessage || header.batch == true {
            let entries: [BatchEntry]
            do {
                entries = try BatchCodec.decode(body)
            } catch {
                return request.answer(.messageIllegal, remark: "bad batch body: \(error)")
            }
            let items = entries.map { BatchItem(flag: $0.flag, properties: $0.properties, body: Array($0.body.readableBytesView)) }
            let lengths = items.map { item in
                var f = fields
                f.flag = item.flag
                f.properties = item.properties
                return f.recordLength(bodyLength: item.body.count)
            }
            let stats = self.stats
            store.putMessages(fields, items: items, wakeDispatcher: false) { result in
                stats.record(result, topic: header.topic)
                var offset = result.wroteOffset
                var ids: [String] = []
                for l in lengths {
                    ids.append(MessageID.offsetMessageId(storeHost: host, physicalOffset: offset))
                    offset += Int64(l)
                }
                let response = Self.response(request, result, queueId: queueId, msgId: ids.joined(separator: ","))
                announced.whenDone { reply(.command(response)) }
            }
        } else {
            let stats = self.stats
            body.withUnsafeReadableBytes { raw in
                store.putMessage(fields, body: raw, wakeDispatcher: false) { result in
                    stats.record(result, topic: header.topic)
                    let id = MessageID.offsetMessageId(storeHost: host, physicalOffset: result.wroteOffset)
                    let response = Self.response(request, result, queueId: queueId, msgId: id)
                    announced.whenDone { reply(.command(response)) }
                }
            }
        }
        return .deferred
    }

    /// PutStatus → response code (RocketMQ `handlePutMessageResult`).
    static func response(_ request: RemotingCommand, _ r: PutResult, queueId: Int32, msgId: String) -> RemotingCommand {
        let code: ResponseCode
        var remark = r.remark
        switch r.status {
        case .putOK:
            let header = SendMessageResponseHeader(msgId: msgId, queueId: queueId, queueOffset: r.queueOffset)
            return request.response(.success, header: header)
        case .flushDiskTimeout: code = .flushDiskTimeout
        case .createMappedFileFailed: code = .systemError; remark = "create mapped file failed, server is busy or broken."
        case .messageIllegal, .propertiesSizeExceeded: code = .messageIllegal
        case .serviceNotAvailable: code = .serviceNotAvailable
        case .osPageCacheBusy: code = .systemError; remark = pageCacheBusyRemark
        case .unknownError: code = .systemError
        }
        return request.response(code, remark: "\(r.status.rawValue): \(remark ?? "")")
    }
}

extension BrokerStats {
    func record(_ r: PutResult, topic: String) {
        if r.status == .putOK {
            add(.messagesStored, r.messageCount)
            putsByTopic.add(topic, r.messageCount)
            totals.add("put", r.messageCount)
        } else {
            add(.sendsRefused)
        }
    }
}
