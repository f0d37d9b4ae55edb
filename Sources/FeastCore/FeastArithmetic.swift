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
    /// exp(−age/τ) in storage units, for age < ``horizon``.
    func decay(age: UInt32) -> Float
    /// L2-normalises the context entries listed in `nonzero`.
    mutating func normaliseContext(_ context: UnsafeMutablePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int)
    /// Scores of all `neurons` of one population: weights are K rows of
    /// `stride` lanes (one lane per neuron), `scratch` has `stride` floats.
    mutating func scores(weights: UnsafePointer<Float>, stride: Int, neurons: Int,
                         context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                         scratch: UnsafeMutablePointer<Float>, into scores: UnsafeMutablePointer<Score>)
    /// The winner's update w ← normalise((1−η)w + ηc) over all K entries of
    /// its weight column (entry k at `weights[k * stride]`); `score` is the
    /// winner's w·c from this event.
    mutating func learn(weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, context: UnsafePointer<Float>, score: Score)
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
    /// scratch[0..<stride] = Σ_j context[k_j] · weights[k_j · stride + lane].
    /// `stride` is a multiple of 16. Plain `*` and `+` (no FMA: Swift's
    /// default x86-64 target has none), accumulated in a fixed order.
    @inlinable @inline(__always)
    public static func sparseScores(weights: UnsafePointer<Float>, stride: Int,
                                    context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                                    into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(weights)
        let outRaw = UnsafeMutableRawPointer(out)
        var lane = 0
        while lane + 32 <= stride {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
            var j = 0
            while j < count {
                let k = Int(nonzero[j])
                let c = SIMD16<Float>(repeating: context[k])
                let row = raw + (k &* stride &+ lane) &* 4
                a0 = a0 + row.loadUnaligned(as: SIMD16<Float>.self) * c
                a1 = a1 + row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * c
                j &+= 1
            }
            outRaw.storeBytes(of: a0, toByteOffset: lane &* 4, as: SIMD16<Float>.self)
            outRaw.storeBytes(of: a1, toByteOffset: (lane &+ 16) &* 4, as: SIMD16<Float>.self)
            lane &+= 32
        }
        if lane < stride {
            var a0 = SIMD16<Float>()
            var j = 0
            while j < count {
                let k = Int(nonzero[j])
                let row = raw + (k &* stride &+ lane) &* 4
                a0 = a0 + row.loadUnaligned(as: SIMD16<Float>.self) * SIMD16<Float>(repeating: context[k])
                j &+= 1
            }
            outRaw.storeBytes(of: a0, toByteOffset: lane &* 4, as: SIMD16<Float>.self)
        }
    }
}
