import Profiles

/// The intended total send rate over time as pure math: piecewise-linear
/// segments (constant, spike and steps phases are flat, a ramp is a slope), the
/// number of messages due by a time (the integral of the rate) and its inverse,
/// the time a given message is due.
///
/// Open-loop sending follows this plan: message `k` (0-based, over all
/// producers) is due when the integral reaches `k + ½`, so the count due by `t`
/// is the integral rounded to the nearest whole message and never drifts from it.
public struct RateSchedule: Sendable, Equatable {
    struct Segment: Sendable, Equatable {
        var start: Double
        var seconds: Double
        /// Rate at the segment's start and its change per second.
        var rate: Double
        var slope: Double
        /// Messages due before the segment starts.
        var before: Double

        var end: Double { start + seconds }
        func count(after t: Double) -> Double { rate * t + slope * t * t / 2 }
        var total: Double { count(after: seconds) }

        /// Seconds into the segment at which `c` messages of it are due.
        func time(ofCount c: Double) -> Double {
            guard c > 0 else { return 0 }
            if abs(slope) < 1e-12 { return rate > 0 ? c / rate : seconds }
            // Root of slope/2·t² + rate·t − c = 0 in the form that stays exact when
            // the rate starts at zero or the slope is tiny.
            let d = rate * rate + 2 * slope * c
            guard d >= 0 else { return seconds }
            let den = rate + d.squareRoot()
            return den > 0 ? min(seconds, 2 * c / den) : seconds
        }
    }

    let segments: [Segment]

    /// The schedule of `phases` with every rate multiplied by `scale`.
    public init(phases: [Profile.Phase], scale: Double = 1) {
        var segs: [Segment] = []
        var t = 0.0
        var n = 0.0
        func add(_ seconds: Double, _ rate: Double, _ slope: Double) {
            guard seconds > 0 else { return }
            let s = Segment(start: t, seconds: seconds, rate: max(0, rate * scale), slope: slope * scale, before: n)
            segs.append(s)
            t += seconds
            n += s.total
        }
        for p in phases {
            switch p.shape {
            case .constant(let r), .spike(let r): add(p.seconds, r, 0)
            case .ramp(let a, let b): add(p.seconds, a, (b - a) / p.seconds)
            case .steps(let a, let b, let count):
                let each = p.seconds / Double(count)
                for i in 0..<count {
                    add(each, count == 1 ? a : a + (b - a) * Double(i) / Double(count - 1), 0)
                }
            }
        }
        segments = segs
    }

    /// A constant `rate` for `seconds`.
    public init(constant rate: Double, seconds: Double) {
        self.init(segments: seconds > 0 ? [Segment(start: 0, seconds: seconds, rate: max(0, rate), slope: 0, before: 0)] : [])
    }

    /// Seconds the schedule lasts.
    public var totalSeconds: Double { segments.last?.end ?? 0 }

    /// Messages the whole schedule offers.
    public var totalCount: Double { segments.last.map { $0.before + $0.total } ?? 0 }

    /// The intended rate `t` seconds after the start.
    public func rate(at t: Double) -> Double {
        guard let s = segment(at: t) else { return 0 }
        return s.rate + s.slope * min(max(0, t - s.start), s.seconds)
    }

    /// The integral of the rate from 0 to `t`: messages meant to be sent by then.
    public func count(at t: Double) -> Double {
        guard t > 0, let s = segment(at: t) else { return 0 }
        return s.before + s.count(after: min(t - s.start, s.seconds))
    }

    /// The time at which the integral reaches `c` (nil when the schedule ends first).
    public func time(ofCount c: Double) -> Double? {
        guard c <= totalCount else { return nil }
        guard c > 0 else { return 0 }
        // The first segment whose cumulative count reaches c: the earliest time it is due.
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].before + segments[mid].total >= c { hi = mid } else { lo = mid + 1 }
        }
        let s = segments[lo]
        return s.start + s.time(ofCount: c - s.before)
    }

    /// Messages due by `t` over all producers: the integral rounded to whole messages.
    public func due(at t: Double) -> Int { Int((count(at: t) + 0.5).rounded(.down)) }

    /// The same schedule with rates multiplied by `factor`.
    public func scaled(by factor: Double) -> RateSchedule {
        RateSchedule(segments: segments.map { s in
            var s = s
            s.rate *= factor
            s.slope *= factor
            s.before *= factor
            return s
        })
    }

    /// The highest rate anywhere in the schedule.
    public var peakRate: Double {
        segments.map { max($0.rate, $0.rate + $0.slope * $0.seconds) }.max() ?? 0
    }

    private init(segments: [Segment]) { self.segments = segments }

    private func segment(at t: Double) -> Segment? {
        guard !segments.isEmpty else { return nil }
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].start <= t { lo = mid } else { hi = mid - 1 }
        }
        return segments[lo]
    }
}
