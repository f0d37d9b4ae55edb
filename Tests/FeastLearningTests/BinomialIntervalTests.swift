import FeastLearning
import XCTest

/// The Wilson interval against values computed by hand from its formula,
/// and `StageReport.best` choosing by CV, never by the test split.
final class BinomialIntervalTests: XCTestCase {
    func testWilsonIntervalMatchesTheFormulaAtTheUsualPoints() {
        // p̂ = 0.95, n = 100, z = 1.96: centre 0.9338, half-width 0.0449.
        let i = BinomialInterval(accuracy: 0.95, trials: 100)
        XCTAssertEqual(i.lower, 0.8883, accuracy: 5e-4)
        XCTAssertEqual(i.upper, 0.9785, accuracy: 5e-4)
        XCTAssertEqual(i.description, "0.888–0.978")
        // All correct: the upper bound is 1, the lower n / (n + z²).
        let all = BinomialInterval(accuracy: 1, trials: 100)
        XCTAssertEqual(all.upper, 1, accuracy: 1e-12)
        XCTAssertEqual(all.lower, 100 / (100 + 1.959963984540054 * 1.959963984540054), accuracy: 1e-9)
        XCTAssertEqual(BinomialInterval(accuracy: 0, trials: 10).lower, 0, accuracy: 1e-12)
        // A larger split narrows it: about ±3 points at n = 100, ±1 at n = 1000.
        let wide = BinomialInterval(accuracy: 0.97, trials: 100), narrow = BinomialInterval(accuracy: 0.97, trials: 1000)
        XCTAssertGreaterThan(wide.upper - wide.lower, 2.5 * (narrow.upper - narrow.lower))
        XCTAssertEqual(BinomialInterval(accuracy: 0.9, trials: 50, level: 0.99).level, 0.99)
        XCTAssertGreaterThan(BinomialInterval(accuracy: 0.9, trials: 50, level: 0.99).upper, BinomialInterval(accuracy: 0.9, trials: 50).upper)
    }

    private func row(_ classifier: String, test correct: Int, cv: Double?) throws -> StageResult {
        var m = ConfusionMatrix(classes: 2)
        try m.add(predicted: Array(repeating: 0, count: correct) + Array(repeating: 1, count: 10 - correct), truth: Array(repeating: 0, count: 10))
        return try StageResult(stage: .d, features: "hist", classifier: classifier, confusions: [m], crossValidation: cv.map { MeanSpread([$0]) })
    }

    func testBestIsChosenByCrossValidationNotByTheTestSplit() throws {
        let report = StageReport(results: [try row("a", test: 9, cv: 0.80), try row("b", test: 6, cv: 0.85), try row("c", test: 10, cv: 0.85)],
                                 classes: 2, seeds: [1], folds: 5, trainCount: 40, testCount: 10, training: [], timings: StageTimings())
        XCTAssertEqual(report.selection, .crossValidation)
        // b and c tie on CV: the earlier row, although c is better on test.
        XCTAssertEqual(report.best?.classifier, "b")
        XCTAssertEqual(report.testInterval(report.best!)?.upper ?? 0, BinomialInterval(accuracy: 0.6, trials: 10).upper, accuracy: 1e-12)
        let noCV = StageReport(results: [try row("a", test: 9, cv: nil), try row("b", test: 6, cv: nil)],
                               classes: 2, seeds: [1], folds: nil, trainCount: 40, testCount: 10, training: [], timings: StageTimings())
        XCTAssertEqual(noCV.selection, .testSplit)
        XCTAssertEqual(noCV.best?.classifier, "a")
    }
}
