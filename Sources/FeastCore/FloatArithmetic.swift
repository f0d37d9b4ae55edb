#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// float32 FEAST: real-valued weights, contexts and thresholds.
///
/// exp(−age/τ) comes from two tables, exp(−(hi·2^s)/τ) · exp(−lo/τ) with
/// age = hi·2^s + lo, each entry correctly rounded, so the product is within
/// ~1.5 ulp of expf; the time surface stores exponentials (see
/// ``SurfaceWord``), so a context value is within ~3 ulp of exp(−age/τ).
/// Values below 2^−24 (below float32's resolution next to the centre pixel,
/// which is 1) are treated as 0: their contribution to any normalised score
/// is under 1e−7.
public struct FloatArithmetic: FeastArithmetic {
    public typealias Score = Float

    /// float32 has nothing to configure.
    public struct Configuration: Sendable, Codable, Equatable, Hashable {
        public init() {}
    }

    public static let name = "float32"
    public let configuration = Configuration()
    public let timestampBits = 32
    public let horizon: UInt32
    /// The first age of the zero entry appended to the high table.
    public let zeroAge: UInt32
    @usableFromInline let eta: Float
    @usableFromInline let keep: Float
    @usableFromInline let rise: Float
    @usableFromInline let fall: Float
    public let initialThreshold: Float
    @usableFromInline let split: UInt32
    @usableFromInline let high: [Float]
    @usableFromInline let low: [Float]
    public var randomState: UInt64 = 0
    public var counters = ArithmeticCounters()

    public init(configuration: Configuration, parameters: FeastParameters, contextLength: Int) throws {
        // exp(-age/tau) < 2^-24  <=>  age > 24 ln2 tau
        let h = (24 * 0.693_147_180_559_945_3 * parameters.tau).rounded(.up)
        guard h <= Double(1 << 30) else {
            throw FeastCoreError.invalidParameter(field: .tau, value: "\(parameters.tau)",
                                                  expected: "at most \(Int(Double(1 << 30) / (24 * 0.693_147_180_559_945_3))) µs for the 32-bit time surface")
        }
        horizon = UInt32(max(1, h))
        var s: UInt32 = 0
        while (UInt64(1) << UInt64(2 * s)) < UInt64(horizon) { s += 1 }
        split = s
        let tau = parameters.tau
        // One 0 entry past the horizon's bucket: ``zeroAge`` reads it.
        high = (0...(Int(horizon) >> Int(s))).map { Float(exp(-Double($0 << Int(s)) / tau)) } + [0]
        zeroAge = ((horizon >> s) + 1) << s
        low = (0..<(1 << Int(s))).map { Float(exp(-Double($0) / tau)) }
        eta = Float(parameters.eta)
        keep = 1 - Float(parameters.eta)
        rise = Float(parameters.thresholdRise)
        fall = Float(parameters.thresholdFall)
        initialThreshold = Float(parameters.initialThreshold)
    }

    @inlinable @inline(__always)
    public func decay(age: UInt32) -> Float {
        high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                h.baseAddress.unsafelyUnwrapped[Int(age &>> split)] * l.baseAddress.unsafelyUnwrapped[Int(age & ((1 &<< split) &- 1))]
            }
        }
    }

    // MARK: Time surface

    /// Pixels hold e^((t_s − t_ref)/τ), so the context of an event at t is
    /// word · e^(−(t − t_ref)/τ): one multiply per pixel, no exp. Words stay
    /// in range because t_ref follows the clock (``advanceClock``).
    public typealias SurfaceWord = Float
    public var emptyWord: Float { 0 }
    /// Context values below this read 0: e^(−age/τ) < 2^−24 is below float32's
    /// resolution next to the centre pixel (which is 1), i.e. age ≳ ``horizon``.
    @usableFromInline static var cutoff: Float { 0x1p-24 }
    /// t_ref, µs.
    @usableFromInline var reference: Int64 = 0
    /// e^(−(t − t_ref)/τ) at the current event: ≥ 2^−12, since t − t_ref <
    /// horizon/2.
    @usableFromInline var now: Float = 1
    /// 1/``now``: the word of a pixel firing now.
    @usableFromInline var current: Float = 1
    @inlinable public var stamp: Float { current }

    @inlinable @inline(__always)
    public mutating func advanceClock(to t: Int64, expire: Bool, surface: UnsafeMutablePointer<Float>, count: Int) {
        if expire {
            surface.update(repeating: 0, count: count)
            reference = t
        } else if t &- reference >= Int64(horizon >> 1) {
            // Rebase t_ref to t: words become today's context values, those
            // already below the cutoff exactly 0 (so no word ever turns
            // subnormal or overflows).
            let f = decay(age: UInt32(truncatingIfNeeded: t &- reference))
            for i in 0..<count {
                let v = surface[i] * f
                surface[i] = v >= Self.cutoff ? v : 0
            }
            reference = t
        }
        now = decay(age: UInt32(truncatingIfNeeded: t &- reference))
        current = 1 / now
    }

    @inlinable @inline(__always)
    public func gatherWindow(_ window: UnsafePointer<Float>, rowStride: Int, side: Int, into context: UnsafeMutablePointer<Float>) {
        let cut = SIMD16<Int32>(repeating: Int32(bitPattern: Self.cutoff.bitPattern)), scale = SIMD16<Float>(repeating: now)
        for r in 0..<side {
            let src = UnsafeRawPointer(window + r &* rowStride), dst = UnsafeMutableRawPointer(context + r &* side)
            var i = 0
            while i < side {
                let c = src.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * scale
                // Values are ≥ 0, so their bit patterns order like the values;
                // (bits − cut) >> 31 is all ones below the cutoff. Integer lane
                // ops, because SIMD float comparisons compile to per-lane code.
                let bits = unsafeBitCast(c, to: SIMD16<Int32>.self)
                let keep = ~((bits &- cut) &>> 31)
                dst.storeBytes(of: unsafeBitCast(bits & keep, to: SIMD16<Float>.self), toByteOffset: i &* 4, as: SIMD16<Float>.self)
                i &+= 16
            }
        }
    }

    @inlinable @inline(__always)
    public mutating func normaliseContext(_ context: UnsafeMutablePointer<Float>, length: Int) {
        let raw = UnsafeMutableRawPointer(context)
        let ss = FeastKernels.sumOfSquares(context, length: length)
        guard ss > 0 else { return }
        let inv = SIMD16<Float>(repeating: 1 / ss.squareRoot())
        var i = 0
        while i < length {
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * inv, toByteOffset: i &* 4, as: SIMD16<Float>.self)
            i &+= 16
        }
    }

    public var packsWeightsAsBytes: Bool { false }

    @inlinable @inline(__always)
    public mutating func scores(weights: UnsafePointer<Float>, packed: UnsafeRawPointer?, stride: Int, neurons: Int,
                                context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                                scratch: UnsafeMutablePointer<Float>, into scores: UnsafeMutablePointer<Float>) {
        FeastKernels.sparseScores(weights: weights, stride: stride, context: context, nonzero: nonzero, count: count, into: scores)
    }

    /// One pass: with ‖w‖ = ‖c‖ = 1 and w·c = `score` (this event's score),
    /// ‖(1−η)w + ηc‖² = (1−η)² + 2η(1−η)·score + η², so the new column is
    /// written already normalised. Rounding errors in ‖w‖ do not accumulate:
    /// each update shrinks them by (1−η)².
    @inlinable @inline(__always)
    public mutating func learn(weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, context: UnsafePointer<Float>, score: Float,
                               packed: UnsafeMutableRawPointer?, packedStride: Int) {
        let ss = keep * keep + 2 * eta * keep * score + eta * eta
        guard ss > 0 else { return }
        let inv = 1 / ss.squareRoot()
        let a = keep * inv, b = eta * inv
        var p = weights
        for k in 0..<length {
            p.pointee = a * p.pointee + b * context[k]
            p += stride
        }
    }

    @inlinable public func quantiseWeight(_ real: Float) -> Float { real }
    @inlinable @inline(__always) public mutating func raise(_ threshold: inout Float) { threshold = threshold + rise }
    @inlinable @inline(__always) public mutating func lower(_ threshold: inout Float) { threshold = threshold - fall }
    public var lowestScore: Float { -.infinity }

    /// Branch-free: key = the score's bit pattern when score ≥ threshold,
    /// else −1. Scores are ≥ 0 (nonnegative weights and context), so their
    /// bit patterns order like the values, and d − t is ≥ +0 exactly when
    /// d ≥ t (IEEE subtraction never rounds across 0). The largest key wins;
    /// the lowest index holding it on ties, as the scalar rule.
    @inlinable @inline(__always)
    public func winner(scores: UnsafePointer<Float>, thresholds: UnsafePointer<Float>, neurons: Int) -> Int {
        @inline(__always) func key(_ n: Int) -> Int32 {
            let d = scores[n]
            return Int32(bitPattern: d.bitPattern) | (Int32(bitPattern: (d - thresholds[n]).bitPattern) &>> 31)
        }
        // One pass: the key in the high bits, 2^17 − 1 − n below it, so the
        // largest combined value is the largest key at the lowest index
        // (N ≤ 65 536); an ineligible neuron's combined value is negative.
        var best: Int64 = -1
        for n in 0..<neurons {
            let v = (Int64(key(n)) &<< 17) | Int64(0x1_FFFF &- n)
            best = v > best ? v : best
        }
        return best >= 0 ? 0x1_FFFF &- Int(best & 0x1_FFFF) : -1
    }
    @inlinable @inline(__always)
    public func upperBound(_ bound: Float) -> Float? {
        // Both this bound and the kernel's sums are within K·2^-24 (relative)
        // of their exact values; the margin covers both.
        bound * (1 + 4e-5) + 1e-30
    }
    public var weightScale: Double { 1 }
    public var effectiveEta: Double { Double(eta) }
    public var effectiveThresholdRise: Double { Double(rise) }
    public var effectiveThresholdFall: Double { Double(fall) }
    public func realValue(context: Float) -> Double { Double(context) }
    public func rawValue(context: Float) -> Int64 { Int64(context.bitPattern) }
    public func realValue(score: Float) -> Double { Double(score) }
    public func rawValue(score: Float) -> Int64 { Int64(score.bitPattern) }
    public func realValue(threshold: Float) -> Double { Double(threshold) }
    public func rawValue(threshold: Float) -> Int64 { Int64(threshold.bitPattern) }
    public func threshold(raw: Int64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: raw)) }
}
