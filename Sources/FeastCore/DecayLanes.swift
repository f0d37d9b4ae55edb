/// The decay table's entries computed sixteen at a time in Float lanes
/// instead of read one by one: entry i is round(2^Fc · e^(−i·2^s/τ)), here
/// 2^(x + Fc) with x = −i·2^s·log2(e)/τ, split as x = r + f (r an integer,
/// |f| ≤ ½), 2^f by a degree-7 polynomial and 2^(r + Fc) by its exponent
/// bits, then rounded to an integer.
///
/// The table stays the definition (it is the ROM a circuit holds, exported
/// with the vectors). The lanes are used only when they give every entry
/// of the table exactly — checked once, for each index, when the arithmetic
/// is built — so results do not depend on which path ran. Plain `*` and `+`
/// (no FMA, no fast-math), so the lanes give the same bits on every CPU.
@usableFromInline
struct DecayLanes: Sendable {
    /// −2^s·log2(e)/τ as a high part with 12 significant bits (i · high is
    /// exact for i < 2^12) and the rest.
    @usableFromInline let slopeHigh: Float
    @usableFromInline let slopeLow: Float
    /// Fc + 127: the exponent bias of 2^(r + Fc).
    @usableFromInline let exponentBias: Int32
    /// The index of the table's final 0 (ages past the horizon).
    @usableFromInline let last: UInt32

    /// Lanes for `table`, or nil when they would differ from it anywhere
    /// (or its values are too wide to round in Float lanes).
    init?(table: DecayTable, stepShift: Int, tau: Double, contextFraction: Int) {
        guard table.count >= 1, contextFraction <= 21, stepShift <= 30 else { return nil }
        let slope = -Double(1 << stepShift) / tau / 0.693_147_180_559_945_3
        let high = Float(slope).keepingSignificantBits(12)
        slopeHigh = high
        slopeLow = Float(slope - Double(high))
        exponentBias = Int32(contextFraction + 127)
        last = table.last
        guard slope.isFinite, slope < 0 else { return nil }
        var i: UInt32 = 0
        let iota = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        while i <= last {
            let index = pointwiseMin(iota &+ i, SIMD16(repeating: last))
            let v = values(index)
            for lane in 0..<16 where v[lane] != table.entries[Int(index[lane])] { return nil }
            i &+= 16
        }
    }

    /// Table entries at `index` (each ≤ ``last``), as integer-valued Floats.
    @inlinable @inline(__always)
    func values(_ index: SIMD16<UInt32>) -> SIMD16<Float> {
        let i = FixedPointMath.floats(index)
        let x = i * SIMD16(repeating: slopeHigh) + i * SIMD16(repeating: slopeLow)
        // 1.5·2^23 rounds a Float in (−2^22, 2^22) to an integer and leaves
        // it in the low bits.
        let shifted = x + SIMD16(repeating: 0x1.8p23)
        let f = x - (shifted - SIMD16(repeating: 0x1.8p23))
        // Taylor coefficients of 2^f = e^(f·ln 2); |f| ≤ ½ leaves a
        // truncation error below 6·10⁻⁹, under the Float rounding.
        var p = SIMD16<Float>(repeating: 1.525_273_4e-5)
        p = p * f + SIMD16(repeating: 1.540_353_1e-4)
        p = p * f + SIMD16(repeating: 1.333_355_8e-3)
        p = p * f + SIMD16(repeating: 9.618_129_1e-3)
        p = p * f + SIMD16(repeating: 5.550_410_9e-2)
        p = p * f + SIMD16(repeating: 0.240_226_51)
        p = p * f + SIMD16(repeating: 0.693_147_18)
        p = p * f + SIMD16(repeating: 1)
        let r = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- SIMD16(repeating: 0x4B40_0000)
        let scale = unsafeBitCast((r &+ SIMD16(repeating: exponentBias)) &<< 23, to: SIMD16<Float>.self)
        let v = (p * scale + SIMD16(repeating: 0x1p23)) - SIMD16(repeating: 0x1p23)
        // The final entry is 0 (ages past the horizon): index − last < 0,
        // shifted arithmetically, is all ones for the others (a bit trick,
        // as `replacing(with:where:)` compiles to a per-lane loop here).
        let live = unsafeBitCast(index &- SIMD16(repeating: last), to: SIMD16<Int32>.self) &>> 31
        return unsafeBitCast(unsafeBitCast(v, to: SIMD16<Int32>.self) & live, to: SIMD16<Float>.self)
    }
}

extension Float {
    /// This value with its significand cut to `bits` bits (toward zero).
    func keepingSignificantBits(_ bits: Int) -> Float {
        Float(sign: sign, exponentBitPattern: exponentBitPattern,
              significandBitPattern: significandBitPattern & ~((UInt32(1) << UInt32(23 - bits + 1)) - 1))
    }
}
