import Foundation
import Protocol
import Remoting
import Store

/// What mqadmin reads: GET_BROKER_RUNTIME_INFO (a ``KVTable`` of runtime
/// figures, RocketMQ's keys plus PeakMQ's flow-control counters),
/// GET_TOPIC_STATS_INFO (``TopicStatsTable``) and GET_CONSUME_STATS
/// (``ConsumeStats``), with RocketMQ's body shapes. Inline: look-ups only.
extension Broker {
    func registerStatsHandlers(on server: RemotingServer) {
        server.register(.getBrokerRuntimeInfo, inline: InlineHandler { [self] req, _ in
            req.answer(.success, body: KVTable(table: runtimeInfo()).bodyBuffer())
        })
        server.register(.getTopicStatsInfo, inline: InlineHandler { [self] req, _ in
            let h: GetTopicStatsInfoRequestHeader = try req.decodeHeader()
            guard let table = topicStats(h.topic) else {
                return req.answer(.topicNotExist, remark: "topic[\(h.topic)] not exist")
            }
            return req.answer(.success, body: table.bodyBuffer())
        })
        server.register(.getConsumeStats, inline: InlineHandler { [self] req, _ in
            let h: GetConsumeStatsRequestHeader = try req.decodeHeader()
            return req.answer(.success, body: consumeStats(group: h.consumerGroup, topic: h.topic).bodyBuffer())
        })
    }

    /// Min and max offset and the last store time of every queue of `topic`; nil when unknown.
    public func topicStats(_ topic: String) -> TopicStatsTable? {
        guard let t = topics.topic(topic) else { return nil }
        var table: [MessageQueue: TopicOffset] = [:]
        for q in 0..<max(t.readQueueNums, t.writeQueueNums) {
            let max = store.maxOffset(topic: topic, queueId: q)
            let last = max > 0 ? store.storeTime(topic: topic, queueId: q, offset: max - 1) ?? 0 : 0
            table[MessageQueue(topic: topic, brokerName: config.brokerName, queueId: q)] = TopicOffset(
                minOffset: Swift.max(0, store.minOffset(topic: topic, queueId: q)), maxOffset: max, lastUpdateTimestamp: last)
        }
        return TopicStatsTable(offsetTable: table)
    }

    /// The group's progress on `topic`, or on every topic it has offsets for
    /// (RocketMQ `getConsumeStats`). Empty for a group this broker never saw:
    /// a named topic counts only if the group has offsets on it or is online.
    public func consumeStats(group: String, topic: String?) -> ConsumeStats {
        let consumed = offsets.topics(ofGroup: group)
        var names = consumed
        if let topic {
            names = consumed.contains(topic) || !clients.consumerIDs(group: group).isEmpty ? [topic] : []
        }
        var table: [MessageQueue: OffsetWrapper] = [:]
        var tps = 0.0
        for name in names {
            guard let t = topics.topic(name) else { continue }
            for q in 0..<t.readQueueNums {
                let consumed = Swift.max(0, offsets.query(group: group, topic: name, queueId: q) ?? 0)
                let last = consumed > 0 ? store.storeTime(topic: name, queueId: q, offset: consumed - 1) ?? 0 : 0
                table[MessageQueue(topic: name, brokerName: config.brokerName, queueId: q)] = OffsetWrapper(
                    brokerOffset: store.maxOffset(topic: name, queueId: q), consumerOffset: consumed,
                    pullOffset: consumed, lastTimestamp: last)
            }
            tps += stats.pullsByGroup.tps(name + "@" + group)
        }
        return ConsumeStats(offsetTable: table, consumeTps: tps)
    }

    /// The runtime figures (RocketMQ `prepareRuntimeInfo` keys where they apply).
    public func runtimeInfo() -> [String: String] {
        let now = monotonicNow()
        let queue = sendService.withLock { $0 }?.queue
        func rates(_ key: String) -> String {
            [10, 60, 600].map { String(format: "%.2f", stats.totals.tps(key, window: $0)) }.joined(separator: " ")
        }
        var info: [String: String] = [
            "brokerVersionDesc": "V4_9_7 (PeakMQ)",
            "brokerName": config.brokerName,
            "brokerRole": config.brokerRole.rawValue,
            "flushDiskType": config.store.flushDiskType.rawValue,
            "bootTimestamp": "\(stats.bootTimestamp)",
            "runtime": Self.uptimeText(millis: Int64(Date().timeIntervalSince1970 * 1000) - stats.bootTimestamp),
            "msgPutTotalTodayNow": "\(stats[.messagesStored])",
            "msgGetTotalTodayNow": "\(stats[.messagesPulled])",
            "msgPutTotalTodayMorning": "0", "msgPutTotalYesterdayMorning": "0",
            "msgGetTotalTodayMorning": "0", "msgGetTotalYesterdayMorning": "0",
            "putTps": rates("put"),
            "getTransferedTps": rates("get"),
            "sendThreadPoolQueueSize": "\(queue?.size ?? 0)",
            "sendThreadPoolQueueCapacity": "\(config.sendThreadPoolQueueCapacity)",
            "sendThreadPoolQueueHeadWaitTimeMills": "\(queue?.headWaitMillis(now: now) ?? 0)",
            "sendQueueBytes": "\(queue?.queuedBytes ?? 0)",
            "sendQueueMaxBytes": "\(config.sendQueueMaxBytes)",
            "pageCacheLockTimeMills": "\(store.putLockHeldMillis)",
            "dispatchBehindBytes": "\(store.dispatchBehindBytes)",
            "commitLogMinOffset": "\(store.commitLogMinOffset)",
            "commitLogMaxOffset": "\(store.commitLogMaxOffset)",
            "earliestMessageTimeStamp": "\(store.message(atPhysicalOffset: store.commitLogMinOffset)?.storeTimestamp ?? 0)",
            "flowControlTotal": "\(stats[.systemBusy])",
            "flowControlPageCacheBusy": "\(stats[.busyPageCache])",
            "flowControlTimeoutCleanQueue": "\(stats[.busyTimeoutInQueue])",
            "flowControlOverload": "\(stats[.busyQueueFull])",
            "sendsRefused": "\(stats[.sendsRefused])",
            "pullsHeldTotal": "\(stats[.pullsHeld])",
            "sendsInlineTotal": "\(stats[.sendsInline])",
        ]
        var fs = statvfs()
        if statvfs(config.store.storePathRootDir, &fs) == 0, fs.f_blocks > 0 {
            let total = Double(fs.f_blocks) * Double(fs.f_frsize)
            let free = Double(fs.f_bavail) * Double(fs.f_frsize)
            info["commitLogDiskRatio"] = String(format: "%.4f", 1 - free / total)
            info["commitLogDirCapacity"] = "Total : \(Self.humanBytes(total)), Free : \(Self.humanBytes(free))."
        }
        return info
    }

    static func uptimeText(millis: Int64) -> String {
        let s = max(0, millis / 1000)
        return "[ \(s / 86400) days, \(s % 86400 / 3600) hours, \(s % 3600 / 60) minutes, \(s % 60) seconds ]"
    }

    static func humanBytes(_ n: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = n
        var i = 0
        while v >= 1024 && i < units.count - 1 {
            v /= 1024
            i += 1
        }
        return String(format: "%.1f", v) + " " + units[i]
    }
}
