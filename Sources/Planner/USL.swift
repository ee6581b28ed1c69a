import Foundation

/// Gunther's Universal Scalability Law: X(N) = λN / (1 + σ(N−1) + κN(N−1)).
///
/// σ is contention (the serial share: a put lock, one disk), κ coherency
/// (crosstalk that makes throughput fall past a peak), λ the throughput of one
/// unit of concurrency. For an open-loop broker test N is the mean concurrency
/// from Little's law, N = X · R.
public struct USLModel: Sendable, Codable, Equatable {
    public var sigma: Double
    public var kappa: Double
    public var lambda: Double

    public init(sigma: Double, kappa: Double, lambda: Double) {
        self.sigma = sigma; self.kappa = kappa; self.lambda = lambda
    }

    public func throughput(_ n: Double) -> Double {
        lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))
    }

    /// N* = √((1 − σ)/κ), where throughput peaks; nil when κ = 0 (no retrograde region).
    public var peakConcurrency: Double? {
        kappa > 0 && sigma < 1 ? ((1 - sigma) / kappa).squareRoot() : nil
    }

    /// X(N*), or the asymptote λ/σ when κ = 0; nil when neither exists (linear scaling).
    public var peakThroughput: Double? {
        if let n = peakConcurrency { return throughput(n) }
        return sigma > 0 ? lambda / sigma : nil
    }
}

/// One measured point for the fit.
public struct USLPoint: Sendable, Codable, Equatable {
    /// Concurrency (load) N.
    public var concurrency: Double
    /// Throughput X at that concurrency.
    public var throughput: Double

    public init(concurrency: Double, throughput: Double) {
        self.concurrency = concurrency; self.throughput = throughput
    }
}

/// A fitted model with its error.
public struct USLFit: Sendable, Codable, Equatable {
    public var model: USLModel
    /// 1 − SSE/SST over the throughputs.
    public var rSquared: Double
    /// Root-mean-square throughput error.
    public var rmse: Double
    public var points: [USLPoint]
    /// `predicted peak` shortcuts for reports.
    public var peakConcurrency: Double?
    public var peakThroughput: Double?
    /// Caveats: too few points, the peak far beyond the data.
    public var warnings: [String]
}

public enum USLFitError: Error, CustomStringConvertible, Equatable {
    case tooFewPoints(Int)
    case degenerate(String)

    public var description: String {
        switch self {
        case .tooFewPoints(let n): "the USL needs at least 4 points with distinct concurrency (have \(n))"
        case .degenerate(let why): "the USL fit failed: \(why)"
        }
    }
}

/// Fits the USL by nonlinear least squares on throughput.
///
/// Start: usl4j's linearisation (λ from the lowest-N point, then
/// y = N·λ/X − 1 against x = N − 1 as a quadratic: κ = c₂, σ = c₁ − c₂). Then
/// Levenberg–Marquardt on (σ, κ, λ) minimising Σ(X − X̂)², with σ kept in [0, 1]
/// and κ ≥ 0, from that start and from two generic ones; the lowest error wins.
public enum USLFitter {
    public static func fit(_ points: [USLPoint]) throws -> USLFit {
        let pts = points.filter { $0.concurrency > 0 && $0.throughput > 0 && $0.concurrency.isFinite && $0.throughput.isFinite }
            .sorted { $0.concurrency < $1.concurrency }
        let distinct = Set(pts.map(\.concurrency)).count
        guard distinct >= 4 else { throw USLFitError.tooFewPoints(distinct) }
        let lambda0 = pts.map { $0.throughput / $0.concurrency }.max()!
        var starts = [USLModel(sigma: 0.05, kappa: 1e-4, lambda: lambda0), USLModel(sigma: 0.3, kappa: 0, lambda: lambda0)]
        if let linear = linearised(pts) { starts.insert(linear, at: 0) }
        let fitted = starts.map { refine($0, pts) }
        guard let best = fitted.min(by: { sse($0, pts) < sse($1, pts) }), best.lambda.isFinite, best.lambda > 0 else {
            throw USLFitError.degenerate("no finite solution")
        }
        let error = sse(best, pts)
        let mean = pts.map(\.throughput).reduce(0, +) / Double(pts.count)
        let sst = pts.map { ($0.throughput - mean) * ($0.throughput - mean) }.reduce(0, +)
        var warnings: [String] = []
        if pts.count < 6 { warnings.append("only \(pts.count) points; usl4j asks for at least 6") }
        let maxN = pts.last!.concurrency
        if let n = best.peakConcurrency, n > 4 * maxN {
            warnings.append("the predicted peak (N = \(Int(n))) is far beyond the largest measured concurrency (\(String(format: "%.1f", maxN)))")
        }
        return USLFit(model: best, rSquared: sst > 0 ? 1 - error / sst : 1, rmse: (error / Double(pts.count)).squareRoot(),
                      points: pts, peakConcurrency: best.peakConcurrency, peakThroughput: best.peakThroughput,
                      warnings: warnings)
    }

    /// usl4j's closed-form start; nil if the quadratic cannot be solved.
    static func linearised(_ pts: [USLPoint]) -> USLModel? {
        let first = pts[0]
        let lambda = first.throughput / first.concurrency
        let rows = pts.map { p -> [Double] in let x = p.concurrency - 1; return [1, x, x * x] }
        let ys = pts.map { $0.concurrency * lambda / $0.throughput - 1 }
        guard let c = LinearSolve.leastSquares(rows: rows, ys) else { return nil }
        return clamp(USLModel(sigma: abs(c[1] - c[2]), kappa: abs(c[2]), lambda: lambda))
    }

    static func sse(_ m: USLModel, _ pts: [USLPoint]) -> Double {
        pts.map { let r = $0.throughput - m.throughput($0.concurrency); return r * r }.reduce(0, +)
    }

    private static func clamp(_ m: USLModel) -> USLModel {
        USLModel(sigma: min(1, max(0, m.sigma)), kappa: max(0, m.kappa), lambda: max(1e-12, m.lambda))
    }

    /// Levenberg–Marquardt with Marquardt's diagonal scaling (σ, κ and λ differ by
    /// orders of magnitude) and projection onto the feasible region after each step.
    static func refine(_ start: USLModel, _ pts: [USLPoint]) -> USLModel {
        var m = clamp(start), mu = 1e-3
        var error = sse(m, pts)
        for _ in 0..<500 {
            var jtj = [[Double]](repeating: [0, 0, 0], count: 3), jtr = [0.0, 0, 0]
            for p in pts {
                let n = p.concurrency
                let d = 1 + m.sigma * (n - 1) + m.kappa * n * (n - 1)
                let x = m.lambda * n / d
                let j = [-m.lambda * n * (n - 1) / (d * d), -m.lambda * n * n * (n - 1) / (d * d), n / d]
                let r = p.throughput - x
                for a in 0..<3 {
                    jtr[a] += j[a] * r
                    for b in 0..<3 { jtj[a][b] += j[a] * j[b] }
                }
            }
            var improved = false
            while mu < 1e12 {
                var a = jtj
                for k in 0..<3 { a[k][k] += mu * max(jtj[k][k], 1e-300) }
                guard let step = LinearSolve.solve(a, jtr) else { mu *= 10; continue }
                let candidate = clamp(USLModel(sigma: m.sigma + step[0], kappa: m.kappa + step[1], lambda: m.lambda + step[2]))
                let e = sse(candidate, pts)
                if e < error {
                    let relative = (error - e) / max(error, 1e-300)
                    m = candidate; error = e; mu = max(mu / 10, 1e-12); improved = true
                    if relative < 1e-12 { return m }
                    break
                }
                mu *= 10
            }
            if !improved { break }
        }
        return m
    }
}
