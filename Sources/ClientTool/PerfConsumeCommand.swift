import ArgumentParser
import Client
import Foundation
import MessageFormat
import Protocol
import Synchronization
import ToolSupport

/// `mqclient perf consume`: drains the backlog a topic holds when it starts
/// and reports messages per second.
struct PerfConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Drain a topic's backlog and report msg/s.",
        discussion: """
            The backlog is each queue's messages from its min to its max offset at start \
            (or the first --count of them). pull: one PullConsumer pulling every queue at \
            once, --pull-batch messages per pull (the broker answers at most its \
            maxTransferCountOnMessageInMemory / ...BytesOnMessageInMemory per pull). push: a \
            PushConsumer (clustering, from the first offset) with that pullBatchSize, \
            counting in its listener. Messages are decoded as any consumer decodes them.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case pull, push
    }

    @OptionGroup var perf: PerfOptions

    @Option(name: .customShort("g"), help: ArgumentHelp("Consumer group.", valueName: "group"))
    var group = "mqclient_perf_consumer"

    @Option(help: "Consume at most this many messages of the backlog.")
    var count: Int?

    @Option(help: "Messages asked per pull.")
    var pullBatch: Int32 = 32

    @Option(help: "pull or push.")
    var mode: Mode = .pull

    @Option(help: "Give up after (e.g. 60s).", transform: TextValues.duration)
    var timeout: Duration = .seconds(120)

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        guard (1...100_000).contains(pullBatch) else { throw ValidationError("--pull-batch must be 1 ... 100000") }
    }

    func run() async throws {
        let options = ClientOptions(nameServerList: perf.namesrvAddr)
        let probe = PullConsumer(configuration: .init(group: group, options: options),
                                 logger: makeLogger("peakmq.mqclient", level: .error))
        var backlog: [(queue: MessageQueue, from: Int64, to: Int64)] = []
        do {
            try await probe.start()
            for q in try await probe.fetchQueues(topic: perf.topic) {
                backlog.append((q, try await probe.minOffset(q), try await probe.maxOffset(q)))
            }
        } catch {
            await probe.shutdown()
            throw error
        }
        let available = backlog.reduce(0) { $0 + Int($1.to - $1.from) }
        let target = min(count ?? available, available)
        guard target > 0 else {
            await probe.shutdown()
            throw ToolFailure(description: "topic \(perf.topic) holds no messages")
        }
        let tally = ConsumeTally(target: target)
        let cpuBefore = processCPUSeconds()
        let start = nowNanos()
        let finished: Bool
        switch mode {
        case .pull:
            finished = await pullAll(probe, backlog, tally)
            await probe.shutdown()
        case .push:
            await probe.shutdown()
            finished = try await pushAll(options, tally)
        }
        let cpu = processCPUSeconds() - cpuBefore
        let (messages, bytes, last) = tally.totals
        let seconds = Double(max(last, start + 1) - start) / 1e9
        let result = PerfResult(
            kind: "consume", mode: mode.rawValue, topic: perf.topic, bodySize: messages > 0 ? bytes / messages : 0,
            window: nil, batch: nil, targetRate: nil, pullBatch: Int(pullBatch), messages: messages, failed: 0,
            seconds: seconds, messagesPerSecond: Double(messages) / seconds,
            megabytesPerSecond: Double(bytes) / seconds / 1e6, latencyMs: nil, scheduledLatencyMs: nil,
            clientCPUSeconds: cpu, errors: tally.errors)
        print(perf.json ? result.jsonText : result.text)
        if !finished { throw ToolFailure(description: "consumed \(messages) of \(target) messages within \(ClientTool.seconds(timeout))") }
    }

    /// One task per queue, each pulling its backlog in order.
    private func pullAll(_ consumer: PullConsumer, _ backlog: [(queue: MessageQueue, from: Int64, to: Int64)],
                         _ tally: ConsumeTally) async -> Bool {
        let batch = pullBatch
        return await withTaskGroup(of: Void.self) { group in
            for (queue, from, to) in backlog where to > from {
                group.addTask {
                    var offset = from
                    while offset < to && !tally.isDone && !Task.isCancelled {
                        do {
                            let r = try await consumer.pull(queue: queue, offset: offset, maxNums: batch)
                            tally.add(r.messages)
                            if r.status == .noNewMsg || r.nextBeginOffset <= offset { return }
                            offset = r.nextBeginOffset
                        } catch {
                            tally.fail(error)
                            return
                        }
                    }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            while await group.next() != nil {
                if tally.isDone { break }
            }
            group.cancelAll()
            return tally.isDone
        }
    }

    private func pushAll(_ options: ClientOptions, _ tally: ConsumeTally) async throws -> Bool {
        var config = PushConsumer.Configuration(group: group, options: options)
        config.startPosition = .first
        config.pullBatchSize = pullBatch
        let consumer = PushConsumer(configuration: config, logger: makeLogger("peakmq.mqclient", level: .error)) { m in
            tally.add(m)
            return .success
        }
        try consumer.subscribe(perf.topic)
        try await consumer.start()
        let deadline = ContinuousClock.now + timeout
        while !tally.isDone && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        await consumer.shutdown()
        return tally.isDone
    }
}

/// Messages and body bytes consumed, and when the target was reached.
final class ConsumeTally: Sendable {
    private struct State {
        var messages = 0
        var bytes = 0
        var last: UInt64 = 0
        var errors: [String: Int] = [:]
    }
    private let state = Mutex(State())
    private let done = Atomic(false)
    let target: Int

    init(target: Int) { self.target = target }

    func add(_ messages: [StoredMessage]) {
        guard !messages.isEmpty else { return }
        let bytes = messages.reduce(0) { $0 + $1.body.count }
        let now = nowNanos()
        let reached = state.withLock { s in
            guard s.messages < target else { return true }
            s.messages += messages.count
            s.bytes += bytes
            s.last = now
            return s.messages >= target
        }
        if reached { done.store(true, ordering: .relaxed) }
    }

    func fail(_ error: any Error) {
        state.withLock { s in
            let key = "\(error)"
            if s.errors[key] != nil || s.errors.count < 8 { s.errors[key, default: 0] += 1 }
        }
    }

    var isDone: Bool { done.load(ordering: .relaxed) }
    var totals: (messages: Int, bytes: Int, last: UInt64) { state.withLock { ($0.messages, $0.bytes, $0.last) } }
    var errors: [String: Int] { state.withLock { $0.errors } }
}
