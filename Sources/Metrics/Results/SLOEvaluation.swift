import Profiles

/// One threshold of the profile's `slo`, judged against the run (like a k6 threshold).
public struct SLOOutcome: Codable, Sendable, Equatable {
    /// The profile key: `sendP99`, `sendP999`, `endToEndP99`, `maxErrorRate`, `maxBacklog`, `maxLost`.
    public var name: String
    /// What was compared, in words.
    public var title: String
    public var limit: Double
    public var actual: Double
    /// `ms`, `ratio` or `messages`.
    public var unit: String
    /// actual ≤ limit, and there was something to measure.
    public var passed: Bool
    /// Why the outcome is not a plain comparison (no samples).
    public var note: String?

    public init(name: String, title: String, limit: Double, actual: Double, unit: String, passed: Bool, note: String? = nil) {
        self.name = name; self.title = title; self.limit = limit; self.actual = actual
        self.unit = unit; self.passed = passed; self.note = note
    }
}

/// Every threshold's outcome; the run passes when all pass.
public struct SLOReport: Codable, Sendable, Equatable {
    public var outcomes: [SLOOutcome]
    public var passed: Bool

    public init(outcomes: [SLOOutcome]) {
        self.outcomes = outcomes
        passed = outcomes.allSatisfy(\.passed)
    }
}

/// Judges a profile's SLO against final statistics.
public enum SLOEvaluator {
    /// The figures the thresholds compare.
    public struct Inputs: Sendable {
        public var sendLatency: LatencySummary
        public var endToEnd: LatencySummary
        public var errorRate: Double
        /// Largest total backlog of a measured interval; nil without measured intervals.
        public var maxBacklog: Int?
        /// Lost messages; nil when verification was off.
        public var lost: Int?

        public init(sendLatency: LatencySummary, endToEnd: LatencySummary, errorRate: Double, maxBacklog: Int?, lost: Int?) {
            self.sendLatency = sendLatency; self.endToEnd = endToEnd; self.errorRate = errorRate
            self.maxBacklog = maxBacklog; self.lost = lost
        }
    }

    /// One outcome per threshold the profile sets, plus `maxLost` whenever
    /// verification ran (the profile's `maxLost` defaults to 0). A latency threshold
    /// with no samples to judge fails: a gate must not pass on missing data.
    public static func evaluate(_ slo: Profile.SLO, _ inputs: Inputs) -> SLOReport {
        var outcomes: [SLOOutcome] = []
        func latency(_ name: String, _ title: String, _ limit: Double?, _ summary: LatencySummary, _ value: Double, _ what: String) {
            guard let limit else { return }
            if summary.count == 0 {
                outcomes.append(SLOOutcome(name: name, title: title, limit: limit, actual: 0, unit: "ms", passed: false,
                                           note: "no \(what) measured"))
            } else {
                outcomes.append(SLOOutcome(name: name, title: title, limit: limit, actual: value, unit: "ms", passed: value <= limit))
            }
        }
        latency("sendP99", "p99 send latency", slo.sendP99, inputs.sendLatency, inputs.sendLatency.p99, "sends")
        latency("sendP999", "p99.9 send latency", slo.sendP999, inputs.sendLatency, inputs.sendLatency.p999, "sends")
        latency("endToEndP99", "p99 end-to-end latency", slo.endToEndP99, inputs.endToEnd, inputs.endToEnd.p99, "deliveries")
        if let limit = slo.maxErrorRate {
            outcomes.append(SLOOutcome(name: "maxErrorRate", title: "failed sends / all sends", limit: limit,
                                       actual: inputs.errorRate, unit: "ratio", passed: inputs.errorRate <= limit))
        }
        if let limit = slo.maxBacklog {
            if let backlog = inputs.maxBacklog {
                outcomes.append(SLOOutcome(name: "maxBacklog", title: "largest backlog of a measured interval", limit: Double(limit),
                                           actual: Double(backlog), unit: "messages", passed: backlog <= limit))
            } else {
                outcomes.append(SLOOutcome(name: "maxBacklog", title: "largest backlog of a measured interval", limit: Double(limit),
                                           actual: 0, unit: "messages", passed: false, note: "no measured intervals"))
            }
        }
        if let lost = inputs.lost {
            outcomes.append(SLOOutcome(name: "maxLost", title: "messages lost (verification)", limit: Double(slo.maxLost),
                                       actual: Double(lost), unit: "messages", passed: lost <= slo.maxLost))
        }
        return SLOReport(outcomes: outcomes)
    }
}
