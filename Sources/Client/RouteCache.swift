import Logging
import Protocol
import Remoting
import Synchronization

/// Topic routes fetched with GET_ROUTEINFO_BY_TOPIC from the NameServers (each
/// tried in turn), kept per topic and refreshed every
/// ``ClientOptions/routeRefreshInterval`` by the owner's timer, or on demand.
/// Also the broker address book (brokerName → brokerId → address) of every route seen.
final class RouteCache: Sendable {
    private struct State {
        var routes: [String: TopicRouteData] = [:]
        var brokers: [String: [Int64: String]] = [:]
        var nextNameServer = 0
    }

    private let remoting: RemotingClient
    private let options: ClientOptions
    private let state = Mutex(State())

    init(remoting: RemotingClient, options: ClientOptions) {
        self.remoting = remoting
        self.options = options
    }

    /// The cached route of `topic`, fetched first if unknown.
    func route(_ topic: String) async throws(ClientError) -> TopicRouteData {
        if let r = state.withLock({ $0.routes[topic] }) { return r }
        return try await refresh(topic)
    }

    /// Fetches `topic`'s route now and caches it.
    /// - Throws: ``ClientError/routeNotFound(topic:remark:)`` when a NameServer answers TOPIC_NOT_EXIST.
    @discardableResult
    func refresh(_ topic: String) async throws(ClientError) -> TopicRouteData {
        let route = try await fetch(topic)
        state.withLock { s in
            s.routes[topic] = route
            for b in route.brokerDatas { s.brokers[b.brokerName, default: [:]].merge(b.brokerAddrs) { $1 } }
        }
        return route
    }

    /// Refreshes every cached topic; failures keep the old route (as RocketMQ does).
    func refreshAll(logger: Logger) async {
        for topic in state.withLock({ Array($0.routes.keys) }) {
            do { try await refresh(topic) } catch { logger.debug("route refresh of \(topic) failed: \(error)") }
        }
    }

    /// The address of `brokerName`'s broker `brokerId` (0 = master).
    func brokerAddress(_ brokerName: String, brokerId: Int64 = BrokerData.masterId) -> String? {
        state.withLock { $0.brokers[brokerName]?[brokerId] }
    }

    /// Every known broker address (masters and slaves).
    var allBrokerAddresses: [String] {
        state.withLock { s in Array(Set(s.brokers.values.flatMap { $0.values })).sorted() }
    }

    private func fetch(_ topic: String) async throws(ClientError) -> TopicRouteData {
        let servers = options.nameServers
        guard !servers.isEmpty else { throw .nameServerUnavailable("no NameServer address configured") }
        let start = state.withLock { s in
            defer { s.nextNameServer &+= 1 }
            return s.nextNameServer
        }
        var lastError = ClientError.nameServerUnavailable("no NameServer answered")
        for i in 0..<servers.count {
            let address = servers[(start + i) % servers.count]
            let request = RemotingCommand.request(
                .getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: topic), opaque: 0,
                serializeType: options.serializeType)
            let response: RemotingCommand
            do {
                response = try await remoting.invoke(request, to: address, timeout: options.requestTimeout)
            } catch {
                lastError = ClientError(error)
                continue
            }
            switch response.responseCode {
            case .success:
                do { return try TopicRouteData(bodyOf: response) } catch { throw ClientError(error) }
            case .topicNotExist:
                throw .routeNotFound(topic: topic, remark: response.remark)
            default:
                lastError = .broker(code: response.responseCode, remark: response.remark)
            }
        }
        throw lastError
    }
}
