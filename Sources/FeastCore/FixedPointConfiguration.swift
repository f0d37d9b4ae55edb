/// How the fixed-point arithmetic computes exp(−age/τ).
public enum DecayKind: String, Sendable, Codable, CaseIterable {
    /// A lookup table indexed by `age >> decayStepShift`: one ROM read.
    case table
    /// `1.0 >> (age >> halfLifeShift)`, a half-life rounded to a power of two
    /// µs: a barrel shifter and no memory; coarse (a staircase of halvings).
    case shifts
}

/// How the fixed-point arithmetic keeps weights at unit norm after an update.
public enum WeightNormalisation: String, Sendable, Codable, CaseIterable {
    /// n = ⌊√Σw²⌋, r = ⌊2^(F+32)/n⌋, w ← round(w·r / 2^32): a square-root
    /// unit, one divider per update and a multiplier (a digital ASIC or CPU).
    /// Skipped when n is exactly 1.0 (the multiplier would be 1).
    case exact
    /// One Newton step of 1/√x around 1: w ← w·(3 − Σw²)/2, multipliers only,
    /// no divider or square root (an FPGA with DSP slices). Accurate while the
    /// norm stays near 1, which small learning rates guarantee.
    case newton
    /// No normalisation: w ← (1−η)w + ηc is a convex combination of vectors
    /// of norm ≤ 1, so norms stay ≤ 1 by themselves but shrink when contexts
    /// vary (adders and shifters only: on-chip learning engines).
    case none
}

/// Every choice of the fixed-point arithmetic, recorded in network files.
/// Weights and contexts are unsigned (they are ≥ 0 by construction),
/// thresholds and the accumulator are two's complement. A value with `F`
/// fractional bits has an LSB of 2^−F. Optional fields are "automatic" and
/// are filled in by ``resolved(for:)`` so a stored configuration is explicit.
public struct FixedPointConfiguration: Sendable, Codable, Equatable, Hashable {
    /// Weight word, bits. Default 8 (a byte per synapse).
    public var weightBits: Int = 8
    /// Weight fractional bits. Default 7: 1.0 must be representable (a
    /// neuron can converge to a single pixel).
    public var weightFractionalBits: Int = 7
    /// Context word, bits. Default 8.
    public var contextBits: Int = 8
    /// Context fractional bits. Default 7 (the centre pixel is exactly 1.0).
    public var contextFractionalBits: Int = 7
    /// Threshold word, bits (signed). Default 16: thresholds take steps of
    /// 0.001, which needs ~2^−10 resolution plus range for ±1.
    public var thresholdBits: Int = 16
    /// Threshold fractional bits. Default 14 (range −2…2, LSB 6.1e−5).
    /// Must not exceed weight + context fractional bits (scores' LSB).
    public var thresholdFractionalBits: Int = 14
    /// Dot-product accumulator, bits (signed). Its fractional bits are weight
    /// + context fractional bits. Default 24.
    public var accumulatorBits: Int = 24
    /// Rounding of the learning updates (weights, normalisation). Stochastic
    /// rounding draws one 64-bit SplitMix64 number per pass over a weight
    /// column and derives entry k's fraction from it and k by a hash
    /// (``FixedPointMath/fraction(_:_:bits:)``), so hardware or SIMD lanes can
    /// make all fractions of a column at once. Default
    /// ``RoundingMode/stochastic``: with η = 2^−10 and 7 fractional
    /// weight bits a learning step η·(c − w) is below half an LSB, so
    /// truncation or round-to-nearest would lose every update and the
    /// weights would never move; stochastic rounding keeps them on average.
    public var rounding: RoundingMode = .stochastic
    /// Rounding of the context normaliser: truncate or nearest (default).
    /// Deterministic on purpose: inference must not consume random numbers.
    public var contextRounding: RoundingMode = .nearest
    /// Default ``OverflowMode/saturate``.
    public var overflow: OverflowMode = .saturate
    /// Default ``DecayKind/table``.
    public var decay: DecayKind = .table
    /// Decay table time step, as a shift: step = 2^shift µs. Automatic: the
    /// largest power of two ≤ τ/2^(Fc+1) (64 µs for τ = 20 ms and Fc = 7),
    /// so the value falls by at most about half an LSB within a step.
    public var decayStepShift: Int?
    /// Decay table entries. Automatic: until the entry rounds to 0; ages past
    /// the table give 0.
    public var decayTableEntries: Int?
    /// Half-life for ``DecayKind/shifts``, as a shift (2^shift µs). Automatic:
    /// the power of two nearest to τ·ln 2.
    public var halfLifeShift: Int?
    /// Learning rate as η = 2^−etaShift. Automatic: round(−log2 η).
    public var etaShift: Int?
    /// Δclose in threshold LSBs. Automatic: round(Δclose · 2^F), ≥ 1 if Δclose > 0.
    public var thresholdRiseSteps: Int?
    /// Δopen in threshold LSBs. Automatic: round(Δopen · 2^F), ≥ 1 if Δopen > 0.
    public var thresholdFallSteps: Int?
    /// Default ``WeightNormalisation/exact``.
    public var normalisation: WeightNormalisation = .exact
    /// Width of the time-surface counter (a hardware timestamp register),
    /// bits. Default 24 (wraps every 16.8 s). Ages are computed modulo 2^bits;
    /// see ``FeastLayer`` for how wrap is handled.
    public var timestampBits: Int = 24

    public init() {}

    /// The word-length rule every caller uses: the defaults with the given
    /// words. A word of `b` bits has `b − 1` fractional bits unless its
    /// fractional bits are given; the threshold keeps `min(b − 2, Fw + Fc)`
    /// fractional bits (scores have `Fw + Fc`; two integer bits for the sign
    /// and a threshold above 1), with the default threshold word when only
    /// the weight or context word is given.
    public init(weightBits: Int? = nil, weightFractionalBits: Int? = nil, contextBits: Int? = nil, contextFractionalBits: Int? = nil,
                thresholdBits: Int? = nil, thresholdFractionalBits: Int? = nil, accumulatorBits: Int? = nil) {
        self.init()
        if let b = weightBits { self.weightBits = b; self.weightFractionalBits = b - 1 }
        if let b = contextBits { self.contextBits = b; self.contextFractionalBits = b - 1 }
        if let b = thresholdBits {
            self.thresholdBits = b
            self.thresholdFractionalBits = min(b - 2, self.weightFractionalBits + self.contextFractionalBits)
        }
        if let f = weightFractionalBits { self.weightFractionalBits = f }
        if let f = contextFractionalBits { self.contextFractionalBits = f }
        if let f = thresholdFractionalBits { self.thresholdFractionalBits = f }
        if thresholdBits == nil && thresholdFractionalBits == nil {
            self.thresholdFractionalBits = min(self.thresholdFractionalBits, self.weightFractionalBits + self.contextFractionalBits)
        }
        if let b = accumulatorBits { self.accumulatorBits = b }
    }

    /// A copy with every automatic field filled in for `parameters`.
    public func resolved(for parameters: FeastParameters) -> FixedPointConfiguration {
        var c = self
        if c.decayStepShift == nil {
            // Within one step the true value falls by at most ~half an LSB
            // of 1.0: step ≤ τ / 2^(Fc+1).
            var s = 0
            while Double(1 << (s + 1)) <= parameters.tau / Double(1 << (contextFractionalBits + 1)) && s < 30 { s += 1 }
            c.decayStepShift = s
        }
        if c.halfLifeShift == nil {
            c.halfLifeShift = max(0, min(30, (parameters.tau * 0.693_147_180_559_945_3).log2Rounded))
        }
        if c.decayTableEntries == nil, let s = c.decayStepShift {
            let one = Double(1 << min(contextFractionalBits, 30))
            var n = 1
            while n < (1 << 20) {
                let v = (exp(-Double(n << s) / parameters.tau) * one).rounded()
                if v == 0 { break }
                n += 1
            }
            c.decayTableEntries = n
        }
        if c.etaShift == nil { c.etaShift = max(1, min(30, (1 / parameters.eta).log2Rounded)) }
        let tOne = Double(1 << min(thresholdFractionalBits, 40))
        func steps(_ d: Double) -> Int { d > 0 ? max(1, Int((d * tOne).rounded())) : 0 }
        if c.thresholdRiseSteps == nil { c.thresholdRiseSteps = steps(parameters.thresholdRise) }
        if c.thresholdFallSteps == nil { c.thresholdFallSteps = steps(parameters.thresholdFall) }
        return c
    }

    /// Throws ``FeastCoreError/invalidFixedPoint(field:value:expected:)`` for
    /// the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ value: Any?, _ expected: String) throws {
            if !ok { throw FeastCoreError.invalidFixedPoint(field: field, value: "\(value.map { "\($0)" } ?? "nil")", expected: expected) }
        }
        try check((2...24).contains(weightBits), "weight bits", weightBits, "2…24")
        try check((0...(weightBits - 1)).contains(weightFractionalBits), "weight fractional bits", weightFractionalBits,
                  "0…\(weightBits - 1) (1.0 must fit the unsigned weight word)")
        try check((2...24).contains(contextBits), "context bits", contextBits, "2…24")
        try check((0...(contextBits - 1)).contains(contextFractionalBits), "context fractional bits", contextFractionalBits,
                  "0…\(contextBits - 1) (1.0 must fit the unsigned context word)")
        try check((2...32).contains(thresholdBits), "threshold bits", thresholdBits, "2…32")
        let scoreFraction = weightFractionalBits + contextFractionalBits
        try check((0...min(thresholdBits - 1, scoreFraction)).contains(thresholdFractionalBits), "threshold fractional bits",
                  thresholdFractionalBits, "0…\(min(thresholdBits - 1, scoreFraction)) (at most the scores' \(scoreFraction) fractional bits)")
        try check(contextRounding != .stochastic, "context rounding", contextRounding, "truncate or nearest (inference draws no random numbers)")
        try check((2...62).contains(accumulatorBits), "accumulator bits", accumulatorBits, "2…62")
        try check((8...32).contains(timestampBits), "timestamp bits", timestampBits, "8…32")
        if let s = decayStepShift { try check((0...30).contains(s), "decay step shift", s, "0…30") }
        if let n = decayTableEntries { try check((1...(1 << 20)).contains(n), "decay table entries", n, "1…1048576") }
        if let h = halfLifeShift { try check((0...30).contains(h), "half-life shift", h, "0…30") }
        if let k = etaShift { try check((1...30).contains(k), "eta shift", k, "1…30 (η = 2^−k)") }
        if let r = thresholdRiseSteps { try check(r >= 0 && r < (1 << 30), "threshold rise steps", r, "0…2^30") }
        if let f = thresholdFallSteps { try check(f >= 0 && f < (1 << 30), "threshold fall steps", f, "0…2^30") }
    }
}

extension Double {
    /// round(log2(self)) for self > 0.
    @usableFromInline var log2Rounded: Int { Int(log2(self).rounded()) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
