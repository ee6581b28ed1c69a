import Profiles

/// The profiles a sweep runs, derived from the one given: the same topics,
/// messages, producers, consumers, SLOs and broker settings, with the load
/// replaced. Faults and consumer pauses are left out — a sweep measures steady
/// capacity — and listed in `dropped` so the caller can say so.
public enum StepProfiles {
    /// One step: open loop at a constant `rate` for `warmup` + `seconds`.
    public static func step(_ original: Profile, rate: Double, warmup: Double, seconds: Double) -> (profile: Profile, dropped: [String]) {
        var p = original
        p.producers.closedLoop = false
        p.producers.schedule = [Profile.Phase(shape: .constant(rate), seconds: warmup + seconds)]
        return steady(p, warmup: warmup, seconds: seconds)
    }

    /// The closed-loop run that estimates the host's throughput: producers as
    /// fast as their windows allow for `warmup` + `seconds`.
    public static func estimate(_ original: Profile, warmup: Double, seconds: Double) -> (profile: Profile, dropped: [String]) {
        var p = original
        p.producers.closedLoop = true
        p.producers.schedule = []
        return steady(p, warmup: warmup, seconds: seconds)
    }

    private static func steady(_ original: Profile, warmup: Double, seconds: Double) -> (profile: Profile, dropped: [String]) {
        var p = original
        p.warmup = warmup
        p.duration = seconds
        p.sampleInterval = min(p.sampleInterval, seconds)
        var dropped = p.faults.map { "\($0.action.rawValue) at \(Self.seconds($0.at))" }
        p.faults = []
        for g in p.consumers.indices {
            dropped += p.consumers[g].pauses.map { "pause of \(p.consumers[g].name) at \(Self.seconds($0.at))" }
            p.consumers[g].pauses = []
            if p.consumers[g].resumeAtBacklog > 0 {
                dropped.append("\(p.consumers[g].name) waiting for a backlog of \(p.consumers[g].resumeAtBacklog)")
                p.consumers[g].resumeAtBacklog = 0
            }
        }
        return (p, dropped)
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}
