import XCTest
import FeastAnalysis
import FeastCore
import FeastEvents
import FeastSimulator

/// Issue 7's validation where the answer is known: recordings made of K
/// local patterns plus sparse noise need K neurons for the patterns and one
/// for noise, so the noise heuristic must recommend N within ±25 % of K + 1.
///
/// Noise here is as frequent as each pattern (share 1/(K+1) of the events):
/// the heuristic counts the local features at least as frequent as noise,
/// since homeostasis gives every neuron the same share of wins and a neuron
/// can only specialise in noise once 1/N ≤ the noise share.
final class KnownPatternsSizeTests: XCTestCase {
    static func study(k: Int) throws -> (rows: [SizeRow], recommendation: SizeRecommendation) {
        // 15 instances of 7×7 = 49 events per 300 ms recording: 735/K events
        // per pattern; the same number of noise events over 34×34 pixels.
        let probe = KnownPatternsGenerator(k: k, radius: 2, seed: 7)
        let patternEvents = Double(probe.instancesPerRecording * (2 * probe.halfSize + 1) * (2 * probe.halfSize + 1))
        let rate = patternEvents / Double(k) / (Double(probe.geometry.pixelCount) * Double(probe.duration) / 1e6)
        let generator = KnownPatternsGenerator(k: k, radius: 2, backgroundRate: rate, seed: 7)
        let recordings = (0..<60).map { generator.recording(index: $0).events }
        let split = SizeStudy.Split(events: recordings, labels: [Int](repeating: 0, count: recordings.count))
        var base = FeastParameters()
        base.radius = 2
        base.eta = 0.01
        base.thresholdRise = 0.01
        base.thresholdFall = 0.002
        let study = SizeStudy(base: base, epochs: 3, classes: 1, classifier: nil)
        let step = max(1, k / 8)
        let sweep = Array(stride(from: max(2, k / 2), through: 2 * k, by: step))
        let rows = try study.run(sweep.map { SizeConfiguration(neurons: $0, tau: 5_000, seed: 1) }, train: split, test: nil)
        let rec = SizeRecommendation(sweep: rows.map { ($0.configuration.neurons, $0.noise.isNoiseNeuron, $0.isolatedEventShare) })
        return (rows, rec)
    }

    func check(k: Int) throws {
        let (rows, rec) = try Self.study(k: k)
        for r in rows {
            print(String(format: "K=%d N=%3d noise=%@ centre=%.3f isolatedShare=%.2f eventShare=%.3f isolatedEvents=%.3f",
                         k, r.configuration.neurons, r.noise.isNoiseNeuron ? "yes" : "no ", r.noise.centreWeight,
                         r.noise.isolatedShare, r.noise.eventShare, r.isolatedEventShare))
        }
        print("K=\(k): \(rec.reason)")
        let target = Double(k + 1)
        XCTAssertLessThanOrEqual(abs(Double(rec.neurons) - target), 0.25 * target,
                                 "K=\(k): recommended \(rec.neurons), expected within ±25 % of \(k + 1)")
        // The network confirms the estimate: its noise neuron appears shortly
        // after N̂ (measured: 1–2 neurons later; it needs a little slack beyond
        // the bare homeostatic minimum), never before it by more than one.
        let observed = try XCTUnwrap(rec.observedNoiseNeuronFrom, "K=\(k): no noise neuron in the sweep")
        XCTAssertGreaterThanOrEqual(observed, rec.estimate - 1, "K=\(k): noise neuron from N = \(observed), N̂ = \(rec.estimate)")
        XCTAssertLessThanOrEqual(observed, rec.estimate + max(2, rec.estimate / 4), "K=\(k): noise neuron from N = \(observed), N̂ = \(rec.estimate)")
    }

    func testNoiseHeuristicRecommendsAboutKPlusOneForFourPatterns() throws { try check(k: 4) }
    func testNoiseHeuristicRecommendsAboutKPlusOneForEightPatterns() throws { try check(k: 8) }
    func testNoiseHeuristicRecommendsAboutKPlusOneForSixteenPatterns() throws { try check(k: 16) }
}
