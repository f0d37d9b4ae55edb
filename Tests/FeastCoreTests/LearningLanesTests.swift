@testable import FeastCore
import FeastEvents
import XCTest

/// The fixed-point learning update in UInt32 lanes gives the same integers
/// as the scalar loops, for every rounding, normalisation and overflow mode
/// that fits the lanes.
final class LearningLanesTests: XCTestCase {
    func trainBoth(_ c: FixedPointConfiguration, parameters: FeastParameters) throws -> (lanes: LayerState, scalar: LayerState) {
        var lanes = try FeastLayer<FixedPointArithmetic>(parameters: parameters, arithmetic: c)
        var scalar = lanes
        scalar.arithmetic.lanesEnabled = false
        for e in TestData.randomEvents(20_000, seed: 5) {
            let a = lanes.process(e, learn: true), b = scalar.process(e, learn: true)
            if a != b { XCTFail("winners differ at t = \(e.t): \(a) vs \(b)"); break }
        }
        return (lanes.state, scalar.state)
    }

    func testLanesAndScalarLoopsLearnTheSameWeights() throws {
        var cases: [(String, FixedPointConfiguration)] = [("default", FixedPointConfiguration())]
        for rounding in [RoundingMode.truncate, .nearest, .stochastic] {
            for normalisation in [WeightNormalisation.exact, .none] {
                var c = FixedPointConfiguration(weightBits: 10, contextBits: 10, thresholdBits: 16, accumulatorBits: 28)
                c.rounding = rounding
                c.normalisation = normalisation
                cases.append(("10-bit \(rounding) \(normalisation)", c))
            }
        }
        var narrow = FixedPointConfiguration(weightBits: 4, contextBits: 6, thresholdBits: 12, accumulatorBits: 16)
        narrow.overflow = .wrap
        cases.append(("4-bit wrap", narrow))
        for (name, c) in cases {
            let (lanes, scalar) = try trainBoth(c, parameters: FeastParameters(neurons: 6, radius: 3, eta: 1.0 / 128))
            XCTAssertEqual(lanes.rawWeights, scalar.rawWeights, name)
            XCTAssertEqual(lanes.rawThresholds, scalar.rawThresholds, name)
            XCTAssertEqual(lanes.randomState, scalar.randomState, name)
            XCTAssertEqual(lanes.arithmeticCounters, scalar.arithmeticCounters, name)
            XCTAssertGreaterThan(lanes.counters.wins, 1000, name)
        }
    }

    func testSixteenLaneFractionsEqualTheScalarFraction() {
        var rng = SplitMix64(state: 99)
        for bits in Int64(0)...32 {
            for _ in 0..<50 {
                let draw = rng.next(), base = Int(rng.below(5000))
                let lanes = FixedPointMath.fractions(draw, from: SIMD16<UInt32>((0..<16).map { UInt32(base + $0) }), bits: bits)
                for j in 0..<16 {
                    XCTAssertEqual(Int64(lanes[j]), FixedPointMath.fraction(draw, base + j, bits: bits), "bits \(bits)")
                    XCTAssertLessThan(Int64(lanes[j]), Int64(1) << bits)
                }
            }
        }
    }
}
