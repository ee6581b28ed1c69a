import Profiles

/// Everything a run does at given times besides sending: the profile's faults
/// and each consumer group's pauses, as one ordered list of actions (seconds
/// after load starts, warm-up included). Handed out as time passes by `take`.
public struct FaultTimeline: Sendable, Equatable {
    public enum Action: Sendable, Equatable, CustomStringConvertible {
        case killBroker(restartAfter: Double?)
        case stopBroker(restartAfter: Double?)
        case pauseConsumers(group: String?)
        case resumeConsumers(group: String?)
        case throttleConsumers(group: String?, rate: Double)

        /// The profile's name for the action.
        public var name: String {
            switch self {
            case .killBroker: "kill-broker"
            case .stopBroker: "stop-broker"
            case .pauseConsumers: "pause-consumers"
            case .resumeConsumers: "resume-consumers"
            case .throttleConsumers: "throttle-consumers"
            }
        }

        public var description: String {
            switch self {
            case .killBroker(let r), .stopBroker(let r): name + (r.map { " (restart after \(Self.number($0))s)" } ?? "")
            case .pauseConsumers(let g), .resumeConsumers(let g): name + " " + (g ?? "all groups")
            case .throttleConsumers(let g, let rate): "\(name) \(g ?? "all groups") to \(Self.number(rate)) msg/s"
            }
        }

        /// Whether the action needs a broker this process started.
        public var needsEmbeddedBroker: Bool {
            switch self {
            case .killBroker, .stopBroker: true
            default: false
            }
        }

        static func number(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? "\(Int(v))" : "\(v)"
        }
    }

    public struct Entry: Sendable, Equatable {
        public var at: Double
        public var action: Action
    }

    /// Entries not yet taken, in time order (ties keep profile order).
    public private(set) var pending: [Entry]

    public init(profile: Profile) {
        var entries: [Entry] = []
        for f in profile.faults {
            let action: Action
            switch f.action {
            case .killBroker: action = .killBroker(restartAfter: f.restartAfter)
            case .stopBroker: action = .stopBroker(restartAfter: f.restartAfter)
            case .pauseConsumers: action = .pauseConsumers(group: f.group)
            case .resumeConsumers: action = .resumeConsumers(group: f.group)
            case .throttleConsumers: action = .throttleConsumers(group: f.group, rate: f.rate ?? 0)
            }
            entries.append(Entry(at: f.at, action: action))
        }
        for g in profile.consumers {
            for p in g.pauses {
                entries.append(Entry(at: p.at, action: .pauseConsumers(group: g.name)))
                entries.append(Entry(at: p.at + p.seconds, action: .resumeConsumers(group: g.name)))
            }
        }
        pending = entries.enumerated().sorted { a, b in
            a.element.at != b.element.at ? a.element.at < b.element.at : a.offset < b.offset
        }.map(\.element)
    }

    /// Removes and returns the entries due by `t` seconds.
    public mutating func take(upTo t: Double) -> [Entry] {
        let n = pending.prefix { $0.at <= t }.count
        defer { pending.removeFirst(n) }
        return Array(pending.prefix(n))
    }

    /// Drops entries at or after `t` (the run is shorter than the profile) and returns them.
    public mutating func dropAfter(_ t: Double) -> [Entry] {
        let late = pending.filter { $0.at >= t }
        pending.removeAll { $0.at >= t }
        return late
    }
}
