import ArgumentParser

/// `mqclient`: produce and consume with PeakMQ's Swift client from the command
/// line, for interoperability checks against other RocketMQ clients and for
/// scripts. `--json` prints one ``MessageRecord`` per line.
public struct MQClientCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqclient",
        abstract: "Produce and consume messages with PeakMQ's Swift client.",
        discussion: """
            Examples:
              mqclient produce -n 127.0.0.1:9876 -t T --count 10 --body-size 4K --tag a --key-prefix k- --property p=v --json
              mqclient consume -n 127.0.0.1:9876 -t T -g G --count 10 --timeout 30s --json
              mqclient perf produce -n 127.0.0.1:9876 -t T --size 1024 --window 1024 --duration 20s
            """,
        subcommands: [ProduceCommand.self, ConsumeCommand.self, PerfCommand.self])

    public init() {}
}

/// The options both subcommands take.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customShort("n"), help: ArgumentHelp("NameServer addresses, ';'-separated.", valueName: "host:port"))
    var namesrvAddr: String

    @Option(name: .customShort("t"), help: ArgumentHelp("The topic.", valueName: "topic"))
    var topic: String

    @Flag(help: "One JSON object per message on stdout (base64 bodies) instead of a summary.")
    var json = false

    func validate() throws {
        guard !namesrvAddr.split(separator: ";").isEmpty else { throw ValidationError("-n needs at least one host:port") }
    }
}
