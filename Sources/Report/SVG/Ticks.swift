import Foundation

/// Tick positions for an axis, and the axis ends widened to the outer ticks.
struct Ticks: Equatable {
    var values: [Double]
    var lower: Double
    var upper: Double
    var step: Double

    /// "Nice" ticks (1, 2, 2.5, 5 × 10ⁿ) covering `[min, max]` with about `target` intervals
    /// (Heckbert's loose labelling).
    static func linear(_ min: Double, _ max: Double, target: Int = 5) -> Ticks {
        var (lo, hi) = (min, max)
        if !(hi > lo) {
            // A flat series still needs a visible range around its value.
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - (lo == 0 ? 0 : pad), hi + pad)
        }
        let step = niceStep((hi - lo) / Double(target))
        return covering(lo, hi, step: step)
    }

    /// Ticks for seconds: whole seconds, then 5/10/15/30 s, minutes, 5/10/15/30 min, hours.
    static func time(_ min: Double, _ max: Double, target: Int = 6) -> Ticks {
        let span = Swift.max(max - min, 1)
        let raw = span / Double(target)
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400]
        let step = steps.first { $0 >= raw } ?? niceStep(raw / 86400) * 86400
        return covering(min, Swift.max(max, min + 1), step: step)
    }

    /// 0, 90, 99, 99.9 … up to the first "nines" at or beyond `maxPosition` on the percentile map.
    static func percentile(maxPosition: Double) -> Ticks {
        let nines = Swift.max(2, Int(ceil(maxPosition - 1e-9)))
        let values = (0...nines).map(Double.init)
        return Ticks(values: values, lower: 0, upper: Double(nines), step: 1)
    }

    private static func covering(_ lo: Double, _ hi: Double, step: Double) -> Ticks {
        let first = floor(lo / step + 1e-9) * step
        let last = ceil(hi / step - 1e-9) * step
        let count = Int(((last - first) / step).rounded())
        // Round to a few digits below the step so 3 × 0.2 is 0.6, not 0.6000000000000001.
        let scale = pow(10, Swift.max(0, 2 - floor(log10(step))))
        let values = (0...Swift.max(count, 1)).map { ((first + Double($0) * step) * scale).rounded() / scale }
        return Ticks(values: values, lower: first, upper: values.last!, step: step)
    }

    /// The nice number (1, 2, 2.5, 5 × 10ⁿ) at or just above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let exponent = floor(log10(raw))
        let base = pow(10, exponent)
        let fraction = raw / base
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * base
    }
}

/// HdrHistogram's percentile axis: p % ↦ log10(1 / (1 − p/100)), so 90 % → 1,
/// 99 % → 2, 99.9 % → 3. The maximum (100 %) would be infinite and is drawn at
/// one step past 99.9999 %.
enum PercentileMap {
    static let cap = 7.0

    static func position(_ percent: Double) -> Double {
        let remaining = 1 - percent / 100
        guard remaining > pow(10, -cap) else { return cap }
        return Swift.max(0, -log10(remaining))
    }

    /// The tick label for position `k`: 0 → "0%", 1 → "90%", 3 → "99.9%".
    static func label(_ k: Double) -> String {
        let n = Int(k.rounded())
        if n == 0 { return "0%" }
        if n == 1 { return "90%" }
        return "99" + (n > 2 ? "." + String(repeating: "9", count: n - 2) : "") + "%"
    }
}
