/// The arithmetic a ``FeastLayer`` runs on: the few primitives whose bits
/// differ between float32 and fixed point. The learning rule itself (time
/// surface, eligibility, winner, when to learn, threshold homeostasis) lives
/// once in ``FeastLayer``.
///
/// Storage convention shared by both conformances, so one SIMD score kernel
/// serves both: weights and context values are stored as `Float`. Float
/// arithmetic stores real values; fixed point stores its raw integers, which
/// `Float` holds exactly (≤ 24 bits), and its dot products are exact whenever
/// weight bits + context bits + ⌈log2 K⌉ ≤ 24 (else it uses an Int64 loop).
/// An arithmetic whose weights fit bytes may also have the layer keep them
/// packed (``packsWeightsAsBytes``), for ``FeastKernels/byteScores``.
public protocol FeastArithmetic: Sendable {
    /// Everything that defines the arithmetic (Codable: recorded in files).
    associatedtype Configuration: Sendable, Codable, Equatable
    /// Scores and thresholds (Float, or Int64 in score LSBs).
    associatedtype Score: Comparable, Sendable

    /// "float32" or "fixed".
    static var name: String { get }

    /// Builds the arithmetic; throws ``FeastCoreError`` for a configuration
    /// that cannot work with these parameters.
    init(configuration: Configuration, parameters: FeastParameters, contextLength: Int) throws

    /// The configuration with every automatic choice filled in.
    var configuration: Configuration { get }
    /// Width of the time-surface counter, bits (≤ 32).
    var timestampBits: Int { get }
    /// Ages (µs) from here on give a context value of exactly 0.
    var horizon: UInt32 { get }

    /// What one time-surface pixel holds: a timestamp counter (fixed point,
    /// as a hardware register) or e^((t_s − t_ref)/τ) (float, so the context
    /// is one multiply per pixel instead of an exp).
    associatedtype SurfaceWord: SIMDScalar, Sendable
    /// The word of a pixel that never fired.
    var emptyWord: SurfaceWord { get }
    /// Moves the clock to `t` (µs), the time of the event about to be
    /// processed. `expire` = forget every pixel (a new recording, a gap ≥
    /// ``horizon`` or time going backwards); otherwise the arithmetic may
    /// rewrite the surface to keep its words in range (scrub or rebase),
    /// never changing a context value. `count` words from `surface`.
    mutating func advanceClock(to t: Int64, expire: Bool, surface: UnsafeMutablePointer<SurfaceWord>, count: Int)
    /// The word the current event stamps on its pixel.
    var stamp: SurfaceWord { get }
    /// Decayed values exp(−age/τ) (storage units) at the current time of
    /// the `side`×`side` window whose top-left pixel is `window` (rows
    /// `rowStride` words apart), row by row into `context[0..<side²]`;
    /// expired pixels give exactly 0. May read up to 16 words past each row
    /// and write up to 16 lanes past side² (buffers are padded; the caller
    /// overwrites them).
    func gatherWindow(_ window: UnsafePointer<SurfaceWord>, rowStride: Int, side: Int, into context: UnsafeMutablePointer<Float>)
    /// L2-normalises `context[0..<length]` (`length` a multiple of 16, the
    /// entries past the real context are 0).
    mutating func normaliseContext(_ context: UnsafeMutablePointer<Float>, length: Int)
    /// Scores of all `neurons` of one population: weights are K rows of
    /// `stride` lanes (one lane per neuron); `packed`, when the layer keeps
    /// them (see ``packsWeightsAsBytes``), the same weights as bytes in
    /// ``FeastKernels/byteScores`` layout. `scratch` has room for `stride`
    /// lanes rounded up to 64.
    mutating func scores(weights: UnsafePointer<Float>, packed: UnsafeRawPointer?, stride: Int, neurons: Int,
                         context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                         scratch: UnsafeMutablePointer<Float>, into scores: UnsafeMutablePointer<Score>)
    /// Whether the layer should also keep its weights as bytes for
    /// ``scores`` (integer weights below 2^8, contexts below 2^15, sums
    /// below 2^31: a quarter of the memory the kernel streams).
    var packsWeightsAsBytes: Bool { get }
    /// The winner's update w ← normalise((1−η)w + ηc) over all K entries of
    /// its weight column (entry k at `weights[k * stride]`); `score` is the
    /// winner's w·c from this event. When the layer keeps packed weights,
    /// `packed` is the column's byte for entry 0 (entry k at
    /// `packed + k * packedStride`): then the bytes are the weights of
    /// record, to be read and updated; the Float column may be left as it
    /// was (the layer rewrites it from the bytes).
    mutating func learn(weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, context: UnsafePointer<Float>, score: Score,
                        packed: UnsafeMutableRawPointer?, packedStride: Int)
    /// An initial weight (a real value of a unit vector) in storage units.
    func quantiseWeight(_ real: Float) -> Float
    /// Threshold before learning.
    var initialThreshold: Score { get }
    /// θ += Δclose (with the arithmetic's overflow handling).
    mutating func raise(_ threshold: inout Score)
    /// θ −= Δopen.
    mutating func lower(_ threshold: inout Score)
    /// A score no real score is below.
    var lowestScore: Score { get }
    /// The eligible neuron (score ≥ threshold) with the largest score, the
    /// lowest index on ties; −1 when none is eligible.
    func winner(scores: UnsafePointer<Score>, thresholds: UnsafePointer<Score>, neurons: Int) -> Int
    /// A Score ≥ every score whose exact dot product is `bound` (computed
    /// in Float from nonnegative terms), or nil when no safe bound exists.
    func upperBound(_ bound: Float) -> Score?

    /// Real value of a stored weight = stored · weightScale.
    var weightScale: Double { get }
    /// Effective η, Δclose and Δopen after quantisation (real units).
    var effectiveEta: Double { get }
    var effectiveThresholdRise: Double { get }
    var effectiveThresholdFall: Double { get }
    func realValue(context: Float) -> Double
    func rawValue(context: Float) -> Int64
    func realValue(score: Score) -> Double
    func rawValue(score: Score) -> Int64
    func realValue(threshold: Score) -> Double
    /// Raw threshold word (threshold LSBs) for fixed point, the IEEE bits for float.
    func rawValue(threshold: Score) -> Int64
    /// The threshold whose raw word is `raw`.
    func threshold(raw: Int64) -> Score

    /// State that evolves while learning (stochastic rounding generator).
    var randomState: UInt64 { get set }
    /// Overflow counters.
    var counters: ArithmeticCounters { get set }
}

extension FeastArithmetic {
    @inlinable @inline(__always)
    public func winner(scores: UnsafePointer<Score>, thresholds: UnsafePointer<Score>, neurons: Int) -> Int {
        var winner = -1
        var best = lowestScore
        for n in 0..<neurons {
            let d = scores[n]
            if d >= thresholds[n] && (winner < 0 || d > best) { best = d; winner = n }
        }
        return winner
    }
}

/// How often values had to be saturated or wrapped (fixed point; float
/// leaves them 0). Counts are of individual values.
public struct ArithmeticCounters: Sendable, Codable, Equatable, Hashable {
    public var accumulatorOverflows: Int64 = 0
    public var weightOverflows: Int64 = 0
    public var contextOverflows: Int64 = 0
    public var thresholdOverflows: Int64 = 0
    /// Largest |accumulator| seen, in score LSBs: the width actually needed.
    public var accumulatorPeak: Int64 = 0
    public init() {}
}

/// The SIMD kernel both arithmetics use: scores of all neurons in one pass
/// over the nonzero context entries (sparse in K, dense SIMD over neurons).
public enum FeastKernels {
    /// Σ p[i]² over `length` values (a multiple of 16), in SIMD16 lanes
    /// summed in a fixed order.
    @inlinable @inline(__always)
    public static func sumOfSquares(_ p: UnsafePointer<Float>, length: Int) -> Float {
        let raw = UnsafeRawPointer(p)
        var acc = SIMD16<Float>()
        var i = 0
        while i < length {
            let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc = acc + v * v
            i &+= 16
        }
        return laneSum(acc)
    }

    /// Σ of the 16 lanes in a fixed order (halves added pairwise), unlike
    /// `SIMD.sum()`, whose order is unspecified and may follow the vector width.
    @inlinable @inline(__always)
    public static func laneSum(_ v: SIMD16<Float>) -> Float {
        let h8 = v.lowHalf + v.highHalf
        let h4 = h8.lowHalf + h8.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
    }

    /// scratch[0..<stride] = Σ_j context[k_j] · weights[k_j · stride + lane].
    /// `stride` is a multiple of 16. Plain `*` and `+` (no FMA, so the bits
    /// do not depend on the target CPU), in a fixed order: blocks of 64 lanes
    /// sum the entries in order; a block of 32 in two partial sums (j mod 2),
    /// a last block of 16 in four (j mod 4), added pairwise at the end. Several
    /// chains keep the adder busy instead of waiting on one sum's latency.
    @inlinable @inline(__always)
    public static func sparseScores(weights: UnsafePointer<Float>, stride: Int,
                                    context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                                    into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(weights)
        let outRaw = UnsafeMutableRawPointer(out)
        let rowBytes = stride &* 4
        var lane = 0
        // 64 lanes per pass: each entry's index and value are read once for
        // four SIMD16 sums (the chains are long enough to hide latency).
        while lane + 64 <= stride {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            let base = raw + lane &* 4
            for j in 0..<count {
                let k = Int(nonzero[j])
                let c = SIMD16<Float>(repeating: context[k])
                let r = base + k &* rowBytes
                a0 = a0 + r.loadUnaligned(as: SIMD16<Float>.self) * c
                a1 = a1 + r.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * c
                a2 = a2 + r.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self) * c
                a3 = a3 + r.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self) * c
            }
            outRaw.storeBytes(of: a0, toByteOffset: lane &* 4, as: SIMD16<Float>.self)
            outRaw.storeBytes(of: a1, toByteOffset: (lane &+ 16) &* 4, as: SIMD16<Float>.self)
            outRaw.storeBytes(of: a2, toByteOffset: (lane &+ 32) &* 4, as: SIMD16<Float>.self)
            outRaw.storeBytes(of: a3, toByteOffset: (lane &+ 48) &* 4, as: SIMD16<Float>.self)
            lane &+= 64
        }
        while lane + 32 <= stride {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), b0 = SIMD16<Float>(), b1 = SIMD16<Float>()
            let base = raw + lane &* 4
            var j = 0
            while j &+ 2 <= count {
                let k = Int(nonzero[j]), l = Int(nonzero[j &+ 1])
                let c = SIMD16<Float>(repeating: context[k]), d = SIMD16<Float>(repeating: context[l])
                let r = base + k &* rowBytes, s = base + l &* rowBytes
                a0 = a0 + r.loadUnaligned(as: SIMD16<Float>.self) * c
                a1 = a1 + r.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * c
                b0 = b0 + s.loadUnaligned(as: SIMD16<Float>.self) * d
                b1 = b1 + s.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * d
                j &+= 2
            }
            if j < count {
                let k = Int(nonzero[j])
                let c = SIMD16<Float>(repeating: context[k])
                let r = base + k &* rowBytes
                a0 = a0 + r.loadUnaligned(as: SIMD16<Float>.self) * c
                a1 = a1 + r.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * c
            }
            outRaw.storeBytes(of: a0 + b0, toByteOffset: lane &* 4, as: SIMD16<Float>.self)
            outRaw.storeBytes(of: a1 + b1, toByteOffset: (lane &+ 16) &* 4, as: SIMD16<Float>.self)
            lane &+= 32
        }
        if lane < stride {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            let base = raw + lane &* 4
            var j = 0
            while j &+ 4 <= count {
                let k0 = Int(nonzero[j]), k1 = Int(nonzero[j &+ 1]), k2 = Int(nonzero[j &+ 2]), k3 = Int(nonzero[j &+ 3])
                a0 = a0 + (base + k0 &* rowBytes).loadUnaligned(as: SIMD16<Float>.self) * SIMD16<Float>(repeating: context[k0])
                a1 = a1 + (base + k1 &* rowBytes).loadUnaligned(as: SIMD16<Float>.self) * SIMD16<Float>(repeating: context[k1])
                a2 = a2 + (base + k2 &* rowBytes).loadUnaligned(as: SIMD16<Float>.self) * SIMD16<Float>(repeating: context[k2])
                a3 = a3 + (base + k3 &* rowBytes).loadUnaligned(as: SIMD16<Float>.self) * SIMD16<Float>(repeating: context[k3])
                j &+= 4
            }
            while j < count {
                let k = Int(nonzero[j])
                a0 = a0 + (base + k &* rowBytes).loadUnaligned(as: SIMD16<Float>.self) * SIMD16<Float>(repeating: context[k])
                j &+= 1
            }
            outRaw.storeBytes(of: (a0 + a1) + (a2 + a3), toByteOffset: lane &* 4, as: SIMD16<Float>.self)
        }
    }
}
