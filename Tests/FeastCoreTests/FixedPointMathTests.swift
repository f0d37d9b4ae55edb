import FeastEvents
@testable import FeastCore
import XCTest

/// Rounding and overflow primitives against wider-integer oracles, exhaustively.
final class FixedPointMathTests: XCTestCase {
    /// floor(a / b) for b > 0 with plain integer division.
    func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    func testRoundShiftMatchesDivisionOracleForAllInt16() {
        for shift in 0...9 {
            let d = Int64(1) << Int64(shift)
            for v in Int64(Int16.min)...Int64(Int16.max) {
                XCTAssertEqual(FixedPointMath.roundShift(v, by: shift, mode: .truncate), floorDiv(v, d))
                // nearest, ties up: floor((2v + d) / 2d)
                XCTAssertEqual(FixedPointMath.roundShift(v, by: shift, mode: .nearest), floorDiv(2 * v + d, 2 * d))
                let r = UInt64(truncatingIfNeeded: v &* 2_654_435_761)
                XCTAssertEqual(FixedPointMath.roundShift(v, by: shift, mode: .stochastic, random: r),
                               floorDiv(v + Int64(r % UInt64(d)), d))
            }
        }
    }

    func testNearestRoundsHandPickedValues() {
        XCTAssertEqual(FixedPointMath.roundShift(5, by: 1, mode: .nearest), 3)    // 2.5 → 3
        XCTAssertEqual(FixedPointMath.roundShift(-5, by: 1, mode: .nearest), -2)  // −2.5 → −2
        XCTAssertEqual(FixedPointMath.roundShift(-5, by: 1, mode: .truncate), -3)
        XCTAssertEqual(FixedPointMath.roundShift(7, by: 2, mode: .nearest), 2)    // 1.75 → 2
    }

    func testStochasticRoundingIsUnbiased() {
        var rng = SplitMix64(state: 7)
        var sum: Int64 = 0
        for _ in 0..<100_000 { sum += FixedPointMath.roundShift(3, by: 3, mode: .stochastic, random: rng.next()) }
        XCTAssertEqual(Double(sum) / 100_000, 3.0 / 8.0, accuracy: 0.01)
    }

    func testFitMatchesOracleForAllInt16AndWidths() {
        for bits in 1...15 {
            for signed in [false, true] where !(signed && bits < 2) {
                let lo: Int64 = signed ? -(1 << Int64(bits - 1)) : 0
                let hi: Int64 = signed ? (1 << Int64(bits - 1)) - 1 : (1 << Int64(bits)) - 1
                let m = Int64(1) << Int64(bits)
                for v in Int64(Int16.min)...Int64(Int16.max) {
                    let s = FixedPointMath.fit(v, bits: bits, signed: signed, mode: .saturate)
                    XCTAssertEqual(s.value, min(max(v, lo), hi))
                    XCTAssertEqual(s.overflowed, v < lo || v > hi)
                    let w = FixedPointMath.fit(v, bits: bits, signed: signed, mode: .wrap)
                    XCTAssertEqual(w.value, ((v - lo) % m + m) % m + lo)
                    XCTAssertEqual(w.overflowed, v < lo || v > hi)
                }
            }
        }
    }

    func testIntegerSquareRootIsExactFloor() {
        for v in Int64(0)...70_000 {
            let r = FixedPointMath.isqrt(v)
            XCTAssertTrue(r * r <= v && (r + 1) * (r + 1) > v, "isqrt(\(v)) = \(r)")
        }
        for v: Int64 in [1 << 52, (1 << 52) - 1, 999_999_999_999_999, Int64(3_037_000_499) * 3_037_000_499, .max] {
            let r = FixedPointMath.isqrt(v)
            let above = (r + 1).multipliedReportingOverflow(by: r + 1)
            XCTAssertTrue(r * r <= v && (above.overflow || above.partialValue > v), "isqrt(\(v)) = \(r)")
        }
    }

    func testReciprocalEqualsIntegerDivision() {
        // Every divisor up to 2^16 at the shifts the arithmetic uses (context
        // and weight fractions + 32), then random divisors up to 2^40.
        for shift in [32, 35, 39, 46, 52, 53, 62] {
            for n in Int64(1)...65_536 {
                let q = FixedPointMath.reciprocal(n, shift: shift)
                if q != (Int64(1) << Int64(shift)) / n { XCTFail("⌊2^\(shift)/\(n)⌋: \(q)"); return }
            }
        }
        var rng = SplitMix64(state: 7)
        for _ in 0..<200_000 {
            let n = Int64(rng.below(1 << 40)) + 1, shift = 32 + Int(rng.below(21))
            XCTAssertEqual(FixedPointMath.reciprocal(n, shift: shift), (Int64(1) << Int64(shift)) / n, "n \(n), shift \(shift)")
        }
    }

    /// The layer's hot-path rounding (``FixedPointArithmetic/round(_:_:)``)
    /// is ``FixedPointMath/roundShift(_:by:mode:random:)`` with the mode
    /// test hoisted: the same result for every mode, shift and value, the
    /// stochastic one drawing the same random bits.
    func testLayerRoundingEqualsRoundShiftForEveryModeAndShift() throws {
        for mode in [RoundingMode.truncate, .nearest, .stochastic] {
            var c = FixedPointConfiguration(weightBits: 12, contextBits: 12, thresholdBits: 16, accumulatorBits: 40)
            c.rounding = mode
            var a = try FixedPointArithmetic(configuration: c, parameters: FeastParameters(), contextLength: 121)
            var values = SplitMix64(state: 11)
            for shift in 0...40 {
                for k in 0..<2_000 {
                    // Edges (0, ±1, powers of two ± 1) and random values of both signs.
                    let edge: [Int64] = [0, 1, -1, Int64(1) << Int64(shift), -(Int64(1) << Int64(shift)), (Int64(1) << Int64(shift)) - 1]
                    let v = k < edge.count ? edge[k] : Int64(bitPattern: values.next()) >> 20
                    var draw = a.rng
                    let expected = FixedPointMath.roundShift(v, by: shift, mode: mode, random: shift > 0 && mode == .stochastic ? draw.next() : 0)
                    XCTAssertEqual(a.round(v, shift), expected, "mode \(mode), shift \(shift), value \(v)")
                    if mode == .stochastic && shift > 0 { XCTAssertEqual(a.rng, draw, "one draw per stochastic rounding") }
                }
            }
        }
    }

    func testDecayTableMatchesExpWithinStatedError() throws {
        for (bits, tau) in [(8, 20_000.0), (12, 20_000.0), (8, 5_000.0), (16, 20_000.0)] {
            var c = FixedPointConfiguration(weightBits: bits, contextBits: bits, thresholdBits: 16, accumulatorBits: 40)
            c.timestampBits = 32
            let p = FeastParameters(tau: tau)
            let a = try FixedPointArithmetic(configuration: c, parameters: p, contextLength: 121)
            let one = Double(1 << a.configuration.contextFractionalBits)
            let bound = a.decayErrorBound(tau: tau)
            if bits <= 12 { XCTAssertLessThanOrEqual(bound, 1.0, "stated bound ≤ 1 LSB for \(bits) bits") }
            var worst = 0.0
            var age: UInt32 = 0
            let step = max(1, a.horizon / 200_000)
            while age < a.horizon + 5_000 {
                let table = age < a.horizon ? Double(a.decay(age: age)) : 0
                worst = max(worst, abs(table - exp(-Double(age) / tau) * one))
                age += step
            }
            XCTAssertLessThanOrEqual(worst, bound, "\(bits) bits, τ \(tau)")
        }
    }
}
