/// Small dense linear algebra for the fits (3 × 3 systems): Gaussian elimination
/// with partial pivoting. Returns nil for a singular system.
enum LinearSolve {
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, v = b
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }),
                  abs(m[pivot][col]) > 1e-300 else { return nil }
            m.swapAt(col, pivot); v.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let f = m[row][col] / m[col][col]
                if f == 0 { continue }
                for k in col..<n { m[row][k] -= f * m[col][k] }
                v[row] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = v[row]
            for k in (row + 1)..<n { s -= m[row][k] * x[k] }
            x[row] = s / m[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    /// Least squares of `y ≈ Σ c_k · basis_k(x)` through the normal equations
    /// (fine for the 2–3 well-scaled columns used here).
    static func leastSquares(rows: [[Double]], _ y: [Double]) -> [Double]? {
        guard let width = rows.first?.count, rows.count >= width else { return nil }
        var ata = [[Double]](repeating: [Double](repeating: 0, count: width), count: width)
        var aty = [Double](repeating: 0, count: width)
        for (r, yi) in zip(rows, y) {
            for i in 0..<width {
                aty[i] += r[i] * yi
                for j in 0..<width { ata[i][j] += r[i] * r[j] }
            }
        }
        return solve(ata, aty)
    }
}
