import Client
import Metrics
import Profiles
import Protocol

/// Builds and sends one unit of a simulated producer's plan in the profile's
/// mode, and reports it to the observer with its intended, started and
/// completed times.
struct SendExecutor: Sendable {
    let mode: Profile.SendMode
    let factory: MessageFactory
    let observer: any LoadObserver
    /// `BenchClock.monotonicNanos()` at the schedule's start.
    let startNanos: UInt64

    /// Async mode: hands the send to `Producer.sendAsync`; the completion reports it
    /// and gives the window slot back.
    func sendAsync(_ p: SimulatedProducer, unit: Int) async {
        let seq = p.plan.firstSequence(ofUnit: unit)
        let message = factory.message(producer: p.id, sequence: seq, topic: factory.topic(producer: p.id, unit: unit, firstSequence: seq),
                                      wallNanos: BenchClock.wallNanos())
        let started = BenchClock.monotonicNanos()
        let intended = intendedNanos(p, unit: unit, started: started)
        let bytes = message.body.count
        let observer = observer
        let producer = UInt32(truncatingIfNeeded: p.id)
        do {
            try await p.client.sendAsync(message) { result in
                let outcome: SendOutcome
                switch result {
                case .success(let r): outcome = Self.outcome(r.status)
                case .failure(let e): outcome = Self.outcome(e)
                }
                observer.sendCompleted(SendRecord(producer: producer, firstSequence: seq, count: 1, bytes: bytes, intendedNanos: intended,
                                                  startedNanos: started, completedNanos: BenchClock.monotonicNanos(), outcome: outcome))
                p.finished()
            }
        } catch {
            observer.sendCompleted(SendRecord(producer: producer, firstSequence: seq, count: 1, bytes: bytes, intendedNanos: intended,
                                              startedNanos: started, completedNanos: BenchClock.monotonicNanos(), outcome: Self.outcome(error)))
            p.finished()
        }
    }

    /// Lane modes: sends unit `unit` and waits for its outcome.
    func send(_ p: SimulatedProducer, unit: Int) async {
        let seq = p.plan.firstSequence(ofUnit: unit)
        let topic = factory.topic(producer: p.id, unit: unit, firstSequence: seq)
        let count = mode == .batch ? p.plan.batchSize : 1
        let wall = BenchClock.wallNanos()
        let messages = (0..<count).map { i in
            factory.message(producer: p.id, sequence: seq + UInt64(i), topic: topic, wallNanos: wall)
        }
        let bytes = messages.reduce(0) { $0 + $1.body.count }
        let started = BenchClock.monotonicNanos()
        let intended = intendedNanos(p, unit: unit, started: started)
        let outcome: SendOutcome
        do throws(ClientError) {
            switch mode {
            case .oneway:
                try await p.client.sendOneway(messages[0])
                outcome = .unacknowledged
            case .batch:
                outcome = Self.outcome(try await p.client.send(batch: messages).status)
            case .orderly:
                let key = factory.orderKey(producer: p.id, sequence: seq)
                outcome = Self.outcome(try await p.client.send(messages[0], orderKey: MessageFactory.orderKeyText(key)).status)
            case .sync, .async:
                outcome = Self.outcome(try await p.client.send(messages[0]).status)
            }
        } catch {
            outcome = Self.outcome(error)
        }
        observer.sendCompleted(SendRecord(producer: UInt32(truncatingIfNeeded: p.id), firstSequence: seq, count: count, bytes: bytes,
                                          intendedNanos: intended, startedNanos: started,
                                          completedNanos: BenchClock.monotonicNanos(), outcome: outcome))
    }

    /// Open loop: the plan's time for the unit; closed loop: when it started.
    func intendedNanos(_ p: SimulatedProducer, unit: Int, started: UInt64) -> UInt64 {
        guard !p.plan.isClosedLoop else { return started }
        return startNanos + UInt64((p.plan.intendedSeconds(ofUnit: unit) * 1e9).rounded())
    }

    /// SEND_OK counts as acknowledged; the other statuses mean stored but not
    /// durable as asked, which RocketMQ reports as not OK.
    static func outcome(_ status: SendStatus) -> SendOutcome {
        switch status {
        case .sendOK: .acknowledged
        case .flushDiskTimeout: .failed(code: Int(ResponseCode.flushDiskTimeout.rawValue), reason: status.rawValue)
        case .flushSlaveTimeout: .failed(code: Int(ResponseCode.flushSlaveTimeout.rawValue), reason: status.rawValue)
        case .slaveNotAvailable: .failed(code: Int(ResponseCode.slaveNotAvailable.rawValue), reason: status.rawValue)
        }
    }

    static func outcome(_ error: any Error) -> SendOutcome {
        if case .broker(let code, let remark)? = error as? ClientError {
            return .failed(code: Int(code.rawValue), reason: remark ?? "\(code)")
        }
        return .failed(code: -1, reason: "\(error)")
    }
}
