import NIOCore
import Protocol
import Remoting
import Store

/// The table-lookup requests: offsets, topics, clients. Each runs inline on the
/// event loop (short locks, no I/O), except topic creation and deletion, which
/// write files and run on the admin queue.
extension Broker {
    func registerAdminHandlers(on server: RemotingServer) {
        let store = self.store, topics = self.topics, offsets = self.offsets, clients = self.clients
        let isSlave = config.brokerRole == .slave

        server.register(.queryConsumerOffset, inline: InlineHandler { req, _ in
            let h: QueryConsumerOffsetRequestHeader = try req.decodeHeader()
            if let off = offsets.query(group: h.consumerGroup, topic: h.topic, queueId: h.queueId) {
                return req.answer(.success, header: QueryConsumerOffsetResponseHeader(offset: off))
            }
            // RocketMQ: a group new to a queue whose messages still start at 0
            // (a young topic) is told 0, so it sees the first messages.
            if store.minOffset(topic: h.topic, queueId: h.queueId) <= 0, h.setZeroIfNotFound ?? true {
                return req.answer(.success, header: QueryConsumerOffsetResponseHeader(offset: 0))
            }
            return req.answer(.queryNotFound, remark: "Not found, maybe this group consumer boot first")
        })
        server.register(.updateConsumerOffset, inline: InlineHandler { req, _ in
            let h: UpdateConsumerOffsetRequestHeader = try req.decodeHeader()
            guard !isSlave else { return req.answer(.success) }
            offsets.commit(group: h.consumerGroup, topic: h.topic, queueId: h.queueId, offset: h.commitOffset)
            return req.answer(.success)
        })
        server.register(.getMaxOffset, inline: InlineHandler { req, _ in
            let h: GetMaxOffsetRequestHeader = try req.decodeHeader()
            return req.answer(.success, header: GetMaxOffsetResponseHeader(offset: store.maxOffset(topic: h.topic, queueId: h.queueId)))
        })
        server.register(.getMinOffset, inline: InlineHandler { req, _ in
            let h: GetMinOffsetRequestHeader = try req.decodeHeader()
            return req.answer(.success, header: GetMinOffsetResponseHeader(offset: store.minOffset(topic: h.topic, queueId: h.queueId)))
        })
        server.register(.searchOffsetByTimestamp, inline: InlineHandler { req, _ in
            let h: SearchOffsetRequestHeader = try req.decodeHeader()
            let off = store.offset(topic: h.topic, queueId: h.queueId, timestamp: h.timestamp)
            return req.answer(.success, header: SearchOffsetResponseHeader(offset: off))
        })
        server.register(.getEarliestMsgStoreTime, inline: InlineHandler { req, _ in
            let h: GetEarliestMsgStoretimeRequestHeader = try req.decodeHeader()
            guard let t = store.earliestMessageTime(topic: h.topic, queueId: h.queueId) else {
                return req.answer(.systemError, remark: "Find the earliest message store time failed: queue \(h.topic)-\(h.queueId) is empty")
            }
            return req.answer(.success, header: GetEarliestMsgStoretimeResponseHeader(timestamp: t))
        })
        // Topic changes persist topics.json (fsync): off the event loop.
        let admin = adminQueue
        server.register(.updateAndCreateTopic, inline: BlockingHandler(queue: admin) { req, ctx in
            let h: CreateTopicRequestHeader = try req.decodeHeader()
            if let why = Self.illegalTopicReason(h.topic, allowTemplate: false) {
                return req.answer(.systemError, remark: why)
            }
            guard h.readQueueNums > 0, h.writeQueueNums > 0, h.readQueueNums <= 1024, h.writeQueueNums <= 1024 else {
                return req.answer(.systemError, remark: "queue numbers must be 1…1024 (read \(h.readQueueNums), write \(h.writeQueueNums))")
            }
            let announced = topics.update(TopicConfig(
                topicName: h.topic, readQueueNums: h.readQueueNums, writeQueueNums: h.writeQueueNums,
                perm: h.perm, topicFilterType: h.topicFilterType, topicSysFlag: h.topicSysFlag ?? 0, order: h.order))
            // Answered once the NameServers have the route (RocketMQ registers before answering).
            announced.whenDone { ctx.reply(.command(req.response(.success))) }
            return .deferred
        })
        server.register(.deleteTopicInBroker, inline: BlockingHandler(queue: admin) { req, _ in
            let h: DeleteTopicRequestHeader = try req.decodeHeader()
            guard h.topic != TopicConfigManager.templateTopic else {
                return req.answer(.systemError, remark: "the template topic \(h.topic) cannot be deleted")
            }
            topics.delete(h.topic)
            offsets.removeTopic(h.topic)
            store.deleteTopic(h.topic)
            return req.answer(.success)
        })
        server.register(.getAllTopicConfig, inline: InlineHandler { req, _ in
            req.answer(.success, body: topics.wrapper.bodyBuffer())
        })
        server.register(.heartBeat, inline: InlineHandler { req, ctx in
            let data = try HeartbeatData(bodyOf: req)
            clients.notifyChanged(clients.heartbeat(data, connection: ctx.connection))
            return req.answer(.success)
        })
        server.register(.unregisterClient, inline: InlineHandler { req, ctx in
            let h: UnregisterClientRequestHeader = try req.decodeHeader()
            clients.notifyChanged(clients.unregister(producerGroup: h.producerGroup, consumerGroup: h.consumerGroup,
                                                     connection: ctx.connection))
            return req.answer(.success)
        })
        server.register(.getConsumerListByGroup, inline: InlineHandler { req, _ in
            let h: GetConsumerListByGroupRequestHeader = try req.decodeHeader()
            let ids = clients.consumerIDs(group: h.consumerGroup)
            guard !ids.isEmpty else { return req.answer(.systemError, remark: "no consumer for this group, \(h.consumerGroup)") }
            return req.answer(.success, body: ConsumerListBody(consumerIdList: ids).bodyBuffer())
        })
    }

    /// Why `topic` cannot be created, or nil (RocketMQ `TopicValidator`).
    static func illegalTopicReason(_ topic: String, allowTemplate: Bool) -> String? {
        if topic.isEmpty { return "the topic name is empty" }
        if topic.utf8.count > 127 { return "the topic name is longer than 127 characters" }
        let ok = topic.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x25 || c == 0x2D || c == 0x5F || c == 0x7C
        }
        if !ok { return "the topic[\(topic)] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$" }
        if !allowTemplate, topic == TopicConfigManager.templateTopic { return "the topic[\(topic)] is the template topic" }
        return nil
    }
}
