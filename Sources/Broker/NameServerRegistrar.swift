import Logging
import Protocol
import Remoting

/// Registers the broker and its topics with every NameServer
/// (REGISTER_BROKER with a ``RegisterBrokerBody``), and unregisters at shutdown.
public struct NameServerRegistrar: Sendable {
    let client: RemotingClient
    let addresses: [String]
    let header: RegisterBrokerRequestHeader
    let logger: Logger

    init(config: BrokerConfig, brokerAddr: String, logger: Logger) {
        var c = RemotingClient.Configuration()
        c.serializeType = nil
        client = RemotingClient(configuration: c, logger: logger)
        addresses = config.namesrvAddrs
        header = RegisterBrokerRequestHeader(
            brokerName: config.brokerName, brokerAddr: brokerAddr, clusterName: config.brokerClusterName,
            haServerAddr: "", brokerId: config.brokerId)
        self.logger = logger
    }

    /// One registration round with every NameServer; failures are logged.
    /// - Returns: the number of NameServers that accepted.
    @discardableResult
    func registerAll(_ topics: TopicConfigSerializeWrapper) async -> Int {
        let body = RegisterBrokerBody(topicConfigSerializeWrapper: topics).bodyBuffer()
        var ok = 0
        for addr in addresses {
            let request = RemotingCommand.request(.registerBroker, header: header, body: body, opaque: 0)
            do {
                let response = try await client.invoke(request, to: addr, timeout: .seconds(6))
                if response.responseCode == .success {
                    ok += 1
                } else {
                    logger.warning("register broker to \(addr) refused: \(response.responseCode) \(response.remark ?? "")")
                }
            } catch {
                logger.warning("register broker to \(addr) failed: \(error)")
            }
        }
        return ok
    }

    /// UNREGISTER_BROKER with every NameServer, then closes the client.
    func unregisterAll() async {
        let h = UnregisterBrokerRequestHeader(brokerName: header.brokerName, brokerAddr: header.brokerAddr,
                                              clusterName: header.clusterName, brokerId: header.brokerId)
        for addr in addresses {
            do {
                _ = try await client.invoke(.request(.unregisterBroker, header: h, opaque: 0), to: addr, timeout: .seconds(3))
            } catch {
                logger.warning("unregister broker from \(addr) failed: \(error)")
            }
        }
        await client.shutdown()
    }
}
