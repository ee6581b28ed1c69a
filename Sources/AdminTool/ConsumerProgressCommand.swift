import ArgumentParser
import Client
import Protocol

/// `consumerProgress`: per queue, the broker's max offset, the group's committed
/// offset and the difference (lag); totals and the group's consume rate.
struct ConsumerProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consumerProgress",
                                                    abstract: "Show a consumer group's offsets and lag.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("g"), help: ArgumentHelp("Consumer group.", valueName: "group")) var group: String
    @Option(name: .customShort("t"), help: ArgumentHelp("Only this topic (default: every topic the group consumed).", valueName: "topic")) var topic: String?

    func run() async throws {
        let stats = try await common.withAdmin { try await $0.consumeStats(group: group, topic: topic) }
        guard !stats.offsetTable.isEmpty else {
            throw AdminError("consumer group '\(group)' has no offsets on any broker\(topic.map { " for topic '\($0)'" } ?? "")"
                + " (unknown group, or it has not committed an offset yet)")
        }
        var table = Table(["Topic", "Broker Name", "QID", "Broker Offset", "Consumer Offset", "Diff", "LastTime"],
                          numeric: [2, 3, 4, 5])
        var rows: [JSONValue] = []
        for (q, o) in stats.offsetTable.sorted(by: { $0.key < $1.key }) {
            let diff = max(0, o.brokerOffset - o.consumerOffset)
            table.add([q.topic, q.brokerName, "\(q.queueId)", "\(o.brokerOffset)", "\(o.consumerOffset)", "\(diff)",
                       humanTime(o.lastTimestamp)])
            rows.append(.object([
                "brokerName": .string(q.brokerName), "brokerOffset": .int(o.brokerOffset),
                "consumerOffset": .int(o.consumerOffset), "diff": .int(diff), "lastTimestamp": .int(o.lastTimestamp),
                "queueId": .int32(q.queueId), "topic": .string(q.topic),
            ]))
        }
        let brokerTotal = stats.offsetTable.values.reduce(Int64(0)) { $0 + $1.brokerOffset }
        let consumerTotal = stats.offsetTable.values.reduce(Int64(0)) { $0 + $1.consumerOffset }
        let tps = (stats.consumeTps * 100).rounded() / 100
        common.emit(
            .object([
                "brokerOffsetTotal": .int(brokerTotal), "consumeTps": .double(tps),
                "consumerOffsetTotal": .int(consumerTotal), "diffTotal": .int(stats.totalDiff),
                "group": .string(group), "queues": .array(rows),
            ]),
            table.text + "\n\nConsume TPS: \(String(format: "%.2f", tps))\nConsume Diff Total: \(stats.totalDiff)")
    }
}
