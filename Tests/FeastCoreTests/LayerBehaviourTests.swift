import FeastCore
import FeastEvents
import Foundation
import XCTest

/// Behaviour on synthetic streams: modes, borders, chunking, wrap, snapshots.
final class LayerBehaviourTests: XCTestCase {
    /// A seeded random stream on a 34×34 sensor, `count` events, mean gap 60 µs.
    func stream(_ count: Int, seed: UInt64, start: Int64 = 0) -> ContiguousArray<Event> {
        var rng = SplitMix64(state: seed)
        var t = start
        var out = ContiguousArray<Event>()
        for _ in 0..<count {
            t += Int64(rng.below(120))
            out.append(Event(t: t, x: UInt16(8 + rng.below(18)), y: UInt16(8 + rng.below(18)), polarity: UInt8(rng.below(2))))
        }
        return out
    }

    func testChunkAPIGivesThePerEventResults() throws {
        let events = stream(5000, seed: 3)
        var a = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(), arithmetic: .init())
        var b = a
        var out = ContiguousArray<OutputEvent>()
        a.process(events, learn: true, into: &out, emitMisses: true)
        var expected = ContiguousArray<OutputEvent>()
        for e in events { expected.append(OutputEvent(event: e, neuron: b.process(e, learn: true))) }
        XCTAssertEqual(out, expected)
        XCTAssertEqual(a.state, b.state)
        XCTAssertTrue(out.contains { $0.neuron == -1 } || a.counters.misses == 0)
    }

    func testCopiesAreIndependentValues() throws {
        var a = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(), arithmetic: .init())
        let b = a
        for e in stream(200, seed: 4) { _ = a.process(e, learn: true) }
        XCTAssertNotEqual(a.state.weights, b.state.weights)
        XCTAssertEqual(b.state.weights, try FeastLayer<FloatArithmetic>(parameters: FeastParameters(), arithmetic: .init()).state.weights)
    }

    func testSkipPolicySkipsBorderEventsAndOutsideEventsAreSkipped() throws {
        var layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(borderPolicy: .skip), arithmetic: .init())
        XCTAssertEqual(layer.process(Event(t: 0, x: 4, y: 20, polarity: 1), learn: true), -2)
        XCTAssertEqual(layer.process(Event(t: 1, x: 5, y: 5, polarity: 1), learn: true) >= 0, true)
        XCTAssertEqual(layer.process(Event(t: 2, x: 28, y: 10, polarity: 1), learn: true) >= -1, true)
        XCTAssertEqual(layer.process(Event(t: 3, x: 29, y: 10, polarity: 1), learn: true), -2)
        XCTAssertEqual(layer.process(Event(t: 4, x: 34, y: 0, polarity: 1), learn: true), -2)
        XCTAssertEqual(layer.counters.skipped, 2)
        XCTAssertEqual(layer.counters.outsideSensor, 1)
    }

    func testPerPolarityUsesOnePopulationPerPolarity() throws {
        var layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 4, polarityMode: .perPolarity), arithmetic: .init())
        for e in stream(3000, seed: 5) {
            let w = layer.process(e, learn: true)
            if w >= 0 { XCTAssertEqual(Int(w) / 4, Int(e.polarity), "ON events win in population 1") }
        }
        XCTAssertEqual(layer.state.weights.count, 2 * 4 * 121)
    }

    func testPolarityChannelContextHasTwoChannels() throws {
        var layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 4, polarityMode: .polarityChannel), arithmetic: .init())
        _ = layer.step(Event(t: 0, x: 10, y: 10, polarity: 0), learn: false)
        let t = layer.step(Event(t: 100, x: 11, y: 10, polarity: 1), learn: false)
        XCTAssertEqual(t.context.count, 242)
        XCTAssertEqual(t.context[121 + 60], 1 / (1 + exp(-2 * 100 / 20_000.0)).squareRoot(), accuracy: 1e-6, "ON centre")
        XCTAssertGreaterThan(t.context[59], 0.7, "the OFF pixel left of the centre, in the OFF channel")
    }

    /// Shifting a stream in time across many wraps of a 20-bit counter gives
    /// exactly the results of the unshifted stream: wrap is handled.
    func testNarrowTimestampCounterGivesTheSameResultsAcrossWrap() throws {
        var c = FixedPointConfiguration()
        c.timestampBits = 20   // wraps every 1.05 s; horizon ≈ 111 ms
        let p = FeastParameters(neurons: 8)
        var a = try FeastLayer<FixedPointArithmetic>(parameters: p, arithmetic: c)
        var b = a
        var wide = c
        wide.timestampBits = 32
        var exact = try FeastLayer<FixedPointArithmetic>(parameters: p, arithmetic: wide)
        // Bursts separated by gaps, spanning ~40 wraps without any reset.
        var events = ContiguousArray<Event>()
        var start: Int64 = 0
        for burst in 0..<40 {
            events.append(contentsOf: stream(500, seed: UInt64(burst), start: start))
            start = events.last!.t + Int64([30_000, 700_000, 90_000, 2_000_000][burst % 4])
        }
        let offset: Int64 = (1 << 20) * 7 + 123_457
        for e in events {
            let w1 = a.process(e, learn: true)
            var shifted = e
            shifted.t += offset
            let w2 = b.process(shifted, learn: true)
            let w3 = exact.process(e, learn: true)
            XCTAssertEqual(w1, w2)
            XCTAssertEqual(w1, w3)
            if w1 != w2 || w1 != w3 { return }
        }
        XCTAssertEqual(a.state.rawWeights, exact.state.rawWeights)
    }

    func testSnapshotRoundTripsBitExactlyAndContinuesIdentically() throws {
        for stochastic in [false, true] {
            var c = FixedPointConfiguration()
            if stochastic { c.rounding = .stochastic }
            var fixed = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(neurons: 8, seed: 11), arithmetic: c)
            var float = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 8, seed: 11), arithmetic: .init())
            for e in stream(4000, seed: 8) { _ = fixed.process(e, learn: true); _ = float.process(e, learn: true) }
            let fs = try JSONDecoder().decode(LayerState.self, from: JSONEncoder().encode(fixed.state))
            let gs = try JSONDecoder().decode(LayerState.self, from: JSONEncoder().encode(float.state))
            var fixed2 = try FeastLayer<FixedPointArithmetic>(restoring: fs)
            var float2 = try FeastLayer<FloatArithmetic>(restoring: gs)
            XCTAssertEqual(fixed2.state, fixed.state)
            XCTAssertEqual(float2.state, float.state)
            fixed.reset(); fixed2.reset(); float.reset(); float2.reset()
            for e in stream(4000, seed: 9) {
                XCTAssertEqual(fixed.process(e, learn: true), fixed2.process(e, learn: true))
                XCTAssertEqual(float.process(e, learn: true), float2.process(e, learn: true))
            }
            XCTAssertEqual(fixed2.state, fixed.state)
            XCTAssertEqual(float2.state, float.state)
        }
    }

    func testRestoringAMismatchedSnapshotIsAClearError() throws {
        let s = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(), arithmetic: .init()).state
        XCTAssertThrowsError(try FeastLayer<FixedPointArithmetic>(restoring: s)) {
            XCTAssertEqual("\($0)", "layer snapshot field arithmetic: expected fixed, found float32")
        }
        var t = s
        t.weights.removeLast()
        XCTAssertThrowsError(try FeastLayer<FloatArithmetic>(restoring: t)) {
            XCTAssertEqual("\($0)", "layer snapshot field weights: expected 1936 values, found 1935")
        }
        var v = s
        v.formatVersion = 2
        XCTAssertThrowsError(try FeastLayer<FloatArithmetic>(restoring: v)) {
            XCTAssertEqual("\($0)", "layer snapshot field format_version: expected ≤ 1, found 2")
        }
    }

    func testSameSeedGivesIdenticalStateAndAnotherSeedDoesNot() throws {
        func run(_ seed: UInt64) throws -> LayerState {
            var c = FixedPointConfiguration()
            c.rounding = .stochastic
            var l = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(seed: seed), arithmetic: c)
            for e in stream(3000, seed: 1) { _ = l.process(e, learn: true) }
            return l.state
        }
        XCTAssertEqual(try run(5), try run(5))
        XCTAssertNotEqual(try run(5).rawWeights, try run(6).rawWeights)
    }

    func testInferenceBoundSkipNeverChangesAWinner() throws {
        // Thresholds high enough that many events are misses in inference.
        var l = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 8, thresholdRise: 0.02, thresholdFall: 0.0005), arithmetic: .init())
        for e in stream(20_000, seed: 2) { _ = l.process(e, learn: true) }
        var fast = l
        var traced = l
        var skips = 0
        for e in stream(5000, seed: 3) {
            let w = fast.process(e, learn: false)
            XCTAssertEqual(w, traced.step(e, learn: false).winner)   // step never uses the bound
        }
        skips = Int(fast.counters.boundSkips)
        XCTAssertEqual(fast.state.weights, l.state.weights)
        print("bound skips: \(skips) of 5000 inference events")
    }
}
