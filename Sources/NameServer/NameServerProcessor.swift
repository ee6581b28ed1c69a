import Logging
import MessageFormat
import NIOCore
import Protocol
import Remoting

/// Answers every NameServer request (RocketMQ `DefaultRequestProcessor`), on
/// the event loop: each one is a short look-up or update under the tables' lock.
struct NameServerProcessor: RemotingInlineProcessor {
    let routes: RouteInfoManager
    let kv: KVConfigManager
    let orderMessageEnable: Bool
    let logger: Logger

    /// The KV namespace clients and brokers read ordered-topic settings from.
    static let orderTopicNamespace = "ORDER_TOPIC_CONFIG"

    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        do {
            return .response(.command(try answer(request, context: context)))
        } catch {
            // A missing or malformed header field: say which, as RocketMQ does.
            return .response(.command(request.response(.systemError, remark: "\(error)")))
        }
    }

    private func answer(_ r: RemotingCommand, context: RemotingContext) throws -> RemotingCommand {
        switch r.requestCode {
        case .registerBroker: return try registerBroker(r, context: context)
        case .unregisterBroker:
            let h = try r.decodeHeader(UnregisterBrokerRequestHeader.self)
            routes.unregisterBroker(
                clusterName: h.clusterName, brokerAddr: h.brokerAddr, brokerName: h.brokerName, brokerId: h.brokerId)
            logger.info("broker unregistered: \(h.brokerName) \(h.brokerAddr) id \(h.brokerId)")
            return r.response(.success)
        case .getRouteInfoByTopic:
            let h = try r.decodeHeader(GetRouteInfoRequestHeader.self)
            guard var route = routes.route(topic: h.topic) else {
                return r.response(
                    .topicNotExist,
                    remark: "No topic route info in name server for the topic: \(h.topic)\nSee http://rocketmq.apache.org/docs/faq/ for further details.")
            }
            if orderMessageEnable {
                route.orderTopicConf = kv.get(namespace: Self.orderTopicNamespace, key: h.topic)
            }
            return r.response(.success, body: route.bodyBuffer())
        case .getBrokerClusterInfo:
            return r.response(.success, body: routes.clusterInfo.bodyBuffer())
        case .getAllTopicListFromNameServer:
            return r.response(.success, body: TopicList(topicList: routes.topics).bodyBuffer())
        case .getTopicsByCluster:
            let h = try r.decodeHeader(GetTopicsByClusterRequestHeader.self)
            return r.response(.success, body: TopicList(topicList: routes.topics(inCluster: h.cluster)).bodyBuffer())
        case .deleteTopicInNameServer:
            let h = try r.decodeHeader(DeleteTopicFromNamesrvRequestHeader.self)
            routes.deleteTopic(h.topic, cluster: h.clusterName)
            return r.response(.success)
        case .putKVConfig:
            let h = try r.decodeHeader(PutKVConfigRequestHeader.self)
            kv.put(namespace: h.namespace, key: h.key, value: h.value)
            return r.response(.success)
        case .getKVConfig:
            let h = try r.decodeHeader(GetKVConfigRequestHeader.self)
            guard let value = kv.get(namespace: h.namespace, key: h.key) else {
                return r.response(.queryNotFound, remark: "No config item, Namespace: \(h.namespace) Key: \(h.key)")
            }
            return r.response(.success, header: GetKVConfigResponseHeader(value: value))
        case .deleteKVConfig:
            let h = try r.decodeHeader(DeleteKVConfigRequestHeader.self)
            kv.delete(namespace: h.namespace, key: h.key)
            return r.response(.success)
        case .getKVListByNamespace:
            let h = try r.decodeHeader(GetKVListByNamespaceRequestHeader.self)
            guard let table = kv.list(namespace: h.namespace) else {
                return r.response(.queryNotFound, remark: "No config item, Namespace: \(h.namespace)")
            }
            return r.response(.success, body: KVTable(table: table).bodyBuffer())
        default:
            return r.response(.requestCodeNotSupported, remark: " request type \(r.code) not supported")
        }
    }

    private func registerBroker(_ r: RemotingCommand, context: RemotingContext) throws -> RemotingCommand {
        let h = try r.decodeHeader(RegisterBrokerRequestHeader.self)
        var wrapper: TopicConfigSerializeWrapper?
        var filters: [String] = []
        if let body = r.body, body.readableBytes > 0 {
            if h.bodyCrc32 != 0 {
                // Java's UtilAll.crc32 keeps 31 bits.
                let crc = body.withUnsafeReadableBytes { CRC32.checksum($0) } & 0x7FFF_FFFF
                guard crc == UInt32(bitPattern: h.bodyCrc32) else {
                    return r.response(.systemError, remark: "crc32 not match")
                }
            }
            let parsed = try RegisterBrokerBody(body: body, compressed: h.compressed)
            wrapper = parsed.topicConfigSerializeWrapper
            filters = parsed.filterServerList
        }
        let result = routes.registerBroker(h, topicConfig: wrapper, filterServers: filters, connection: context.connection)
        var response = r.response(
            .success, header: RegisterBrokerResponseHeader(haServerAddr: result.haServerAddr, masterAddr: result.masterAddr))
        if let table = kv.list(namespace: Self.orderTopicNamespace) {
            response.body = KVTable(table: table).bodyBuffer()
        }
        return response
    }
}
