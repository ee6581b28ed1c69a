import ArgumentParser
import Client
import Foundation
import Metrics
import NIOPosix
import Synchronization
import ToolSupport

/// `mqclient perf produce`: acknowledged sends as fast as a window allows
/// (closed loop), as batches, or paced at a fixed rate (open loop) with
/// latency percentiles.
struct PerfProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send as fast as the window allows, or at a fixed rate, and report msg/s and latency.",
        discussion: """
            Without --batch or --rate: Producer.sendAsync with at most --window sends awaiting \
            their answer. --batch B: SEND_BATCH_MESSAGE of B messages, --window/B batches in \
            flight. --rate R: sends paced at R messages/s (open loop) on the connection's own \
            event loop, at most --window in flight; latency is also \
            reported from each message's scheduled time. One sync send first (route, \
            connection) is not counted. Stops after --duration or --count, whichever comes first. \
            Every --interval a line on stderr gives that interval's msg/s, latency percentiles and \
            the host's steal time; --json keeps them as "intervals".
            """)

    @OptionGroup var perf: PerfOptions

    @Option(name: .customShort("g"), help: ArgumentHelp("Producer group.", valueName: "group"))
    var group = "mqclient_perf_producer"

    @Option(help: "Body size (bytes, or with K/M).", transform: TextValues.bytes)
    var size = 1024

    @Option(help: "Messages in flight at most.")
    var window = 1024

    @Option(help: "Messages per SEND_BATCH_MESSAGE (1 = single sends).")
    var batch = 1

    @Option(help: "Messages per second (open loop); none = as fast as the window allows.")
    var rate: Double?

    @Option(help: "How long to send (e.g. 20s).", transform: TextValues.duration)
    var duration: Duration = .seconds(10)

    @Option(help: "Stop after this many messages.")
    var count: Int?

    @Option(help: "A progress line every this long (0s: none).", transform: TextValues.duration)
    var interval: Duration = .seconds(10)

    func validate() throws {
        guard (1...4 * 1024 * 1024).contains(size) else { throw ValidationError("--size must be 1 B ... 4 MiB") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard batch <= window else { throw ValidationError("--batch must not exceed --window") }
        if let rate {
            guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be positive") }
            guard batch == 1 else { throw ValidationError("--rate paces single sends; leave out --batch") }
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        guard interval >= .zero else { throw ValidationError("--interval must not be negative") }
    }

    func run() async throws {
        var options = ClientOptions(nameServerList: perf.namesrvAddr)
        options.requestTimeout = .seconds(10)
        // --rate paces on the connection's own event loop (LoopPacer).
        let paceLoop = rate == nil ? nil : MultiThreadedEventLoopGroup(numberOfThreads: 1)
        options.eventLoopGroup = paceLoop
        var config = Producer.Configuration(group: group, options: options)
        config.maxInFlightAsync = window
        config.sendTimeout = .seconds(10)
        // Bodies are sent as they are: compression would measure zlib, not the broker.
        config.compressThreshold = Int.max
        let producer = Producer(configuration: config, logger: makeLogger("peakmq.mqclient", level: .error))
        var random = SystemRandomNumberGenerator()
        let body = (0..<size).map { _ in UInt8.random(in: 1...255, using: &random) }
        let message = Message(topic: perf.topic, body: body)
        let recorder = PerfRecorder()
        let cpuBefore: Double
        let start: UInt64
        let progress: PerfProgress
        do {
            try await producer.start()
            _ = try await producer.send(message)
            cpuBefore = processCPUSeconds()
            start = nowNanos()
            progress = PerfProgress(recorder: recorder, start: start, every: interval)
            progress.begin()
            let limit = count ?? Int.max
            let end = start + UInt64(duration.components.seconds) * 1_000_000_000
                + UInt64(duration.components.attoseconds / 1_000_000_000)
            if let rate, let loop = paceLoop {
                try await LoopPacer(loop: loop.next(), producer: producer, message: message, recorder: recorder, rate: rate,
                                    limit: limit, start: start, end: end).run()
            } else if batch > 1 {
                await batches(producer, message, recorder, limit: limit, end: end)
            } else {
                try await windowed(producer, message, recorder, limit: limit, end: end)
            }
        } catch {
            await producer.shutdown()
            try? await paceLoop?.shutdownGracefully()
            throw error
        }
        await producer.shutdown()  // waits for every async send's answer
        try? await paceLoop?.shutdownGracefully()
        let cpu = processCPUSeconds() - cpuBefore
        let s = recorder.snapshot
        let intervals = await progress.finish(at: max(s.lastAnswer, start + 1))
        let seconds = Double(max(s.lastAnswer, start + 1) - start) / 1e9
        let result = PerfResult(
            kind: "produce", mode: rate != nil ? "rate" : batch > 1 ? "batch" : "window", topic: perf.topic,
            bodySize: size, window: rate == nil ? window : nil, batch: batch > 1 ? batch : nil, targetRate: rate,
            pullBatch: nil, messages: s.acked, failed: s.failed, seconds: seconds,
            messagesPerSecond: Double(s.acked) / seconds, megabytesPerSecond: Double(s.acked * size) / seconds / 1e6,
            latencyMs: s.latency.summary, scheduledLatencyMs: rate != nil ? s.scheduled.summary : nil,
            clientCPUSeconds: cpu, errors: s.errors, intervals: intervals)
        print(perf.json ? result.jsonText : result.text)
        if s.acked == 0 { throw ToolFailure(description: "no send was acknowledged") }
    }

    /// Closed loop: a new send as soon as the window has room.
    private func windowed(_ producer: Producer, _ message: Message, _ recorder: PerfRecorder, limit: Int, end: UInt64)
        async throws
    {
        var sent = 0
        while sent < limit {
            let t0 = nowNanos()
            if t0 >= end { break }
            try await producer.sendAsync(message) { recorder.record($0, sentAt: t0) }
            sent += 1
        }
    }

    /// Closed loop of batch sends: window / batch senders, each waiting for its answer.
    private func batches(_ producer: Producer, _ message: Message, _ recorder: PerfRecorder, limit: Int, end: UInt64) async {
        let senders = max(1, window / batch)
        let messages = [Message](repeating: message, count: batch)
        let batchLimit = limit == Int.max ? Int.max : (limit + batch - 1) / batch
        let issued = ManagedCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<senders {
                group.addTask {
                    while issued.next() < batchLimit {
                        let t0 = nowNanos()
                        if t0 >= end { return }
                        do throws(ClientError) {
                            _ = try await producer.send(batch: messages)
                            recorder.record(messages: messages.count, sentAt: t0)
                        } catch {
                            recorder.record(messages: messages.count, sentAt: t0, error: error)
                        }
                    }
                }
            }
        }
    }
}

/// A shared ticket counter (the batch senders' message budget).
final class ManagedCounter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { v in defer { v += 1 }; return v } }
}
