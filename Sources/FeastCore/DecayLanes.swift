/// The decay table's entries computed sixteen at a time in Float lanes
/// instead of read one by one: entry i is round(2^Fc · e^(−i·2^s/τ)), here
/// 2^(x + Fc) with x = −i·2^s·log2(e)/τ, split as x = r + f (r an integer,
/// |f| ≤ ½), 2^f by a polynomial (degree 4 to 7, the lowest that gives the
/// table) and 2^(r + Fc) by its exponent bits, then rounded to an integer.
///
/// The table stays the definition (it is the ROM a circuit holds, exported
/// with the vectors). The lanes are used only when they give every entry
/// of the table exactly — checked once, for each index, when the arithmetic
/// is built — so results do not depend on which path ran. Plain `*` and `+`
/// (no FMA, no fast-math), so the lanes give the same bits on every CPU.
@usableFromInline
struct DecayLanes: Sendable {
    /// −2^s·log2(e)/τ as a high part with 12 significant bits (i · high is
    /// exact for i < 2^12) and the rest; or, when ``oneProduct``, all of it
    /// in `slopeHigh` (one rounded product, enough for most tables).
    @usableFromInline let slopeHigh: Float
    @usableFromInline let slopeLow: Float
    @usableFromInline let oneProduct: Bool
    /// Degree of the polynomial for 2^f: 4, 5 or 6 (fitted to 2^f's relative
    /// error over |f| ≤ ½, max 2.6·10⁻⁶, 7.5·10⁻⁸ and 1.9·10⁻⁹) or 7 (Taylor).
    /// Lower degrees are cheaper (on CPUs that split 512-bit arithmetic in
    /// two, the floating-point operations are the whole cost).
    @usableFromInline let degree: Int
    /// The polynomial's coefficients, highest degree first (`degree + 1` used).
    @usableFromInline let coefficients: SIMD8<Float>
    /// Fc + 127: the exponent bias of 2^(r + Fc).
    @usableFromInline let exponentBias: Int32
    /// The index of the table's final 0 (ages past the horizon).
    @usableFromInline let last: UInt32

    /// The cheapest lanes for `table` (lowest degree, then one product)
    /// that give every entry exactly, or nil when none does (or its values
    /// are too wide to round in Float lanes).
    init?(table: DecayTable, stepShift: Int, tau: Double, contextFraction: Int) {
        guard table.count >= 1, contextFraction <= 21, stepShift <= 30 else { return nil }
        let slope = -Double(1 << stepShift) / tau / 0.693_147_180_559_945_3
        guard slope.isFinite, slope < 0 else { return nil }
        for degree in 4...7 {
            for oneProduct in [true, false] {
                let candidate = DecayLanes(slope: slope, oneProduct: oneProduct, degree: degree, contextFraction: contextFraction, last: table.last)
                if candidate.reproduces(table) { self = candidate; return }
            }
        }
        return nil
    }

    init(slope: Double, oneProduct: Bool, degree: Int, contextFraction: Int, last: UInt32) {
        let high = oneProduct ? Float(slope) : Float(slope).keepingSignificantBits(12)
        slopeHigh = high
        slopeLow = oneProduct ? 0 : Float(slope - Double(high))
        self.oneProduct = oneProduct
        self.degree = degree
        coefficients = Self.polynomials[degree - 4]
        exponentBias = Int32(contextFraction + 127)
        self.last = last
    }

    /// Coefficients of 2^f for degrees 4, 5 and 6 (fitted to the relative
    /// error over |f| ≤ ½) and 7 (Taylor's, of e^(f·ln 2): truncation error
    /// below 6·10⁻⁹, under the Float rounding), highest degree first.
    static let polynomials: [SIMD8<Float>] = [
        SIMD8(9.570_101_3e-3, 5.591_785_9e-2, 0.240_247_44, 0.693_121_79, 0.999_999_28, 0, 0, 0),
        SIMD8(1.327_647_1e-3, 9.675_541_0e-3, 5.550_713_1e-2, 0.240_221_20, 0.693_146_94, 1.000_000_1, 0, 0),
        SIMD8(1.534_581_1e-4, 1.339_993_1e-3, 9.618_489_1e-3, 5.550_328_6e-2, 0.240_226_46, 0.693_147_18, 1, 0),
        SIMD8(1.525_273_4e-5, 1.540_353_1e-4, 1.333_355_8e-3, 9.618_129_1e-3, 5.550_410_9e-2, 0.240_226_51, 0.693_147_18, 1),
    ]

    /// Whether ``values(_:)`` gives every entry of `table`.
    func reproduces(_ table: DecayTable) -> Bool {
        var i: UInt32 = 0
        let iota = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        while i <= last {
            let index = pointwiseMin(iota &+ i, SIMD16(repeating: last))
            let v = values(index)
            for lane in 0..<16 where v[lane] != table.entries[Int(index[lane])] { return false }
            i &+= 16
        }
        return true
    }

    /// Table entries at `index` (each < 2^23), as integer-valued Floats;
    /// indices past ``last`` give 0, as the table's final entry does.
    @inlinable @inline(__always)
    func values(_ index: SIMD16<UInt32>) -> SIMD16<Float> {
        let i = FixedPointMath.floats(index)
        let x = oneProduct ? i * SIMD16(repeating: slopeHigh) : i * SIMD16(repeating: slopeHigh) + i * SIMD16(repeating: slopeLow)
        // 1.5·2^23 rounds a Float in (−2^22, 2^22) to an integer and leaves
        // it in the low bits.
        let shifted = x + SIMD16(repeating: 0x1.8p23)
        let f = x - (shifted - SIMD16(repeating: 0x1.8p23))
        // Horner's rule, highest coefficient first.
        var p = SIMD16<Float>(repeating: coefficients[0])
        var j = 1
        while j <= degree {
            p = p * f + SIMD16(repeating: coefficients[j])
            j &+= 1
        }
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
