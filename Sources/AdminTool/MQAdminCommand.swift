import ArgumentParser
import Client
import Foundation
import Logging
import Protocol

/// `mqadmin`: RocketMQ's administration tool for a PeakMQ (or RocketMQ)
/// cluster, with RocketMQ's subcommand names and option letters. Every command
/// prints a table, or JSON with `--json`; a failure prints one line saying what
/// was not found or not reachable and exits with status 1.
public struct MQAdminCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqadmin",
        abstract: "Administer a PeakMQ / RocketMQ cluster.",
        discussion: """
            The NameServer comes from -n or the NAMESRV_ADDR environment variable.
            Examples:
              mqadmin clusterList -n 127.0.0.1:9876
              mqadmin updateTopic -n 127.0.0.1:9876 -c DefaultCluster -t Orders -r 8 -w 8
              mqadmin topicStatus -n 127.0.0.1:9876 -t Orders --json
              mqadmin consumerProgress -n 127.0.0.1:9876 -g billing
            """,
        subcommands: [
            UpdateTopicCommand.self, DeleteTopicCommand.self, TopicListCommand.self, TopicRouteCommand.self,
            TopicStatusCommand.self, ConsumerProgressCommand.self, ClusterListCommand.self, BrokerStatusCommand.self,
            QueryMsgByIdCommand.self, QueryMsgByKeyCommand.self,
        ])

    public init() {}
}

/// Options every subcommand takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .customShort("n"), help: ArgumentHelp("NameServer addresses, ';'-separated (default: $NAMESRV_ADDR).", valueName: "host:port"))
    var namesrvAddr: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Timeout of each request, in milliseconds.", valueName: "ms"))
    var timeoutMillis = 5000

    /// An admin client on the NameServers, run for `body` and shut down after.
    func withAdmin<T>(_ body: (AdminClient) async throws -> T) async throws -> T {
        let list = namesrvAddr ?? ProcessInfo.processInfo.environment["NAMESRV_ADDR"]
        guard let list, !list.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AdminError("no NameServer: give -n host:port or set NAMESRV_ADDR")
        }
        var options = ClientOptions(nameServerList: list)
        options.requestTimeout = .milliseconds(max(100, timeoutMillis))
        var logger = Logger(label: "peakmq.mqadmin")
        logger.logLevel = .critical
        let admin = AdminClient(options: options, logger: logger)
        do {
            let result = try await body(admin)
            await admin.shutdown()
            return result
        } catch {
            await admin.shutdown()
            throw AdminError.explaining(error)
        }
    }

    /// Prints `value` as compact JSON, or `table` when not `--json`.
    func emit(_ value: JSONValue, _ text: @autoclosure () -> String) {
        print(json ? value.jsonString : text())
    }
}

/// A failure told to the user in one line (ArgumentParser prints it after
/// "Error: " and exits with status 1).
struct AdminError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// Client errors in the terms of the command line.
    static func explaining(_ error: any Error) -> any Error {
        guard let e = error as? ClientError else { return error }
        switch e {
        case .routeNotFound(let topic, _):
            return AdminError("topic '\(topic)' does not exist (no NameServer has a route for it)")
        case .broker(let code, let remark):
            return AdminError("the broker answered \(code): \(remark ?? "no remark")")
        case .illegalState(let why):
            return AdminError(why)
        default:
            return AdminError(e.description)
        }
    }
}

/// Milliseconds since the epoch as local `yyyy-MM-dd HH:mm:ss,SSS` (RocketMQ's
/// UtilAll.timeMillisToHumanString2), or "-" for 0.
func humanTime(_ millis: Int64) -> String {
    guard millis > 0 else { return "-" }
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
    return f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
}
