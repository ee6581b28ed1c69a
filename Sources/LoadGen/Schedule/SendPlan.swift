/// Which sends one simulated producer makes and when: its share of the total
/// schedule, in units of one send request (a message, or a batch of `batchSize`).
///
/// Producer `p` of `producers` sends the global messages `k = j·producers + p`
/// (j = 0, 1, …), so producers interleave evenly and their counts add up to the
/// schedule's. A batch is due when its last message is due, as a batching
/// client would send it.
public struct SendPlan: Sendable, Equatable {
    /// Global producer index (0 ..< producers), over all agents.
    public let producer: Int
    public let producers: Int
    public let batchSize: Int
    /// nil: closed loop, every send is due at once.
    public let schedule: RateSchedule?

    public init(producer: Int, producers: Int, batchSize: Int = 1, schedule: RateSchedule?) {
        precondition(producers > 0 && (0..<producers).contains(producer) && batchSize > 0, "bad send plan")
        self.producer = producer
        self.producers = producers
        self.batchSize = batchSize
        self.schedule = schedule
    }

    public var isClosedLoop: Bool { schedule == nil }

    /// Messages of this producer due `t` seconds after the start.
    public func messagesDue(at t: Double) -> Int {
        guard let schedule else { return Int.max }
        let x = (schedule.count(at: t) - 0.5 - Double(producer)) / Double(producers)
        return x < 0 ? 0 : Int(x.rounded(.down)) + 1
    }

    /// Send requests due `t` seconds after the start.
    public func unitsDue(at t: Double) -> Int {
        guard let schedule else { return Int.max }
        return messagesDue(at: min(t, schedule.totalSeconds)) / batchSize
    }

    /// Send requests in the whole schedule (Int.max in closed loop).
    public var totalUnits: Int {
        guard let schedule else { return Int.max }
        return unitsDue(at: schedule.totalSeconds)
    }

    /// Seconds after the start at which send `unit` is meant to start (0 in closed loop).
    public func intendedSeconds(ofUnit unit: Int) -> Double {
        guard let schedule else { return 0 }
        let lastMessage = (unit + 1) * batchSize - 1
        let k = Double(lastMessage) * Double(producers) + Double(producer)
        return schedule.time(ofCount: k + 0.5) ?? schedule.totalSeconds
    }

    /// The sequence number of the first message of `unit`.
    public func firstSequence(ofUnit unit: Int) -> UInt64 { UInt64(unit) * UInt64(batchSize) }
}
