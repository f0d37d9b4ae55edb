#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// float32 FEAST: real-valued weights, contexts and thresholds.
///
/// exp(−age/τ) comes from two tables, exp(−(hi·2^s)/τ) · exp(−lo/τ) with
/// age = hi·2^s + lo, each entry correctly rounded, so the product is within
/// ~1.5 ulp of expf. Ages with exp(−age/τ) < 2^−24 (below float32's
/// resolution next to the centre pixel, which is 1) are treated as 0: their
/// contribution to any normalised score is under 1e−7.
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
            throw FeastCoreError.invalidParameter(name: "--tau", value: "\(parameters.tau)",
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

    @inlinable @inline(__always)
    public mutating func normaliseContext(_ context: UnsafeMutablePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int) {
        var ss: Float = 0
        for j in 0..<count { let v = context[Int(nonzero[j])]; ss = ss + v * v }
        guard ss > 0 else { return }
        let inv = 1 / ss.squareRoot()
        for j in 0..<count { let k = Int(nonzero[j]); context[k] = context[k] * inv }
    }

    @inlinable @inline(__always)
    public mutating func scores(weights: UnsafePointer<Float>, stride: Int, neurons: Int,
                                context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                                scratch: UnsafeMutablePointer<Float>, into scores: UnsafeMutablePointer<Float>) {
        FeastKernels.sparseScores(weights: weights, stride: stride, context: context, nonzero: nonzero, count: count, into: scores)
    }

    /// One pass: with ‖w‖ = ‖c‖ = 1 and w·c = `score` (this event's score),
    /// ‖(1−η)w + ηc‖² = (1−η)² + 2η(1−η)·score + η², so the new column is
    /// written already normalised. Rounding errors in ‖w‖ do not accumulate:
    /// each update shrinks them by (1−η)².
    @inlinable @inline(__always)
    public mutating func learn(weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, context: UnsafePointer<Float>, score: Float) {
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

    /// Eight lanes at a time: the largest eligible score first, then the
    /// first eligible neuron holding it (the scalar rule's lowest index on
    /// ties). Scores are finite, so −∞ means none is eligible.
    @inlinable @inline(__always)
    public func winner(scores: UnsafePointer<Float>, thresholds: UnsafePointer<Float>, neurons: Int) -> Int {
        var best = SIMD8<Float>(repeating: -.infinity)
        let sRaw = UnsafeRawPointer(scores), tRaw = UnsafeRawPointer(thresholds)
        var n = 0
        while n &+ 8 <= neurons {
            let d = sRaw.loadUnaligned(fromByteOffset: n &* 4, as: SIMD8<Float>.self)
            let t = tRaw.loadUnaligned(fromByteOffset: n &* 4, as: SIMD8<Float>.self)
            best.replace(with: d, where: (d .>= t) .& (d .> best))
            n &+= 8
        }
        var m = best.max()
        while n < neurons {
            if scores[n] >= thresholds[n] && scores[n] > m { m = scores[n] }
            n &+= 1
        }
        guard m > -.infinity else { return -1 }
        for i in 0..<neurons where scores[i] == m && scores[i] >= thresholds[i] { return i }
        return -1
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
