import Profiles

/// Command-line changes to a parsed profile (`--rate`, `--duration`, `--warmup`).
///
/// `rate` sets the schedule's peak rate and scales every phase by the same
/// factor. `duration` and `warmup` change the measured and warm-up time; the
/// schedule's phases are stretched or compressed in proportion, so a shaped
/// schedule keeps its shape. Faults and pauses keep their times; those that
/// now fall after the end are left out (the caller reports them).
public struct ProfileOverrides: Sendable, Equatable {
    public var rate: Double?
    public var duration: Double?
    public var warmup: Double?

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(rate: Double? = nil, duration: Double? = nil, warmup: Double? = nil) {
        self.rate = rate
        self.duration = duration
        self.warmup = warmup
    }

    /// The profile with the overrides applied; `dropped` lists what fell off the end.
    public func apply(to original: Profile) throws(Invalid) -> (profile: Profile, dropped: [String]) {
        var p = original
        if let rate {
            guard !p.producers.closedLoop else { throw Invalid(description: "--rate cannot be used with a closed-loop profile (\(p.name))") }
            guard rate > 0 else { throw Invalid(description: "--rate must be positive") }
            let peak = RateSchedule(phases: p.producers.schedule).peakRate
            guard peak > 0 else { throw Invalid(description: "the schedule of \(p.name) has no positive rate to scale") }
            let f = rate / peak
            for i in p.producers.schedule.indices {
                switch p.producers.schedule[i].shape {
                case .constant(let r): p.producers.schedule[i].shape = .constant(r * f)
                case .spike(let r): p.producers.schedule[i].shape = .spike(r * f)
                case .ramp(let a, let b): p.producers.schedule[i].shape = .ramp(from: a * f, to: b * f)
                case .steps(let a, let b, let n): p.producers.schedule[i].shape = .steps(from: a * f, to: b * f, count: n)
                }
            }
        }
        if duration != nil || warmup != nil {
            let oldTotal = p.warmup + p.duration
            if let duration {
                guard duration > 0 else { throw Invalid(description: "--duration must be positive") }
                p.duration = duration
            }
            if let warmup {
                guard warmup >= 0 else { throw Invalid(description: "--warmup cannot be negative") }
                p.warmup = warmup
            }
            let newTotal = p.warmup + p.duration
            if !p.producers.closedLoop && oldTotal > 0 {
                let f = newTotal / oldTotal
                for i in p.producers.schedule.indices { p.producers.schedule[i].seconds *= f }
            }
            p.sampleInterval = min(p.sampleInterval, p.duration)
        }
        var dropped: [String] = []
        let end = p.warmup + p.duration
        p.faults = p.faults.filter { f in
            if f.at < end { return true }
            dropped.append("\(f.action.rawValue) at \(f.at)s")
            return false
        }
        for g in p.consumers.indices {
            p.consumers[g].pauses = p.consumers[g].pauses.filter { pause in
                if pause.at < end { return true }
                dropped.append("pause of \(p.consumers[g].name) at \(pause.at)s")
                return false
            }
        }
        return (p, dropped)
    }
}
