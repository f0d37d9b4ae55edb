/// Inner loops shared by the matrix code and the classifiers: explicit SIMD
/// (no FMA: baseline x86-64 has none, and `addProduct` would call `fma`),
/// a fixed summation order so results are reproducible bit for bit.
enum Kernels {
    /// `Σ a[i]·b[i]` for `i < n`, two SIMD4 accumulators then a scalar tail.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i &+ 8 <= n {
            let o = i &* 8
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            s1 += ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            i &+= 8
        }
        var s = (s0 + s1).sum()
        while i < n { s += a[i] * b[i]; i &+= 1 }
        return s
    }

    /// `y[i] += alpha · x[i]` for `i < n`.
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        var i = 0
        while i < n { y[i] += alpha * x[i]; i &+= 1 }
    }

    /// Squared Euclidean distance `Σ (a[i] - b[i])²`.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i &+ 8 <= n {
            let o = i &* 8
            let d0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            let d1 = ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            s0 += d0 * d0
            s1 += d1 * d1
            i &+= 8
        }
        var s = (s0 + s1).sum()
        while i < n { let d = a[i] - b[i]; s += d * d; i &+= 1 }
        return s
    }
}

/// Dense symmetric positive-definite solves by Cholesky factorisation, in Double.
enum Cholesky {
    /// Solves `A · X = B` in place: `a` (n × n row-major, symmetric positive
    /// definite; only the lower triangle is read) is overwritten by its factor
    /// `L`, `b` (n × m row-major) by `X`. Throws at a non-positive pivot.
    static func solve(_ a: inout [Double], n: Int, _ b: inout [Double], m: Int) throws {
        precondition(a.count == n * n && b.count == n * m)
        try a.withUnsafeMutableBufferPointer { ab in
            let l = ab.baseAddress!
            // Row-oriented: every inner product runs over two contiguous row prefixes.
            for j in 0..<n {
                let lj = l + j &* n
                let d = lj[j] - Kernels.dot(lj, lj, j)
                guard d > 0, d.isFinite else { throw FeastLearningError.notPositiveDefinite(size: n, pivot: j) }
                let root = d.squareRoot()
                lj[j] = root
                var i = j &+ 1
                while i < n {
                    let li = l + i &* n
                    li[j] = (li[j] - Kernels.dot(li, lj, j)) / root
                    i &+= 1
                }
            }
            b.withUnsafeMutableBufferPointer { bb in
                let x = bb.baseAddress!
                // Forward: L·Z = B.
                for i in 0..<n {
                    let xi = x + i &* m
                    for k in 0..<i { Kernels.axpy(-l[i &* n &+ k], x + k &* m, xi, m) }
                    let inv = 1 / l[i &* n &+ i]
                    for c in 0..<m { xi[c] *= inv }
                }
                // Backward: Lᵀ·X = Z.
                var i = n &- 1
                while i >= 0 {
                    let xi = x + i &* m
                    var k = i &+ 1
                    while k < n { Kernels.axpy(-l[k &* n &+ i], x + k &* m, xi, m); k &+= 1 }
                    let inv = 1 / l[i &* n &+ i]
                    for c in 0..<m { xi[c] *= inv }
                    i &-= 1
                }
            }
        }
    }
}
