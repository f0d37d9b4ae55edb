import FeastCore
import FeastEvents
import Foundation
import XCTest

/// One learning epoch on the real nmnist-small Train split (801 recordings,
/// 3.3 M events), checking the homeostasis that DESIGN.md predicts.
final class RealDataTests: XCTestCase {
    nonisolated(unsafe) static var cache: [String: [ContiguousArray<Event>]] = [:]   // read once per process; tests run serially
    static func recordings(_ split: String) throws -> [ContiguousArray<Event>] {
        if let r = cache[split] { return r }
        let r = try TestData.nmnistSmall(split)
        cache[split] = r
        return r
    }

    func trainer<A: FeastArithmetic>(_ type: A.Type, _ p: FeastParameters, _ c: A.Configuration, epochs: Int = 1,
                                      monitor: MonitorConfiguration = MonitorConfiguration()) throws -> Trainer<A> {
        Trainer(layer: try FeastLayer<A>(parameters: p, arithmetic: c), epochs: epochs, monitor: monitor)
    }

    func train<A: FeastArithmetic>(_ t: inout Trainer<A>, _ recs: [ContiguousArray<Event>]) throws -> TrainingSummary {
        try t.run(recordingCount: recs.count, open: { ArrayEventSource(recs[$0]) })
    }

    func testMissRateMatchesEquilibriumFormulaAndWinsAreEvenWhileLearning() throws {
        let recs = try Self.recordings("Train")
        for n in [16, 64] {
            var t = try trainer(FloatArithmetic.self, FeastParameters(neurons: n), .init())
            let s = try train(&t, recs)
            let predicted = 0.001 / (0.001 + Double(n) * 0.003)
            print(String(format: "float N=%d: miss %.5f predicted %.5f spread %.3f dead %d converged at %@ ev/s %.0f",
                         n, s.missRate, predicted, s.winRateSpread ?? -1, s.deadNeurons, "\(s.convergedAtEvent.map { "\($0)" } ?? "never")", s.eventsPerSecond))
            XCTAssertEqual(s.predictedMissRate, predicted, accuracy: 1e-7 * predicted, "Δ steps are float32")
            XCTAssertEqual(s.missRate, predicted, accuracy: 0.05 * predicted, "N=\(n)")
            XCTAssertEqual(s.deadNeurons, 0)
            XCTAssertLessThanOrEqual(try XCTUnwrap(s.winRateSpread), 1.2)
            XCTAssertEqual(s.events, 3_328_676)
        }
    }

    func testFixedPointLearningReachesTheSameStatistics() throws {
        let recs = try Self.recordings("Train")
        var t = try trainer(FixedPointArithmetic.self, FeastParameters(neurons: 16), FixedPointConfiguration())
        let s = try train(&t, recs)
        // Quantised steps: Δclose = 16, Δopen = 49 threshold LSBs.
        let predicted = 16.0 / (16.0 + 16 * 49)
        print(String(format: "fixed8 N=16: miss %.5f predicted %.5f spread %.3f dead %d overflows %@", s.missRate, predicted,
                     s.winRateSpread ?? -1, s.deadNeurons, "\(t.layer.arithmetic.counters)"))
        XCTAssertEqual(s.predictedMissRate, predicted, accuracy: 1e-12)
        XCTAssertEqual(s.missRate, predicted, accuracy: 0.05 * predicted)
        XCTAssertEqual(s.deadNeurons, 0)
        XCTAssertLessThanOrEqual(try XCTUnwrap(s.winRateSpread), 1.2)
    }

    func testSixteenBitNetworkPicksTheFloatWinnerInInference() throws {
        let train = try Self.recordings("Train")
        let test = try Self.recordings("Test")
        var t = try trainer(FloatArithmetic.self, FeastParameters(neurons: 16), .init())
        _ = try self.train(&t, Array(train.prefix(300)))
        var float = t.layer
        var c = FixedPointConfiguration(weightBits: 16, contextBits: 16, thresholdBits: 16, accumulatorBits: 40)
        c.timestampBits = 32
        var fixed = try FeastLayer<FixedPointArithmetic>(quantising: float.state, configuration: c)
        var same = 0, total = 0
        for r in test {
            float.reset(); fixed.reset()
            for e in r {
                let a = float.process(e, learn: false), b = fixed.process(e, learn: false)
                total += 1
                if a == b { same += 1 }
            }
        }
        let agreement = Double(same) / Double(total)
        print(String(format: "16-bit fixed vs float winner agreement (inference, Test split): %.4f of %d events", agreement, total))
        XCTAssertGreaterThanOrEqual(agreement, 0.99)
    }

    func testInferenceLeavesTheNetworkUnchanged() throws {
        let recs = try Self.recordings("Test")
        var t = try trainer(FixedPointArithmetic.self, FeastParameters(neurons: 16), FixedPointConfiguration())
        _ = try train(&t, Array(recs.prefix(20)))
        var layer = t.layer
        let before = layer.state
        var out = ContiguousArray<OutputEvent>()
        for r in recs { layer.reset(); layer.process(r, learn: false, into: &out, emitMisses: true) }
        let after = layer.state
        XCTAssertEqual(after.rawWeights, before.rawWeights)
        XCTAssertEqual(after.rawThresholds, before.rawThresholds)
        XCTAssertEqual(after.randomState, before.randomState)
        XCTAssertEqual(out.count, 385_596)
    }

    /// The detector uses thresholds and miss counts only; weight drift (read
    /// from the weights) is the independent check.
    func testConvergenceDetectorAgreesWithWeightDrift() throws {
        let recs = try Self.recordings("Train")
        for n in [16, 64] {
            var t = try trainer(FloatArithmetic.self, FeastParameters(neurons: n), .init(),
                                monitor: MonitorConfiguration(trackWeightDrift: true))
            _ = try train(&t, recs)
            let m = t.monitor
            let converged = try XCTUnwrap(m.convergedAtEvent, "N=\(n) never converged")
            let settled = try XCTUnwrap(m.weightDriftSettledEvent(), "N=\(n) weight drift never settled")
            let before = m.history.filter { $0.event < converged }.compactMap(\.weightDrift)
            let after = m.history.filter { $0.event > converged }.compactMap(\.weightDrift)
            let meanBefore = before.reduce(0, +) / Double(max(1, before.count))
            let meanAfter = after.reduce(0, +) / Double(max(1, after.count))
            print(String(format: "N=%d: thresholds converged at event %lld, weight drift settled at %lld (ratio %.2f); drift before %.4f after %.4f",
                         n, converged, settled, Double(settled) / Double(converged), meanBefore, meanAfter))
            XCTAssertLessThan(converged, 3_328_676 / 2, "converges within the first half epoch")
            XCTAssertLessThan(meanAfter, meanBefore, "weights move less once thresholds are stationary")
        }
    }
}
