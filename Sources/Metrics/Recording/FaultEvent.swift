import Foundation

/// One entry of a run's fault timeline: what was done to the cluster or the
/// consumers, when, and how it went. The runner notes each action as it happens
/// (`RunRecorder.noteFault`); the interval it fell in links it to the series.
public struct FaultEvent: Codable, Sendable, Equatable {
    /// Unix time in seconds.
    public var wallTime: Double
    /// Seconds since the recorder started (the start of load); filled by `noteFault`.
    public var elapsed: Double?
    /// The interval (`IntervalStats.index`) that was open when it happened; filled by `noteFault`.
    public var interval: Int?
    /// `kill-broker`, `stop-broker`, `restart-broker`, `pause-consumers`,
    /// `resume-consumers`, `throttle-consumers` (the profile's actions), or
    /// another word the runner chooses for a step of its own.
    public var action: String
    /// What it was applied to, with parameters (`broker pid 4242`, `group points, 500 msg/s`).
    public var detail: String
    /// What happened (`broker answered after 2.3 s`, `kill failed: no such process`).
    public var outcome: String
    /// False when the action did not do what it should have.
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
