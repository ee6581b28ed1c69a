import Foundation
import Metrics
import Profiles
import Synchronization

// TEMPORARY: stands in for Metrics' RunRecorder and FaultEvent (branch `metrics`)
// with the same calls, until that branch is merged; then this file is deleted.

public final class RunRecorder: LoadObserver, Sendable {
    private let faultList = Mutex<[FaultEvent]>([])
    public init(profile: Profile, startWallNanos: UInt64 = BenchClock.wallNanos(),
                startMonotonicNanos: UInt64 = BenchClock.monotonicNanos()) {}
    public func sendCompleted(_ send: SendRecord) {}
    public func received(_ message: ReceiveRecord) {}
    public func beginMeasurement(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) {}
    public func endMeasurement(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) {}
    public func closeInterval(wallNanos: UInt64 = BenchClock.wallNanos(), monotonicNanos: UInt64 = BenchClock.monotonicNanos()) {}
    public func noteFault(_ event: FaultEvent) { faultList.withLock { $0.append(event) } }
    public var faults: [FaultEvent] { faultList.withLock { $0 } }
}

public struct FaultEvent: Codable, Sendable, Equatable {
    public var wallTime: Double
    public var action: String
    public var detail: String
    public var outcome: String
    public var succeeded: Bool
    public init(action: String, detail: String, outcome: String = "done", succeeded: Bool = true,
                wallTime: Double = Double(BenchClock.wallNanos()) / 1e9) {
        self.wallTime = wallTime
        self.action = action
        self.detail = detail
        self.outcome = outcome
        self.succeeded = succeeded
    }
}
