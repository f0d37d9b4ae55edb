import FeastCore
import FeastEvents
import XCTest

/// The hardware variants: normalisation strategies, shift decay, wrap and
/// truncation all run, and keep the invariants each one promises.
final class FixedPointVariantsTests: XCTestCase {
    func stream(_ count: Int, seed: UInt64) -> ContiguousArray<Event> {
        var rng = SplitMix64(state: seed)
        var t: Int64 = 0
        return ContiguousArray((0..<count).map { _ in
            t += Int64(rng.below(100))
            return Event(t: t, x: UInt16(6 + rng.below(22)), y: UInt16(6 + rng.below(22)), polarity: UInt8(rng.below(2)))
        })
    }

    func norms(_ layer: FeastLayer<FixedPointArithmetic>) -> [Double] {
        let s = layer.state
        return (0..<s.neurons).map { n in
            s.weights[(n * s.contextLength)..<((n + 1) * s.contextLength)].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        }
    }

    func train(_ c: FixedPointConfiguration, events: Int = 30_000) throws -> FeastLayer<FixedPointArithmetic> {
        var layer = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(neurons: 8, eta: 1.0 / 64), arithmetic: c)
        for e in stream(events, seed: 21) { _ = layer.process(e, learn: true) }
        return layer
    }

    func testExactNormalisationKeepsUnitNorms() throws {
        var c = FixedPointConfiguration(weightBits: 12, contextBits: 12, thresholdBits: 16, accumulatorBits: 32)
        c.normalisation = .exact
        for n in norms(try train(c)) { XCTAssertEqual(n, 1, accuracy: 0.01) }
    }

    func testNewtonStepKeepsNormsNearOne() throws {
        var c = FixedPointConfiguration(weightBits: 12, contextBits: 12, thresholdBits: 16, accumulatorBits: 32)
        c.normalisation = .newton
        for n in norms(try train(c)) { XCTAssertEqual(n, 1, accuracy: 0.03) }
    }

    func testNoNormalisationKeepsNormsBoundedByOneButLetsThemShrink() throws {
        var c = FixedPointConfiguration(weightBits: 12, contextBits: 12, thresholdBits: 16, accumulatorBits: 32)
        c.normalisation = .none
        let ns = norms(try train(c))
        for n in ns { XCTAssertLessThanOrEqual(n, 1.01) }
        XCTAssertLessThan(ns.min()!, 0.97, "convex updates towards varied contexts shrink the norm")
    }

    func testShiftDecayHalvesPerHalfLife() throws {
        var c = FixedPointConfiguration()
        c.decay = .shifts
        let a = try FixedPointArithmetic(configuration: c, parameters: FeastParameters(tau: 20_000), contextLength: 121)
        let h = UInt32(1) << UInt32(a.configuration.halfLifeShift!)
        XCTAssertEqual(h, 16_384, "τ ln 2 = 13 863 µs → 2^14")
        XCTAssertEqual(a.decay(age: 0), 128)
        XCTAssertEqual(a.decay(age: h - 1), 128)
        XCTAssertEqual(a.decay(age: h), 64)
        XCTAssertEqual(a.decay(age: 7 * h), 1)
        XCTAssertEqual(a.horizon, 8 * h)
        XCTAssertNoThrow(try train(c, events: 5000))
    }

    func testWrappingAccumulatorCountsOverflows() throws {
        var c = FixedPointConfiguration()
        c.accumulatorBits = 12          // scores reach ~2^14: must overflow
        c.overflow = .wrap
        let layer = try train(c, events: 3000)
        XCTAssertGreaterThan(layer.arithmetic.counters.accumulatorOverflows, 0)
        var s = FixedPointConfiguration()
        s.accumulatorBits = 12
        s.overflow = .saturate
        let sat = try train(s, events: 3000)
        XCTAssertGreaterThan(sat.arithmetic.counters.accumulatorOverflows, 0)
        XCTAssertLessThan(sat.arithmetic.counters.accumulatorPeak, Int64(1) << 20)
    }

    func testTruncationAtEightBitsLosesTheLearningSteps() throws {
        // η = 2^-10 with 7 fractional weight bits: each step is < 1 LSB, so
        // truncation (and nearest) leave the weights where exact
        // renormalisation puts them; stochastic rounding moves them.
        var t = FixedPointConfiguration()
        t.rounding = .truncate
        t.normalisation = .none
        var layer = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(neurons: 4), arithmetic: t)
        let before = layer.state.rawWeights
        for e in stream(5000, seed: 3) { _ = layer.process(e, learn: true) }
        let after = layer.state.rawWeights
        XCTAssertTrue(zip(before, after).allSatisfy { $1 <= $0 }, "truncation can only shrink (floor of 1023w/1024 + c/1024)")
        var s = t
        s.rounding = .stochastic
        var moving = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(neurons: 4), arithmetic: s)
        for e in stream(5000, seed: 3) { _ = moving.process(e, learn: true) }
        XCTAssertGreaterThan(zip(before, moving.state.rawWeights).filter { $1 > $0 }.count, 0, "stochastic rounding lets weights grow")
    }
}
