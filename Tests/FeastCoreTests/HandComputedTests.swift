import FeastCore
import FeastEvents
import XCTest

/// A 5×5 sensor, R = 1 (K = 9), two neurons, three events, checked against
/// values computed by hand (see the comments; τ = 20 000 µs).
final class HandComputedTests: XCTestCase {
    let geometry = SensorGeometry(width: 5, height: 5)
    var parameters: FeastParameters {
        FeastParameters(neurons: 2, radius: 1, tau: 20_000, eta: 0.5, thresholdRise: 0.1, thresholdFall: 0.05)
    }

    func floatLayer() throws -> FeastLayer<FloatArithmetic> {
        var s = try FeastLayer<FloatArithmetic>(parameters: parameters, geometry: geometry, arithmetic: .init()).state
        s.weights = [Float](repeating: 0, count: 18)
        s.weights[4] = 0.6; s.weights[5] = 0.8           // w0 = 0.6 e4 + 0.8 e5
        s.weights[9 + 4] = 0.8; s.weights[9 + 7] = 0.6   // w1 = 0.8 e4 + 0.6 e7
        s.thresholds = [0.7, 0.9]
        return try FeastLayer<FloatArithmetic>(restoring: s)
    }

    func testFloatContextScoresWinnerAndUpdatesMatchHandComputation() throws {
        var layer = try floatLayer()
        // A: (2,2) t=0, nothing else fired: c = e4, d = (0.6, 0.8) < θ = (0.7, 0.9): miss, θ −= 0.05.
        let a = layer.step(Event(t: 0, x: 2, y: 2, polarity: 1), learn: true)
        XCTAssertEqual(a.winner, -1)
        XCTAssertEqual(a.context[4], 1, accuracy: 1e-6)
        XCTAssertEqual(a.context.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(a.scores[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(a.scores[1], 0.8, accuracy: 1e-6)
        XCTAssertEqual(a.eligible, [false, false])
        XCTAssertEqual(a.thresholdsAfter[0], 0.65, accuracy: 1e-6)
        XCTAssertEqual(a.thresholdsAfter[1], 0.85, accuracy: 1e-6)
        // B: (1,2) t=1000: centre 1, (2,2) → k=5 with e^-0.05; normalised (0.724554, 0.689218).
        let b = layer.step(Event(t: 1000, x: 1, y: 2, polarity: 1), learn: true)
        XCTAssertEqual(b.context[4], 0.724554, accuracy: 1e-6)
        XCTAssertEqual(b.context[5], 0.689218, accuracy: 1e-6)
        XCTAssertEqual(b.scores[0], 0.986107, accuracy: 1e-6)
        XCTAssertEqual(b.scores[1], 0.579644, accuracy: 1e-6)
        XCTAssertEqual(b.eligible, [true, false])
        XCTAssertEqual(b.winner, 0)
        // w0 ← normalise(0.5 w0 + 0.5 c) = (0.664590, 0.747209); θ0 = 0.65 + 0.1.
        let w0 = layer.weights(population: 0, neuron: 0)
        XCTAssertEqual(Double(w0[4]), 0.664590, accuracy: 1e-6)
        XCTAssertEqual(Double(w0[5]), 0.747209, accuracy: 1e-6)
        XCTAssertEqual(w0.enumerated().filter { $0.offset != 4 && $0.offset != 5 }.map(\.element), [0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(b.thresholdsAfter[0], 0.75, accuracy: 1e-6)
        XCTAssertEqual(b.thresholdsAfter[1], 0.85, accuracy: 1e-6)
        XCTAssertEqual(layer.weights(population: 0, neuron: 1)[4], 0.8, "the loser's weights do not move")
        // C: (2,3) t=1500: (1,2) age 500 → k=0, (2,2) age 1500 → k=1, centre k=4.
        let c = layer.step(Event(t: 1500, x: 2, y: 3, polarity: 0), learn: true)
        XCTAssertEqual(c.context[0], 0.581621, accuracy: 1e-6)
        XCTAssertEqual(c.context[1], 0.553255, accuracy: 1e-6)
        XCTAssertEqual(c.context[4], 0.596344, accuracy: 1e-6)
        XCTAssertEqual(c.scores[0], 0.396324, accuracy: 1e-6)
        XCTAssertEqual(c.scores[1], 0.477076, accuracy: 1e-6)
        XCTAssertEqual(c.winner, -1)
        XCTAssertEqual(c.thresholdsAfter[0], 0.70, accuracy: 1e-6)
        XCTAssertEqual(c.thresholdsAfter[1], 0.80, accuracy: 1e-6)
        XCTAssertEqual(layer.counters.misses, 2)
        XCTAssertEqual(layer.counters.wins, 1)
    }

    func testInferenceFreezesWeightsAndThresholds() throws {
        var layer = try floatLayer()
        let before = layer.state
        _ = layer.step(Event(t: 0, x: 2, y: 2, polarity: 1), learn: false)
        let b = layer.step(Event(t: 1000, x: 1, y: 2, polarity: 1), learn: false)
        XCTAssertEqual(b.winner, 0)
        XCTAssertEqual(layer.state.weights, before.weights)
        XCTAssertEqual(layer.state.thresholds, before.thresholds)
    }

    func testFixedPointContextScoresAndUpdatesMatchHandComputation() throws {
        var config = FixedPointConfiguration()   // w, c: 8 bits Q1.7; θ: 16 bits, 14 fractional
        config.etaShift = 1                      // η = 1/2
        config.rounding = .nearest
        let template = try FeastLayer<FixedPointArithmetic>(parameters: parameters, geometry: geometry, arithmetic: config)
        XCTAssertEqual(template.arithmetic.configuration.decayStepShift, 6, "τ/2^8 = 78 µs → 64 µs steps")
        XCTAssertEqual(template.arithmetic.configuration.thresholdRiseSteps, 1638)   // 0.1 · 2^14
        XCTAssertEqual(template.arithmetic.configuration.thresholdFallSteps, 819)    // 0.05 · 2^14
        var s = template.state
        s.rawWeights = [Int32](repeating: 0, count: 18)
        s.rawWeights[4] = 77; s.rawWeights[5] = 102          // 0.6, 0.8 · 128 rounded
        s.rawWeights[9 + 4] = 102; s.rawWeights[9 + 7] = 77
        s.rawThresholds = [11469, 14746]                     // 0.7, 0.9 · 2^14 rounded
        var layer = try FeastLayer<FixedPointArithmetic>(restoring: s)
        // A: c = 128·e4; scores 77·128 = 9856, 102·128 = 13056 (2^-14 LSBs): miss.
        let a = layer.step(Event(t: 0, x: 2, y: 2, polarity: 1), learn: true)
        XCTAssertEqual(a.contextRaw[4], 128)
        XCTAssertEqual(a.scoresRaw, [9856, 13056])
        XCTAssertEqual(a.winner, -1)
        XCTAssertEqual(a.thresholdsAfterRaw, [11469 - 819, 14746 - 819])
        // B: table[1000 >> 6 = 15] = round(128·e^(−960/20000)) = 122; n = ⌊√(128² + 122²)⌋ = 176,
        // r = ⌊2^39/176⌋ = 3123612578; c4 = round(128r/2^32) = 93, c5 = round(122r/2^32) = 89.
        let b = layer.step(Event(t: 1000, x: 1, y: 2, polarity: 1), learn: true)
        XCTAssertEqual(b.contextRaw[4], 93)
        XCTAssertEqual(b.contextRaw[5], 89)
        XCTAssertEqual(b.scoresRaw, [77 * 93 + 102 * 89, 102 * 93])
        XCTAssertEqual(b.winner, 0)
        // w ← round((w + c)/2): (85, 95.5 → 96); ⌊√(85² + 96²)⌋ = 128 keeps them.
        let st = layer.state
        XCTAssertEqual(st.rawWeights[4], 85)
        XCTAssertEqual(st.rawWeights[5], 96)
        XCTAssertEqual(b.thresholdsAfterRaw, [11469 - 819 + 1638, 14746 - 819])
    }
}
