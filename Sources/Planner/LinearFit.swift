/// y = intercept + slope · x by ordinary least squares, with the fit's quality.
/// Used for per-message resource costs: the slope is the cost of one message, the
/// intercept the cost of an idle broker.
public struct LinearFit: Sendable, Codable, Equatable {
    public var intercept: Double
    public var slope: Double
    /// Coefficient of determination (1 = every point on the line); 1 when y does not vary.
    public var rSquared: Double
    /// Root-mean-square residual, in y's unit.
    public var rmse: Double
    public var points: Int
    /// The x range the fit was made over (predictions outside it are extrapolations).
    public var xMin: Double
    public var xMax: Double
    /// Fitted without an intercept (y = slope · x): see ``throughOrigin(_:_:)``.
    public var throughOrigin: Bool?

    public init(intercept: Double, slope: Double, rSquared: Double, rmse: Double, points: Int, xMin: Double, xMax: Double) {
        self.intercept = intercept; self.slope = slope; self.rSquared = rSquared; self.rmse = rmse
        self.points = points; self.xMin = xMin; self.xMax = xMax
    }

    public func predict(_ x: Double) -> Double { intercept + slope * x }

    /// y = slope · x by least squares without an intercept: the average cost per
    /// unit, idle cost included. For points that do not rise with x (a resource
    /// capped by a saturated host), where an ordinary fit's slope means nothing.
    /// Nil without a positive x.
    public static func throughOrigin(_ xs: [Double], _ ys: [Double]) -> LinearFit? {
        let pairs = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
        let sxx = pairs.map { $0.0 * $0.0 }.reduce(0, +)
        guard !pairs.isEmpty, sxx > 0 else { return nil }
        let slope = pairs.map { $0.0 * $0.1 }.reduce(0, +) / sxx
        let n = Double(pairs.count), my = pairs.map(\.1).reduce(0, +) / n
        let sse = pairs.map { let r = $0.1 - slope * $0.0; return r * r }.reduce(0, +)
        let sst = pairs.map { ($0.1 - my) * ($0.1 - my) }.reduce(0, +)
        var fit = LinearFit(intercept: 0, slope: slope, rSquared: sst > 0 ? max(0, 1 - sse / sst) : 1,
                            rmse: (sse / n).squareRoot(), points: pairs.count,
                            xMin: pairs.map(\.0).min()!, xMax: pairs.map(\.0).max()!)
        fit.throughOrigin = true
        return fit
    }

    /// Nil with fewer than two points or no spread in x.
    public static func fit(_ xs: [Double], _ ys: [Double]) -> LinearFit? {
        let pairs = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 2 else { return nil }
        let n = Double(pairs.count)
        let mx = pairs.map(\.0).reduce(0, +) / n, my = pairs.map(\.1).reduce(0, +) / n
        let sxx = pairs.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        guard sxx > 0 else { return nil }
        let sxy = pairs.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
        let slope = sxy / sxx, intercept = my - slope * mx
        let sse = pairs.map { let r = $0.1 - (intercept + slope * $0.0); return r * r }.reduce(0, +)
        let sst = pairs.map { ($0.1 - my) * ($0.1 - my) }.reduce(0, +)
        return LinearFit(intercept: intercept, slope: slope, rSquared: sst > 0 ? 1 - sse / sst : 1,
                         rmse: (sse / n).squareRoot(), points: pairs.count,
                         xMin: pairs.map(\.0).min()!, xMax: pairs.map(\.0).max()!)
    }
}
