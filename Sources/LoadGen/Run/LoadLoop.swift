import Foundation
import Logging
import Metrics
import Profiles
import Synchronization

/// The timed part of a run: starts the producers on the schedule, then every
/// few milliseconds runs due timeline actions, resumes groups whose backlog
/// reached `resumeAtBacklog`, ends warm-up, closes intervals and prints
/// progress, until the producers are done; afterwards waits for the consumers
/// to drain.
final class LoadLoop: Sendable {
    let profile: Profile
    let producers: ProducerFleet
    let consumers: ConsumerFleet
    let counters: CountingObserver
    let recorder: RunRecorder
    let executor: FaultExecutor
    let progress: RunProgress
    let stopRequested: @Sendable () -> Bool
    let logger: Logger
    static let step: Duration = .milliseconds(20)

    private struct State {
        var start: UInt64 = 0
        var nextInterval = 0.0
        /// This process's CPU seconds when measuring began and ended (generator cost).
        var cpuAtBegin = 0.0
        var cpuAtEnd = 0.0
    }
    private let state = Mutex(State())

    init(profile: Profile, producers: ProducerFleet, consumers: ConsumerFleet, counters: CountingObserver, recorder: RunRecorder,
         executor: FaultExecutor, progress: RunProgress, stopRequested: @escaping @Sendable () -> Bool, logger: Logger) {
        self.profile = profile
        self.producers = producers
        self.consumers = consumers
        self.counters = counters
        self.recorder = recorder
        self.executor = executor
        self.progress = progress
        self.stopRequested = stopRequested
        self.logger = logger
    }

    private var elapsed: Double {
        let start = state.withLock { $0.start }
        return Double(BenchClock.monotonicNanos() &- start) / 1e9
    }

    /// Runs the load: warm-up, then the measured duration (and the end of the schedule).
    func run() async {
        let total = profile.warmup + profile.duration
        var timeline = FaultTimeline(profile: profile)
        var waitingForBacklog = Set(profile.consumers.filter { $0.resumeAtBacklog > 0 }.map(\.name))
        let start = BenchClock.monotonicNanos()
        state.withLock { $0 = State(start: start, nextInterval: profile.sampleInterval) }
        var measuring = profile.warmup <= 0
        if measuring { beginMeasurement() }
        logger.notice("load started: \(profile.producers.closedLoop ? "closed loop" : "open loop"), warm-up \(profile.warmup) s, measured \(profile.duration) s")
        let done = Atomic<Bool>(false)
        let sending = Task { [producers] in
            await producers.run(startNanos: start)
            done.store(true, ordering: .relaxed)
        }
        var stopping = false
        while !done.load(ordering: .relaxed) {
            let t = elapsed
            for entry in timeline.take(upTo: t) { executor.execute(entry.action) }
            for g in waitingForBacklog {
                guard let spec = profile.consumers.first(where: { $0.name == g }), counters.backlog(g) >= spec.resumeAtBacklog else { continue }
                waitingForBacklog.remove(g)
                executor.execute(.resumeConsumers(group: g))
            }
            if !measuring && t >= profile.warmup {
                closeInterval(t)
                beginMeasurement()
                measuring = true
                logger.notice("warm-up over: measuring")
            }
            if t >= state.withLock({ $0.nextInterval }) { closeInterval(t) }
            // Closed loop has no schedule to end it; an open-loop fleet far behind gets 30 s past the end.
            if !stopping && (stopRequested() || (profile.producers.closedLoop && t >= total) || t >= total + 30) {
                stopping = true
                producers.stop()
            }
            // Wake on time for the next boundary (end of warm-up, interval, fault), at most a step apart.
            var next = min(state.withLock { $0.nextInterval }, timeline.pending.first?.at ?? .infinity)
            if !measuring { next = min(next, profile.warmup) }
            let wait = min(Self.step, .nanoseconds(Int64(max(0, next - elapsed) * 1e9)))
            try? await Task.sleep(for: wait)
        }
        await sending.value
        closeInterval(elapsed)
        recorder.endMeasurement()
        let cpu = GeneratorCost.processCPUSeconds()
        state.withLock { $0.cpuAtEnd = cpu }
        let late = timeline.pending.count
        if late > 0 { logger.warning("\(late) timeline actions were not reached before producers stopped") }
    }

    /// Waits until every group received what was sent to it, nothing arrived for
    /// `quiet` seconds, `timeout` passed, or a stop was requested. True when drained.
    func drain(timeout: Double, quiet: Double) async -> Bool {
        let began = elapsed
        var lastReceived = counters.receivedTotal
        var lastChange = began
        if !counters.drained { logger.notice("producers stopped; waiting for consumers to drain (backlog \(counters.maxBacklog))") }
        while !counters.drained {
            let t = elapsed
            let received = counters.receivedTotal
            if received != lastReceived {
                lastReceived = received
                lastChange = t
            }
            if stopRequested() || t - began >= timeout || t - lastChange >= quiet { break }
            if t >= state.withLock({ $0.nextInterval }) { closeInterval(t) }
            try? await Task.sleep(for: Self.step)
        }
        let took = String(format: "%.1f", elapsed - began)
        if counters.drained {
            logger.notice("consumers drained \(took) s after producers stopped")
        } else {
            logger.warning("consumers stopped draining after \(took) s with a backlog of \(counters.maxBacklog)")
        }
        return counters.drained
    }

    /// CPU seconds this process used over the measured window.
    var measuredCPUSeconds: Double { state.withLock { max(0, $0.cpuAtEnd - $0.cpuAtBegin) } }

    private func beginMeasurement() {
        recorder.beginMeasurement()
        let cpu = GeneratorCost.processCPUSeconds()
        state.withLock { $0.cpuAtBegin = cpu }
    }

    private func closeInterval(_ t: Double) {
        let stats = recorder.closeInterval()
        state.withLock { s in
            while s.nextInterval <= t { s.nextInterval += profile.sampleInterval }
        }
        progress.interval(stats, elapsed: t)
    }
}
