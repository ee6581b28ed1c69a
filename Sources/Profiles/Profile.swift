/// A load profile: what `mqbench run` offers a cluster, how long, and what it
/// must achieve (docs/PROFILES.md). Parsed and validated from YAML by
/// `ProfileParser` before anything starts; every field has a stated default.
public struct Profile: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    /// Seconds of load measured (after warm-up).
    public var duration: Double
    /// Seconds of load before measuring starts (stats reset after it).
    public var warmup: Double
    /// Seconds between resource samples and interval statistics.
    public var sampleInterval: Double
    public var topics: Topics
    public var message: MessageSpec
    public var producers: Producers
    public var consumers: [ConsumerGroup]
    public var slo: SLO
    public var broker: BrokerSettings
    public var faults: [Fault]
    /// Each message carries producer id and sequence; consumers report loss, duplicates, reordering.
    public var verification: Bool

    public struct Topics: Codable, Sendable, Equatable {
        public var count: Int
        /// Topic names are `<prefix>-<n>` (or the prefix alone when count is 1).
        public var prefix: String
        public var queuesPerTopic: Int
        public var names: [String] { count == 1 ? [prefix] : (0..<count).map { "\(prefix)-\($0)" } }
    }

    public struct MessageSpec: Codable, Sendable, Equatable {
        /// Body sizes and their weights (one entry = a fixed size).
        public var sizes: [WeightedSize]
        /// Fraction of each payload that is random bytes (the rest repeats), so
        /// compression behaves as on real data.
        public var randomRatio: Double
        /// Tags assigned round-robin (empty = none).
        public var tags: [String]
        /// Give each message a unique key (order id), indexed by the broker.
        public var keys: Bool
        public var meanSize: Double {
            let w = sizes.reduce(0) { $0 + $1.weight }
            return sizes.reduce(0) { $0 + Double($1.bytes) * $1.weight } / w
        }
    }

    public struct WeightedSize: Codable, Sendable, Equatable {
        public var bytes: Int
        public var weight: Double
    }

    public enum SendMode: String, Codable, Sendable, CaseIterable {
        case sync, async, oneway, batch, orderly
    }

    public struct Producers: Codable, Sendable, Equatable {
        public var count: Int
        /// The rate schedule (total msg/s over all producers); empty with `closedLoop`.
        public var schedule: [Phase]
        /// As fast as the window allows, labelled closed-loop in results.
        public var closedLoop: Bool
        public var mode: SendMode
        /// In-flight sends per producer (async and orderly).
        public var window: Int
        /// Messages per batch (batch mode).
        public var batchSize: Int
        /// Distinct ordering keys (orderly mode).
        public var orderKeys: Int
        public var group: String
    }

    /// One stretch of the schedule.
    public struct Phase: Codable, Sendable, Equatable {
        public enum Shape: Codable, Sendable, Equatable {
            case constant(Double)
            /// A short burst, kept apart from `constant` so timelines can mark it.
            case spike(Double)
            case ramp(from: Double, to: Double)
            case steps(from: Double, to: Double, count: Int)
        }
        public var shape: Shape
        public var seconds: Double
        /// Line in the profile, for messages about this phase.
        public var line: Int?

        public init(shape: Shape, seconds: Double, line: Int? = nil) {
            self.shape = shape; self.seconds = seconds; self.line = line
        }

        /// The intended rate `t` seconds into this phase.
        public func rate(at t: Double) -> Double {
            switch shape {
            case .constant(let r), .spike(let r): return r
            case .ramp(let a, let b): return a + (b - a) * min(1, max(0, t / seconds))
            case .steps(let a, let b, let n):
                let step = min(n - 1, Int(t / (seconds / Double(n))))
                return n == 1 ? a : a + (b - a) * Double(step) / Double(n - 1)
            }
        }
        public var peakRate: Double {
            switch shape {
            case .constant(let r), .spike(let r): return r
            case .ramp(let a, let b), .steps(let a, let b, _): return max(a, b)
            }
        }
    }

    public enum ConsumeModel: String, Codable, Sendable, CaseIterable {
        case clustering, broadcasting
    }

    public struct ConsumerGroup: Codable, Sendable, Equatable {
        public var name: String
        public var count: Int
        public var model: ConsumeModel
        public var processing: Processing
        /// Start paused and resume once this many messages are queued (0 = start consuming).
        public var resumeAtBacklog: Int
        public var pauses: [Pause]
    }

    /// Per-message processing time a consumer simulates.
    public enum Processing: Codable, Sendable, Equatable {
        case none
        case fixed(Double)
        case uniform(min: Double, max: Double)
        case exponential(mean: Double)
    }

    public struct Pause: Codable, Sendable, Equatable {
        public var at: Double
        public var seconds: Double
    }

    public struct SLO: Codable, Sendable, Equatable {
        /// Milliseconds; nil = not checked.
        public var sendP99: Double?
        public var sendP999: Double?
        public var endToEndP99: Double?
        /// Fraction of sends that may fail.
        public var maxErrorRate: Double?
        public var maxBacklog: Int?
        /// Lost messages tolerated (verification); 0 unless declared.
        public var maxLost: Int
    }

    public struct BrokerSettings: Codable, Sendable, Equatable {
        public var flushDiskType: String
        public var defaultTopicQueueNums: Int
        /// Other broker.conf keys, passed through to the embedded broker.
        public var extra: [String: String]
    }

    public struct Fault: Codable, Sendable, Equatable {
        public enum Action: String, Codable, Sendable, CaseIterable {
            case killBroker = "kill-broker"
            case stopBroker = "stop-broker"
            case pauseConsumers = "pause-consumers"
            case resumeConsumers = "resume-consumers"
            case throttleConsumers = "throttle-consumers"
        }
        public var at: Double
        public var action: Action
        /// Seconds after a kill/stop before the broker is started again (nil = stays down).
        public var restartAfter: Double?
        /// Consumer group the action applies to (nil = all).
        public var group: String?
        /// Messages per second a throttled group may consume.
        public var rate: Double?
    }

    /// Seconds of scheduled load (the schedule's total).
    public var scheduledSeconds: Double { producers.schedule.reduce(0) { $0 + $1.seconds } }

    /// The intended total rate `t` seconds after load starts (warm-up included).
    public func intendedRate(at t: Double) -> Double {
        var start = 0.0
        for p in producers.schedule {
            if t < start + p.seconds { return p.rate(at: t - start) }
            start += p.seconds
        }
        return producers.schedule.last.map { $0.rate(at: $0.seconds) } ?? 0
    }
}
