import ArgumentParser
import Client
import Protocol

/// `updateTopic`: create or change a topic on one broker (-b) or every master of a cluster (-c).
struct UpdateTopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "updateTopic", abstract: "Create or update a topic.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("t"), help: ArgumentHelp("Topic name.", valueName: "topic")) var topic: String
    @Option(name: .customShort("b"), help: ArgumentHelp("Broker address (host:port) to create it on.", valueName: "host:port")) var brokerAddr: String?
    @Option(name: .customShort("c"), help: ArgumentHelp("Cluster whose every master gets it.", valueName: "cluster")) var clusterName: String?
    @Option(name: .customShort("r"), help: ArgumentHelp("Read queue count.", valueName: "count")) var readQueueNums: Int32 = 8
    @Option(name: .customShort("w"), help: ArgumentHelp("Write queue count.", valueName: "count")) var writeQueueNums: Int32 = 8
    @Option(name: .customShort("p"), help: ArgumentHelp("Permission: 2 write, 4 read, 6 read+write.", valueName: "perm")) var perm: Int32 = 6
    @Option(name: .customShort("o"), help: ArgumentHelp("Ordered topic (true/false).", valueName: "bool")) var order = false

    func validate() throws {
        guard (brokerAddr == nil) != (clusterName == nil) else { throw ValidationError("give exactly one of -b broker address or -c cluster") }
        guard (1...1024).contains(readQueueNums), (1...1024).contains(writeQueueNums) else {
            throw ValidationError("-r and -w must be 1…1024")
        }
        guard [2, 4, 6].contains(perm) else { throw ValidationError("-p must be 2, 4 or 6") }
    }

    func run() async throws {
        let config = TopicConfig(topicName: topic, readQueueNums: readQueueNums, writeQueueNums: writeQueueNums,
                                 perm: perm, order: order)
        let done: [String] = try await common.withAdmin { admin in
            let targets = if let brokerAddr { [brokerAddr] } else { try await admin.masters(cluster: clusterName).map(\.address) }
            guard !targets.isEmpty else { throw AdminError("cluster '\(clusterName ?? "")' has no master broker") }
            for address in targets { try await admin.createTopic(config, brokerAddress: address) }
            return targets
        }
        common.emit(.object(["brokers": .strings(done), "topicConfig": config.json]),
                    done.map { "create topic to \($0) success." }.joined(separator: "\n") + "\n\(describe(config))")
    }

    private func describe(_ c: TopicConfig) -> String {
        "TopicConfig [topicName=\(c.topicName), readQueueNums=\(c.readQueueNums), writeQueueNums=\(c.writeQueueNums), "
            + "perm=\(Perm(rawValue: c.perm)), topicFilterType=\(c.topicFilterType), topicSysFlag=\(c.topicSysFlag), order=\(c.order)]"
    }
}

/// `deleteTopic`: remove a topic from every master of a cluster and from the NameServers.
struct DeleteTopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deleteTopic", abstract: "Delete a topic from a cluster.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("t"), help: ArgumentHelp("Topic name.", valueName: "topic")) var topic: String
    @Option(name: .customShort("c"), help: ArgumentHelp("Cluster to delete it from.", valueName: "cluster")) var clusterName: String

    func run() async throws {
        let (brokers, nameServers) = try await common.withAdmin { admin in
            // An unknown topic is an error, not a silent no-op.
            _ = try await admin.topicRoute(topic)
            let masters = try await admin.masters(cluster: clusterName).map(\.address)
            for address in masters { try await admin.deleteTopicInBroker(topic, brokerAddress: address) }
            return (masters, try await admin.deleteTopicInNameServers(topic, cluster: clusterName))
        }
        common.emit(.object(["brokers": .strings(brokers), "nameServers": .strings(nameServers), "topic": .string(topic)]),
                    "delete topic [\(topic)] from cluster [\(clusterName)] success.\ndelete topic [\(topic)] from NameServer success.")
    }
}

/// `topicList`: every topic the NameServers know.
struct TopicListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topicList", abstract: "List the topics.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let topics = try await common.withAdmin { try await $0.topicList() }
        common.emit(TopicList(topicList: topics).json, topics.joined(separator: "\n"))
    }
}

/// `topicRoute`: the brokers and queues of a topic.
struct TopicRouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topicRoute", abstract: "Show a topic's route.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("t"), help: ArgumentHelp("Topic name.", valueName: "topic")) var topic: String

    func run() async throws {
        let route = try await common.withAdmin { try await $0.topicRoute(topic) }
        var brokers = Table(["Cluster", "Broker Name", "BID", "Address"], numeric: [2])
        for b in route.brokerDatas.sorted(by: { $0.brokerName < $1.brokerName }) {
            for (id, addr) in b.brokerAddrs.sorted(by: { $0.key < $1.key }) { brokers.add([b.cluster, b.brokerName, "\(id)", addr]) }
        }
        var queues = Table(["Broker Name", "Read Queues", "Write Queues", "Perm"], numeric: [1, 2])
        for q in route.queueDatas.sorted(by: { $0.brokerName < $1.brokerName }) {
            queues.add([q.brokerName, "\(q.readQueueNums)", "\(q.writeQueueNums)", "\(Perm(rawValue: q.perm))"])
        }
        common.emit(route.json, brokers.text + "\n\n" + queues.text)
    }
}

/// `topicStatus`: min and max offset and last store time of every queue of a topic.
struct TopicStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topicStatus", abstract: "Show a topic's queue offsets.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("t"), help: ArgumentHelp("Topic name.", valueName: "topic")) var topic: String

    func run() async throws {
        let stats = try await common.withAdmin { try await $0.topicStats(topic) }
        let queues = stats.offsetTable.sorted { $0.key < $1.key }
        var table = Table(["Broker Name", "QID", "Min Offset", "Max Offset", "Last Updated"], numeric: [1, 2, 3])
        var rows: [JSONValue] = []
        for (q, o) in queues {
            table.add([q.brokerName, "\(q.queueId)", "\(o.minOffset)", "\(o.maxOffset)", humanTime(o.lastUpdateTimestamp)])
            rows.append(.object([
                "brokerName": .string(q.brokerName), "lastUpdateTimestamp": .int(o.lastUpdateTimestamp),
                "maxOffset": .int(o.maxOffset), "minOffset": .int(o.minOffset), "queueId": .int32(q.queueId),
            ]))
        }
        let total = queues.reduce(Int64(0)) { $0 + $1.value.maxOffset - $1.value.minOffset }
        common.emit(.object(["queues": .array(rows), "topic": .string(topic), "totalMessages": .int(total)]),
                    table.text + "\nMessages in queues (max - min, summed): \(total)")
    }
}
