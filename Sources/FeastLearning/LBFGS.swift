/// Limited-memory BFGS with a backtracking (Armijo) line search, for smooth
/// convex objectives. Deterministic: no randomness, fixed arithmetic order.
enum LBFGS {
    /// Minimises `f` from `x` in place; returns the iterations used.
    /// `f(x, &g)` returns the value and writes the gradient into `g`.
    /// Stops when `max |g| < tolerance`, when a step no longer lowers the
    /// value by a relative 1e-12, or after `maxIterations`.
    static func minimise(_ x: inout [Double], memory: Int = 10, maxIterations: Int, tolerance: Double,
                         _ f: ([Double], inout [Double]) -> Double) -> Int {
        let n = x.count
        var g = [Double](repeating: 0, count: n)
        var value = f(x, &g)
        var sHist = [[Double]](), yHist = [[Double]](), rhoHist = [Double]()
        var dir = [Double](repeating: 0, count: n)
        var xNew = [Double](repeating: 0, count: n)
        var gNew = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: memory)
        var iteration = 0
        while iteration < maxIterations {
            if maxAbs(g) < tolerance { break }
            iteration += 1
            // Two-loop recursion: dir = -H·g.
            for i in 0..<n { dir[i] = -g[i] }
            let h = sHist.count
            for j in stride(from: h - 1, through: 0, by: -1) {
                alpha[j] = rhoHist[j] * dot(sHist[j], dir)
                axpy(-alpha[j], yHist[j], &dir)
            }
            if h > 0 {
                let gamma = dot(sHist[h - 1], yHist[h - 1]) / dot(yHist[h - 1], yHist[h - 1])
                for i in 0..<n { dir[i] *= gamma }
            } else {
                // First step: unit length along -g (the line search shrinks it).
                let norm = dot(g, g).squareRoot()
                for i in 0..<n { dir[i] /= max(norm, 1) }
            }
            for j in 0..<h {
                let beta = rhoHist[j] * dot(yHist[j], dir)
                axpy(alpha[j] - beta, sHist[j], &dir)
            }
            var slope = dot(g, dir)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                sHist.removeAll(); yHist.removeAll(); rhoHist.removeAll()
                for i in 0..<n { dir[i] = -g[i] }
                slope = dot(g, dir)
            }
            // Backtracking line search, Armijo condition.
            var step = 1.0
            var newValue = 0.0
            var accepted = false
            while step > 1e-12 {
                for i in 0..<n { xNew[i] = x[i] + step * dir[i] }
                newValue = f(xNew, &gNew)
                if newValue.isFinite && newValue <= value + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            if !accepted { break }
            var s = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
            for i in 0..<n { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i] }
            let sy = dot(s, y)
            if sy > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot() {
                if sHist.count == memory { sHist.removeFirst(); yHist.removeFirst(); rhoHist.removeFirst() }
                sHist.append(s); yHist.append(y); rhoHist.append(1 / sy)
            }
            let decrease = value - newValue
            swap(&x, &xNew)
            swap(&g, &gNew)
            value = newValue
            if decrease <= 1e-12 * max(abs(value), 1) { break }
        }
        return iteration
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in Kernels.dot(ab.baseAddress!, bb.baseAddress!, a.count) } }
    }

    private static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { yb in Kernels.axpy(alpha, xb.baseAddress!, yb.baseAddress!, x.count) } }
    }

    private static func maxAbs(_ a: [Double]) -> Double {
        var m = 0.0
        for v in a { m = max(m, abs(v)) }
        return m
    }
}
