/// Regularised least squares with an unpenalised intercept:
/// minimise `‖Y - X·Wᵀ - 1·bᵀ‖² + λ‖W‖²` for n × d inputs `X` and n × m
/// targets `Y`. Columns are centred first (which makes the intercept exact),
/// then the smaller of the two equivalent systems is solved by Cholesky:
///
/// - primal (d ≤ n): `(XcᵀXc + λI) Wᵀ = XcᵀYc`, a d × d solve;
/// - dual (d > n):   `(XcXcᵀ + λI) A = Yc`, `Wᵀ = XcᵀA`, an n × n solve.
///
/// λ > 0 keeps both matrices positive definite.
enum RidgeSolver {
    /// Returns `weights` (m × d, one row per target column) and `bias` (m).
    /// Which system to solve; `.automatic` picks the smaller one.
    enum Form { case automatic, primal, dual }

    static func fit(_ x: Matrix, targets y: Matrix, lambda: Double, form: Form = .automatic) throws -> (weights: Matrix, bias: [Double]) {
        precondition(x.rows == y.rows && x.rows > 0 && lambda > 0)
        let n = x.rows, d = x.cols, m = y.cols
        // Centre inputs and targets.
        var xMean = [Double](repeating: 0, count: d)
        var yMean = [Double](repeating: 0, count: m)
        for r in 0..<n {
            for c in 0..<d { xMean[c] += x[r, c] }
            for c in 0..<m { yMean[c] += y[r, c] }
        }
        for c in 0..<d { xMean[c] /= Double(n) }
        for c in 0..<m { yMean[c] /= Double(n) }
        var xc = x
        xc.withUnsafeMutableBufferPointer { a in
            for r in 0..<n { for c in 0..<d { a[r &* d &+ c] -= xMean[c] } }
        }
        var yc = y
        yc.withUnsafeMutableBufferPointer { a in
            for r in 0..<n { for c in 0..<m { a[r &* m &+ c] -= yMean[c] } }
        }

        var weights: Matrix  // m × d
        if form == .primal || (form == .automatic && d <= n) {
            let xt = xc.transposed()          // d × n
            var a = gram(xt)                  // d × d
            for i in 0..<d { a[i &* d &+ i] += lambda }
            var b = try xt.timesTransposed(yc.transposed()).storage  // d × m
            try Cholesky.solve(&a, n: d, &b, m: m)
            weights = try Matrix(rows: d, cols: m, storage: b).transposed()
        } else {
            var k = gram(xc)                  // n × n
            for i in 0..<n { k[i &* n &+ i] += lambda }
            var alpha = yc.storage            // n × m
            try Cholesky.solve(&k, n: n, &alpha, m: m)
            weights = Matrix(rows: m, cols: d)
            weights.withUnsafeMutableBufferPointer { w in
                xc.withUnsafeBufferPointer { xb in
                    for i in 0..<n {
                        for j in 0..<m {
                            Kernels.axpy(alpha[i &* m &+ j], xb.baseAddress! + i &* d, w.baseAddress! + j &* d, d)
                        }
                    }
                }
            }
        }
        // Intercept: ȳ - W·x̄.
        var bias = yMean
        xMean.withUnsafeBufferPointer { xm in
            weights.withUnsafeBufferPointer { w in
                for j in 0..<m { bias[j] -= Kernels.dot(w.baseAddress! + j &* d, xm.baseAddress!, d) }
            }
        }
        return (weights, bias)
    }

    /// `A·Aᵀ` (rows × rows, row-major), lower triangle computed and mirrored.
    static func gram(_ a: Matrix) -> [Double] {
        let r = a.rows, k = a.cols
        var g = [Double](repeating: 0, count: r * r)
        a.withUnsafeBufferPointer { ab in
            g.withUnsafeMutableBufferPointer { gb in
                for i in 0..<r {
                    let ai = ab.baseAddress! + i &* k
                    for j in 0...i {
                        let v = Kernels.dot(ai, ab.baseAddress! + j &* k, k)
                        gb[i &* r &+ j] = v
                        gb[j &* r &+ i] = v
                    }
                }
            }
        }
        return g
    }

    /// Scores `x·Wᵀ + b` (rows × m) of a linear model.
    static func linearScores(_ x: Matrix, weights: Matrix, bias: [Double]) throws -> Matrix {
        var s = try x.timesTransposed(weights)
        s.withUnsafeMutableBufferPointer { sb in
            let m = bias.count
            for r in 0..<x.rows { for c in 0..<m { sb[r &* m &+ c] += bias[c] } }
        }
        return s
    }
}
