import Client
import Foundation
import NIOCore

/// The open-loop pacer of `mqclient perf produce --rate`, run on the event loop
/// that also carries the producer's connection: message i is due at
/// start + i / rate, is handed to the socket on the thread that will write it,
/// and its answer is read there too. One thread instead of a pacer thread
/// waking the event loop for every message: at 20,000 msg/s that hand-off was
/// a futex or eventfd wake-up and a context switch per message on a 2-vCPU host
/// (about a third of the client's CPU). Late ticks catch up at once, so the
/// schedule is kept and lateness shows in the latency measured from it.
final class LoopPacer: @unchecked Sendable {
    // @unchecked: the mutable state is touched only on `loop` (every entry point hops there).
    private let loop: any EventLoop
    private let producer: Producer
    private let message: Message
    private let recorder: PerfRecorder
    private let interval: Double
    private let limit: Int
    private let end: UInt64
    private let done: EventLoopPromise<Void>
    private let start: UInt64
    private var next = 0

    /// Re-check after this long when the producer's window is full (ns).
    static let fullWindowRetryNanos: Int64 = 20_000

    /// Message i is due at `start` + i / `rate` (monotonic ns, ``nowNanos()``); none at or after `end`.
    init(loop: any EventLoop, producer: Producer, message: Message, recorder: PerfRecorder, rate: Double, limit: Int,
         start: UInt64, end: UInt64) {
        self.loop = loop
        self.producer = producer
        self.message = message
        self.recorder = recorder
        interval = 1e9 / rate
        self.limit = limit
        self.start = start
        self.end = end
        done = loop.makePromise()
    }

    /// Paces until `end` or `limit` messages; returns once the last one is handed over.
    func run() async throws {
        loop.execute { [self] in
            // Ends timed sleeps within ~1 µs rather than the default 50 µs.
            setTimerSlack(nanoseconds: 1000)
            tick()
        }
        try await done.futureResult.get()
    }

    private func tick() {
        while next < limit {
            let due = start + UInt64(Double(next) * interval)
            if due >= end { break }
            let now = nowNanos()
            if due > now {
                return wake(in: Int64(due - now))
            }
            let recorder = self.recorder
            let accepted: Bool
            do {
                accepted = try producer.sendAsyncNow(message) { recorder.record($0, sentAt: now, scheduledAt: due) }
            } catch {
                return done.fail(error)
            }
            // A full window: this message stays due and waits for answers.
            guard accepted else { return wake(in: Self.fullWindowRetryNanos) }
            next += 1
        }
        done.succeed(())
    }

    private func wake(in nanos: Int64) {
        loop.scheduleTask(in: .nanoseconds(nanos)) { [self] in tick() }
    }
}

/// Sets the calling thread's timer slack (how late the kernel may end a sleep; 50 µs by default).
func setTimerSlack(nanoseconds: Int) {
    let fd = open("/proc/thread-self/timerslack_ns", O_WRONLY)
    guard fd >= 0 else { return }
    let text = Array("\(nanoseconds)".utf8)
    _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}
