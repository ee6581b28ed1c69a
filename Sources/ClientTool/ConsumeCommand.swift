import ArgumentParser
import Client
import MessageFormat
import Synchronization
import ToolSupport

/// `mqclient consume`: a push consumer that prints what it receives, until
/// `--count` messages arrived or `--timeout` passed.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Receive messages with a push consumer and print them.",
        discussion: """
            Stops after --count messages (exit status 1 if fewer arrived within --timeout), \
            or at --timeout when no count is given. Messages beyond the count are not \
            acknowledged, so the group's offsets stay at the last one printed.
            """)

    enum StartPosition: String, ExpressibleByArgument, CaseIterable {
        case first, last
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("g"), help: ArgumentHelp("Consumer group.", valueName: "group"))
    var group: String

    @Option(help: "Stop after this many messages.")
    var count: Int?

    @Option(help: "How long to wait (e.g. 30s, 2m).", transform: TextValues.duration)
    var timeout: Duration = .seconds(30)

    @Option(help: "Tag expression: * or 'a || b'.")
    var expression = "*"

    @Option(help: "Where a queue without a committed offset starts: first or last.")
    var from: StartPosition = .first

    @Flag(help: "Broadcasting (every consumer gets every message) instead of clustering.")
    var broadcasting = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let output = Output()
        let inbox = Inbox(limit: count, output: output, json: connection.json)
        var config = PushConsumer.Configuration(group: group, options: ClientOptions(nameServerList: connection.namesrvAddr))
        config.model = broadcasting ? .broadcasting : .clustering
        config.startPosition = from == .first ? .first : .last
        let consumer = PushConsumer(configuration: config, logger: makeLogger("peakmq.mqclient", level: .error)) { messages in
            inbox.take(messages)
        }
        let start = ContinuousClock.now
        try consumer.subscribe(connection.topic, expression: expression)
        try await consumer.start()
        let complete = await inbox.wait(timeout: timeout)
        await consumer.shutdown()
        output.endProgress()
        let received = inbox.received
        if let count, !complete {
            throw ToolFailure(description: "received \(received) of \(count) messages within \(seconds(timeout))")
        }
        if !connection.json {
            output.line("received \(received) messages from \(connection.topic) in \(seconds(ContinuousClock.now - start))")
        }
    }
}

/// Counts and prints what the consumer's listener is given; signals when the
/// limit is reached. Messages past the limit are refused (reconsumeLater).
final class Inbox: Sendable {
    private let limit: Int?
    private let output: Output
    private let json: Bool
    private let count = Mutex(0)
    private let done: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init(limit: Int?, output: Output, json: Bool) {
        self.limit = limit
        self.output = output
        self.json = json
        (done, signal) = AsyncStream<Void>.makeStream()
    }

    var received: Int { count.withLock { $0 } }

    func take(_ messages: [StoredMessage]) -> ConsumeResult {
        let accepted = count.withLock { n -> Bool in
            if let limit, n + messages.count > limit { return false }
            n += messages.count
            return true
        }
        guard accepted else { return .reconsumeLater }
        for m in messages {
            output.line(json ? MessageRecord(received: m).jsonLine : Self.summary(m))
        }
        let n = received
        output.progress("received", n, of: limit)
        if let limit, n >= limit { signal.finish() }
        return .success
    }

    /// Waits until the limit is reached (true) or `timeout` passes (false).
    func wait(timeout: Duration) async -> Bool {
        let done = self.done
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in done {}
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    static func summary(_ m: StoredMessage) -> String {
        var parts = ["queue \(m.queueId) offset \(m.queueOffset)", "\(m.body.count) B"]
        if let tags = m.tags { parts.append("tags \(tags)") }
        if !m.keys.isEmpty { parts.append("keys \(m.keys.joined(separator: " "))") }
        parts.append("msgId \(m.uniqueKey ?? m.offsetMessageId)")
        return parts.joined(separator: ", ")
    }
}
