/// How a value loses its low bits.
public enum RoundingMode: String, Sendable, Codable, CaseIterable {
    /// Drop the bits: floor (an arithmetic right shift). The cheapest circuit.
    case truncate
    /// Round to nearest, ties towards +∞ (add half an LSB, then shift).
    case nearest
    /// Add a uniform random fraction of an LSB, then floor: unbiased on
    /// average, so tiny learning steps are not lost (seeded, reproducible).
    case stochastic
}

/// What happens when a value does not fit its word.
public enum OverflowMode: String, Sendable, Codable, CaseIterable {
    /// Clamp to the largest / smallest representable value.
    case saturate
    /// Keep the low bits (two's complement wrap), as a plain adder does.
    case wrap
}

/// The integer primitives of the fixed-point arithmetic. Every rounding and
/// overflow in the layer goes through these, and the tests check them
/// exhaustively against wider-integer oracles.
public enum FixedPointMath {
    /// `value / 2^shift` rounded by `mode`. `random` supplies the stochastic
    /// fraction (only its low `shift` bits are used). `shift` in 0…62.
    @inlinable @inline(__always)
    public static func roundShift(_ value: Int64, by shift: Int, mode: RoundingMode, random: UInt64 = 0) -> Int64 {
        if shift == 0 { return value }
        switch mode {
        case .truncate: return value >> Int64(shift)
        case .nearest: return (value &+ (Int64(1) << Int64(shift - 1))) >> Int64(shift)
        case .stochastic:
            let r = Int64(bitPattern: random & ((UInt64(1) << UInt64(shift)) &- 1))
            return (value &+ r) >> Int64(shift)
        }
    }

    /// Smallest and largest value of a `bits`-wide word (1…63 bits).
    @inlinable @inline(__always)
    public static func range(bits: Int, signed: Bool) -> (min: Int64, max: Int64) {
        signed ? (-(Int64(1) << Int64(bits - 1)), (Int64(1) << Int64(bits - 1)) - 1)
               : (0, (Int64(1) << Int64(bits)) - 1)
    }

    /// `value` made to fit a `bits`-wide word (1…63 bits); `overflowed`
    /// tells whether it had to be clamped or wrapped.
    @inlinable @inline(__always)
    public static func fit(_ value: Int64, bits: Int, signed: Bool, mode: OverflowMode) -> (value: Int64, overflowed: Bool) {
        let (lo, hi) = range(bits: bits, signed: signed)
        if value >= lo && value <= hi { return (value, false) }
        switch mode {
        case .saturate: return (value < lo ? lo : hi, true)
        case .wrap:
            let mask = (UInt64(1) << UInt64(bits)) &- 1
            let low = UInt64(bitPattern: value) & mask
            if signed && low >= (UInt64(1) << UInt64(bits - 1)) {
                return (Int64(bitPattern: low) &- Int64(bitPattern: mask) &- 1, true)
            }
            return (Int64(bitPattern: low), true)
        }
    }

    /// The random fraction of entry `k` for stochastic rounding: `bits`
    /// random bits from one 64-bit draw per pass over a weight column,
    /// counter-based so that entries can be drawn in any order (SIMD lanes):
    /// murmur3's 32-bit finaliser of (draw's low word ⊕ k·0x9E3779B9), top
    /// `bits` bits; above 32 bits, SplitMix64's finaliser of
    /// (draw ⊕ k·0x9E3779B97F4A7C15), top `bits` bits.
    @inlinable @inline(__always)
    public static func fraction(_ draw: UInt64, _ k: Int, bits: Int64) -> Int64 {
        if bits <= 0 { return 0 }
        if bits <= 32 {
            var x = UInt32(truncatingIfNeeded: draw) ^ (UInt32(truncatingIfNeeded: k) &* spread)
            x ^= x &>> 16; x &*= 0x85EB_CA6B; x ^= x &>> 13; x &*= 0xC2B2_AE35; x ^= x &>> 16
            return Int64(x &>> UInt32(32 - bits))
        }
        var z = draw ^ (UInt64(truncatingIfNeeded: k) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z &>> 31
        return Int64(bitPattern: z &>> UInt64(64 - bits))
    }

    /// ``fraction(_:_:bits:)`` for sixteen entries `k` at once (bits ≤ 32).
    @inlinable @inline(__always)
    public static func fractions(_ draw: UInt64, from k: SIMD16<UInt32>, bits: Int64) -> SIMD16<UInt32> {
        fractions(draw, spread: k &* spread, bits: bits)
    }

    /// Whether any lane is nonzero, by halving ORs: `v != SIMD16()`
    /// compiles to a loop over the lanes with an early exit.
    @inlinable @inline(__always)
    public static func anyLane(_ v: SIMD16<UInt32>) -> Bool {
        let h8 = v.lowHalf | v.highHalf, h4 = h8.lowHalf | h8.highHalf, h2 = h4.lowHalf | h4.highHalf
        return h2[0] | h2[1] != 0
    }

    /// Σ of the lanes (wrapping), by halving additions: `wrappedSum()`
    /// need not compile to a vector reduction.
    @inlinable @inline(__always)
    public static func laneSum(_ v: SIMD16<UInt32>) -> UInt32 {
        let h8 = v.lowHalf &+ v.highHalf, h4 = h8.lowHalf &+ h8.highHalf, h2 = h4.lowHalf &+ h4.highHalf
        return h2[0] &+ h2[1]
    }

    /// The multiplier that spreads entry indices before hashing (k · spread).
    @inlinable public static var spread: UInt32 { 0x9E37_79B9 }

    /// ``fractions(_:from:bits:)`` from k · ``spread`` (mod 2^32), which a
    /// loop over the column advances by one addition per sixteen entries.
    @inlinable @inline(__always)
    public static func fractions(_ draw: UInt64, spread k: SIMD16<UInt32>, bits: Int64) -> SIMD16<UInt32> {
        if bits <= 0 { return SIMD16() }
        var x = SIMD16(repeating: UInt32(truncatingIfNeeded: draw)) ^ k
        x ^= x &>> 16; x &*= 0x85EB_CA6B; x ^= x &>> 13; x &*= 0xC2B2_AE35; x ^= x &>> 16
        return x &>> UInt32(32 - bits)
    }

    /// The integer a Float word holds (weights, contexts and exact sums are
    /// nonnegative integers < 2^52 stored in Float). Through Double and the
    /// 2^52 offset: no range check, so no branch, unlike `Int64(_: Float)`.
    @inlinable @inline(__always)
    public static func integer(_ f: Float) -> Int64 {
        Int64(bitPattern: (Double(f) + 0x1p52).bitPattern) &- Int64(bitPattern: (0x1p52 as Double).bitPattern)
    }

    /// Integer-valued Floats in [0, 2^23) to their integers and back, by the
    /// 2^23 offset (adding it puts the integer in the mantissa bits): SIMD
    /// float↔int conversions compile to per-lane library calls.
    @inlinable @inline(__always)
    public static func integers(_ f: SIMD16<Float>) -> SIMD16<UInt32> {
        unsafeBitCast(f + SIMD16(repeating: 0x1p23), to: SIMD16<UInt32>.self) &- SIMD16(repeating: 0x4B00_0000)
    }

    @inlinable @inline(__always)
    public static func floats(_ v: SIMD16<UInt32>) -> SIMD16<Float> {
        unsafeBitCast(v | SIMD16(repeating: 0x4B00_0000), to: SIMD16<Float>.self) - SIMD16(repeating: 0x1p23)
    }

    /// The Float word (bit pattern) of an integer below 2^23.
    @inlinable @inline(__always)
    public static func floats(_ v: UInt32) -> UInt32 {
        (Float(bitPattern: v | 0x4B00_0000) - 0x1p23).bitPattern
    }

    /// ⌊√v⌋ exactly, for v ≥ 0.
    @inlinable @inline(__always)
    public static func isqrt(_ v: Int64) -> Int64 {
        // Below 2^50 the correctly rounded square root never reaches the
        // next integer (√v is at least 1/(2√v) > 2^−26 below it, more than
        // its ulp), so truncating it is ⌊√v⌋. Inlined: it sits on the
        // per-event path; larger values take the corrected loop.
        if v > 0 && v < Int64(1) << 50 { return Int64(Double(v).squareRoot()) }
        return isqrtCorrected(v)
    }

    /// ⌊2^shift / n⌋ exactly, for n > 0 and shift ≤ 62. Up to shift 52 by a
    /// Double division (shorter latency than a 64-bit integer division):
    /// the correctly rounded quotient is within q·2^−53 ≤ 1/(2n) of the
    /// true q, whose distance to the next integer is at least 1/n unless q
    /// is an integer (then it is exact), so truncating it gives ⌊q⌋.
    @inlinable @inline(__always)
    public static func reciprocal(_ n: Int64, shift: Int) -> Int64 {
        if shift <= 52 { return Int64(Double(Int64(1) << Int64(shift)) / Double(n)) }
        return (Int64(1) << Int64(shift)) / n
    }

    @usableFromInline
    static func isqrtCorrected(_ v: Int64) -> Int64 {
        if v <= 0 { return 0 }
        var r = Int64(Double(v).squareRoot())
        if v < Int64(1) << 60 {   // r < 2^30.5: products cannot overflow
            while r &* r > v { r -= 1 }
            while (r &+ 1) &* (r &+ 1) <= v { r += 1 }
            return r
        }
        // Compare by division so r·r never overflows near Int64.max.
        while r > 0 && r > v / r { r -= 1 }
        while (r + 1) <= v / (r + 1) { r += 1 }
        return r
    }
}
