import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fixed-point FEAST modelling synapse hardware: unsigned weight and context
/// words, a signed accumulator and signed thresholds, a decay table or
/// shifter, η = 2^−k, threshold steps in LSBs, explicit rounding and
/// overflow (see ``FixedPointConfiguration``). Bit-exact: the same
/// configuration, input and seed give the same bits on every machine.
///
/// Units: weights in 2^−Fw, contexts in 2^−Fc, scores and the accumulator in
/// 2^−(Fw+Fc); thresholds are kept in score units (raw threshold word shifted
/// left by Fw+Fc−Ft) so they compare directly with scores.
public struct FixedPointArithmetic: FeastArithmetic {
    public typealias Score = Int64
    public typealias Configuration = FixedPointConfiguration

    public static let name = "fixed"
    public let configuration: FixedPointConfiguration
    public var timestampBits: Int { configuration.timestampBits }
    public let horizon: UInt32

    @usableFromInline let rounding: RoundingMode
    @usableFromInline let contextBias: Int64
    @usableFromInline let overflow: OverflowMode
    @usableFromInline let weightBits: Int
    @usableFromInline let weightFraction: Int
    @usableFromInline let contextBits: Int
    @usableFromInline let contextFraction: Int
    @usableFromInline let thresholdBits: Int
    @usableFromInline let thresholdShift: Int      // score fraction − threshold fraction
    @usableFromInline let accumulatorBits: Int
    @usableFromInline let etaShift: Int
    @usableFromInline let riseSteps: Int64
    @usableFromInline let fallSteps: Int64
    @usableFromInline let normalisation: WeightNormalisation
    @usableFromInline let table: DecayTable        // raw context units, a final 0
    /// The table computed in lanes, when that equals it at every index.
    @usableFromInline var decayLanes: DecayLanes?
    @usableFromInline let tableShift: UInt32
    /// Every table index (age >> step shift) is below 2^23, so the decay
    /// lanes take it unclamped.
    @usableFromInline let directIndex: Bool
    @usableFromInline let useShifts: Bool
    @usableFromInline let halfLife: UInt32
    @usableFromInline let exactInFloat: Bool
    /// Σc² over the padded context fits UInt32 lanes (context words ≤ 15
    /// bits and padded K · max(c)² < 2^32).
    @usableFromInline let squaresInLanes: Bool
    /// Weights fit bytes, contexts 15 bits and K·max(w)·max(c) < 2^31.
    @usableFromInline let packable: Bool
    public let initialThreshold: Int64
    @usableFromInline var rng: SplitMix64
    /// The UInt32-lane learning path (tests turn it off to compare it with
    /// the scalar loops, which give the same integers).
    @usableFromInline var lanesEnabled = true
    public var counters = ArithmeticCounters()

    public var randomState: UInt64 {
        get { rng.state }
        set { rng.state = newValue }
    }

    public init(configuration: FixedPointConfiguration, parameters: FeastParameters, contextLength: Int) throws {
        try configuration.validate()
        let c = configuration.resolved(for: parameters)
        try c.validate()
        self.configuration = c
        rounding = c.rounding
        contextBias = c.contextRounding == .nearest ? Int64(1) << 31 : 0
        overflow = c.overflow
        weightBits = c.weightBits
        weightFraction = c.weightFractionalBits
        contextBits = c.contextBits
        contextFraction = c.contextFractionalBits
        thresholdBits = c.thresholdBits
        thresholdShift = c.weightFractionalBits + c.contextFractionalBits - c.thresholdFractionalBits
        accumulatorBits = c.accumulatorBits
        etaShift = c.etaShift!
        riseSteps = Int64(c.thresholdRiseSteps!)
        fallSteps = Int64(c.thresholdFallSteps!)
        normalisation = c.normalisation
        let one = Double(1 << c.contextFractionalBits)
        let cMax = Float((1 << c.contextBits) - 1)
        useShifts = c.decay == .shifts
        halfLife = UInt32(c.halfLifeShift!)
        tableShift = UInt32(c.decayStepShift!)
        directIndex = c.timestampBits - c.decayStepShift! <= 23
        var log2K = 0
        while (1 << log2K) < contextLength { log2K += 1 }
        exactInFloat = c.weightBits + c.contextBits + log2K <= 24
        let paddedK = Int64((contextLength + 15) / 16 * 16), cMaxWord = Int64((1 << c.contextBits) - 1)
        squaresInLanes = c.contextBits <= 15 && paddedK * cMaxWord * cMaxWord < Int64(1) << 32
        packable = c.weightBits <= 8 && c.contextBits <= 15
            && Int64(contextLength) * Int64((1 << c.weightBits) - 1) * Int64((1 << c.contextBits) - 1) < Int64(Int32.max)
        if useShifts {
            table = DecayTable([])
            decayLanes = nil
            horizon = UInt32(min(Int64(UInt32.max), Int64(c.contextFractionalBits + 1) << Int64(c.halfLifeShift!)))
        } else {
            let n = c.decayTableEntries!
            // One 0 entry past the end: ``zeroAge`` (= horizon) reads it.
            table = DecayTable((0..<n).map { i in min(cMax, Float((exp(-Double(i << c.decayStepShift!) / parameters.tau) * one).rounded())) } + [0])
            decayLanes = DecayLanes(table: table, stepShift: c.decayStepShift!, tau: parameters.tau, contextFraction: c.contextFractionalBits)
            horizon = UInt32(min(Int64(UInt32.max), Int64(n) << Int64(c.decayStepShift!)))
        }
        guard Int64(horizon) <= Int64(1) << Int64(c.timestampBits - 2) else {
            throw FeastCoreError.invalidFixedPoint(field: "timestamp bits", value: "\(c.timestampBits)",
                expected: "enough for the decay horizon of \(horizon) µs (≤ 2^(bits−2) µs, here ≥ \(64 - (Int64(horizon) - 1).leadingZeroBitCount + 2) bits)")
        }
        let t0 = FixedPointMath.fit(Int64((parameters.initialThreshold * Double(1 << c.thresholdFractionalBits)).rounded()),
                                    bits: c.thresholdBits, signed: true, mode: .saturate).value
        initialThreshold = t0 << Int64(thresholdShift)
        rng = SplitMix64.derived(seed: parameters.seed, salt: 0x5354_4F43_4841_5354)
    }

    @inlinable @inline(__always)
    mutating func round(_ v: Int64, _ shift: Int) -> Int64 {
        // Same result as FixedPointMath.roundShift, with the mode test
        // reduced to one predictable branch on the hot path.
        if shift == 0 { return v }
        if rounding == .stochastic {
            return (v &+ Int64(bitPattern: rng.next() & ((UInt64(1) << UInt64(shift)) &- 1))) >> Int64(shift)
        }
        let bias: Int64 = rounding == .nearest ? Int64(1) << Int64(shift - 1) : 0
        return (v &+ bias) >> Int64(shift)
    }

    /// The horizon: past the table's last entry (a 0 is appended), or
    /// (Fc + 1) halvings of 1.0 for shifts.
    public var zeroAge: UInt32 { horizon }

    @inlinable @inline(__always)
    public func decay(age: UInt32) -> Float {
        if useShifts {
            return Float((Int64(1) << Int64(contextFraction)) >> Int64(age >> halfLife))
        }
        return table.entries[Int(age &>> tableShift)]
    }

    // The time surface's clock (see FixedPointArithmetic+Context.swift).
    /// When the scrubber last re-stamped the surface, µs.
    @usableFromInline var lastScrub: Int64 = 0
    /// The current time's counter value.
    @usableFromInline var current: UInt32 = 0
}
