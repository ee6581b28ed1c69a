import Foundation
import Logging
import Metrics
import Synchronization

/// Carries out the timeline's actions on the embedded broker and the consumer
/// fleet, and notes each one (and each broker restart) in the run's fault timeline.
final class FaultExecutor: Sendable {
    let cluster: EmbeddedCluster?
    let consumers: ConsumerFleet
    let recorder: RunRecorder
    /// Called with the new broker PID after a restart (the sampler follows it).
    let brokerRestarted: @Sendable (Int32) -> Void
    let logger: Logger
    private let restarts = Mutex<[Task<Void, Never>]>([])

    init(cluster: EmbeddedCluster?, consumers: ConsumerFleet, recorder: RunRecorder, logger: Logger,
         brokerRestarted: @escaping @Sendable (Int32) -> Void) {
        self.cluster = cluster
        self.consumers = consumers
        self.recorder = recorder
        self.logger = logger
        self.brokerRestarted = brokerRestarted
    }

    func execute(_ action: FaultTimeline.Action) {
        switch action {
        case .killBroker(let after): brokerDown(signal: SIGKILL, action: action, restartAfter: after)
        case .stopBroker(let after): brokerDown(signal: SIGTERM, action: action, restartAfter: after)
        case .pauseConsumers(let group):
            consumers.pause(group: group)
            note(FaultEvent(action: action.name, detail: group ?? "all groups", outcome: "pulling suspended"))
        case .resumeConsumers(let group):
            consumers.resume(group: group)
            note(FaultEvent(action: action.name, detail: group ?? "all groups", outcome: "pulling resumed"))
        case .throttleConsumers(let group, let rate):
            consumers.throttle(group: group, rate: rate)
            note(FaultEvent(action: action.name, detail: "\(group ?? "all groups"), \(FaultTimeline.Action.number(rate)) msg/s",
                            outcome: rate > 0 ? "throttled" : "unthrottled"))
        }
    }

    /// Waits for broker restarts still in progress.
    func finish() async {
        for t in restarts.withLock({ $0 }) { await t.value }
    }

    private func brokerDown(signal: Int32, action: FaultTimeline.Action, restartAfter: Double?) {
        guard let cluster else {
            note(FaultEvent(action: action.name, detail: "no embedded broker", outcome: "skipped: the run drives an external cluster",
                            succeeded: false))
            return
        }
        let task = Task { [self] in
            let pid = cluster.brokerPID
            let began = ContinuousClock.now
            await cluster.stopBroker(signal: signal)
            let gone = cluster.brokerPID == nil
            note(FaultEvent(action: action.name, detail: "broker pid \(pid.map(String.init) ?? "?")",
                            outcome: gone ? "stopped after \(Self.seconds(ContinuousClock.now - began))" : "still running",
                            succeeded: gone))
            guard let restartAfter else { return }
            try? await Task.sleep(for: .milliseconds(Int64(restartAfter * 1000)))
            let restarting = ContinuousClock.now
            do {
                try await cluster.startBroker()
                let newPID = cluster.brokerPID
                if let newPID { brokerRestarted(newPID) }
                note(FaultEvent(action: "restart-broker", detail: "broker pid \(newPID.map(String.init) ?? "?")",
                                outcome: "answered after \(Self.seconds(ContinuousClock.now - restarting))"))
            } catch {
                note(FaultEvent(action: "restart-broker", detail: "same store and port", outcome: "failed: \(error)", succeeded: false))
            }
        }
        restarts.withLock { $0.append(task) }
    }

    private func note(_ event: FaultEvent) {
        logger.notice("fault: \(event.action) \(event.detail): \(event.outcome)")
        recorder.noteFault(event)
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return String(format: "%.2f s", s)
    }
}
