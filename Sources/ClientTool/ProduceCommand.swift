import ArgumentParser
import Client
import ToolSupport

/// `mqclient produce`: sends `--count` messages one at a time (sync sends) and
/// reports where each went.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send messages with sync sends, one at a time.",
        discussion: """
            Bodies are random bytes 0x01-0xFF (no NUL: some clients' bindings pass bodies \
            as C strings) unless --body gives a text. Bodies over 4 KiB are compressed, \
            as RocketMQ clients do. Message i gets the key <key-prefix><i>.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("g"), help: ArgumentHelp("Producer group.", valueName: "group"))
    var group = "mqclient_producer"

    @Option(help: "How many messages.")
    var count = 1

    @Option(help: "Body size (bytes, or with K/M), 1 B ... 4 MiB.", transform: TextValues.bytes)
    var bodySize = 64

    @Option(help: "Use this text as every body instead of random bytes.")
    var body: String?

    @Option(help: "The tag of every message.")
    var tag: String?

    @Option(help: "Message i gets the key <key-prefix><i>.")
    var keyPrefix: String?

    @Option(help: "A user property name=value (repeatable).")
    var property: [String] = []

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard (1...Self.maxBody).contains(body.map { $0.utf8.count } ?? bodySize) else {
            throw ValidationError("the body must be 1 B ... 4 MiB")
        }
        do {
            try Message(topic: connection.topic, body: [1], properties: try properties()).checkUserProperties()
        } catch {
            throw ValidationError("--property: \(error)")
        }
    }

    static let maxBody = 4 * 1024 * 1024

    func properties() throws -> [String: String] {
        var out: [String: String] = [:]
        for p in property {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw ValidationError("--property '\(p)' is not name=value")
            }
            out[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return out
    }

    func run() async throws {
        let output = Output()
        var options = ClientOptions(nameServerList: connection.namesrvAddr)
        options.requestTimeout = .seconds(5)
        var config = Producer.Configuration(group: group, options: options)
        config.maxMessageSize = Self.maxBody
        let producer = Producer(configuration: config, logger: makeLogger("peakmq.mqclient", level: .error))
        let props = try properties()
        let start = ContinuousClock.now
        do {
            try await producer.start()
            var random = SystemRandomNumberGenerator()
            for i in 0..<count {
                let bytes = body.map { Array($0.utf8) } ?? (0..<bodySize).map { _ in UInt8.random(in: 1...255, using: &random) }
                let m = Message(topic: connection.topic, body: bytes, tags: tag, keys: keyPrefix.map { ["\($0)\(i)"] } ?? [],
                                properties: props)
                let r = try await producer.send(m)
                if connection.json { output.line(MessageRecord(sent: m, result: r).jsonLine) }
                output.progress("sent", i + 1, of: count)
            }
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
        output.endProgress()
        if !connection.json {
            output.line("sent \(count) messages to \(connection.topic) in \(seconds(ContinuousClock.now - start))")
        }
    }
}
