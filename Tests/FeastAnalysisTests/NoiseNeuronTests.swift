import XCTest
import FeastAnalysis

final class NoiseNeuronTests: XCTestCase {
    /// Three neurons over a 3×3 kernel (centre index 4).
    private func weights(centreOf neuron: Int, centre: Float) -> [Float] {
        var w = [Float]()
        for n in 0..<3 {
            if n == neuron {
                let rest = ((1 - centre * centre) / 8).squareRoot()
                w += (0..<9).map { $0 == 4 ? centre : rest }
            } else {
                w += [Float](repeating: 1 / 3, count: 9)
            }
        }
        return w
    }

    func testCentreConcentratedNeuronWinningIsolatedEventsIsANoiseNeuron() {
        let r = NoiseNeuronReport(weights: weights(centreOf: 2, centre: 0.95), kernel: 9, centres: [4],
                                  isolatedWins: [1, 2, 17], allWins: [100, 80, 20])
        XCTAssertEqual(r.candidate, 2)
        XCTAssertEqual(r.centreWeight, 0.95, accuracy: 1e-6)
        XCTAssertEqual(r.isolatedShare, 0.85, accuracy: 1e-12)
        XCTAssertEqual(r.eventShare, 0.1, accuracy: 1e-12)
        XCTAssertEqual(r.purity, 0.85, accuracy: 1e-12)
        XCTAssertTrue(r.isNoiseNeuron)
    }

    func testANeuronLivingOnPatternsIsNotANoiseNeuronEvenWithACentreWeight() {
        let r = NoiseNeuronReport(weights: weights(centreOf: 0, centre: 0.9), kernel: 9, centres: [4],
                                  isolatedWins: [1, 5, 5], allWins: [10, 10, 10])
        XCTAssertEqual(r.candidate, 0)
        XCTAssertFalse(r.isNoiseNeuron)
    }

    func testSpreadWeightsAreNotANoiseNeuron() {
        let r = NoiseNeuronReport(weights: weights(centreOf: 1, centre: 0.5), kernel: 9, centres: [4],
                                  isolatedWins: [0, 9, 0], allWins: [10, 10, 10])
        XCTAssertFalse(r.isNoiseNeuron)
    }

    func testRecommendationIsTheSmallestSweptNAtOrAboveOneOverTheIsolatedShare() {
        // f = 0.12 → N̂ = ⌈8.33⌉ = 9 → the sweep's 10
        let rec = SizeRecommendation(sweep: [(4, false, 0.11), (6, true, 0.12), (8, false, 0.13), (10, true, 0.12), (12, true, 0.12)])
        XCTAssertEqual(rec.estimate, 9)
        XCTAssertEqual(rec.neurons, 10)
        XCTAssertEqual(rec.observedNoiseNeuronFrom, 10)
        XCTAssertEqual(rec.isolatedShare, 0.12, accuracy: 1e-12)
    }

    func testRecommendationBeyondTheSweepIsTheLargestNAndSaysSo() {
        let rec = SizeRecommendation(sweep: [(8, false, 0.05), (4, false, 0.05)])
        XCTAssertEqual(rec.estimate, 20)
        XCTAssertEqual(rec.neurons, 8)
        XCTAssertNil(rec.observedNoiseNeuronFrom)
        XCTAssertTrue(rec.reason.contains("extend the sweep"), rec.reason)
    }
}
