import XCTest
@testable import FeastLearning

final class MetricsTests: XCTestCase {
    func testAccuracyPerClassAndConfusionAgreeWithHandCounts() throws {
        let truth = [0, 0, 1, 1, 1, 2]
        let predicted = [0, 1, 1, 1, 0, 2]
        XCTAssertEqual(try Metrics.accuracy(predicted: predicted, truth: truth), 4.0 / 6)
        let cm = try ConfusionMatrix(predicted: predicted, truth: truth, classes: 4)
        XCTAssertEqual(cm.counts, [[1, 1, 0, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]])
        XCTAssertEqual(cm.total, 6)
        XCTAssertEqual(cm.accuracy, 4.0 / 6)
        XCTAssertEqual(try Metrics.perClassAccuracy(predicted: predicted, truth: truth, classes: 4), [0.5, 2.0 / 3, 1, nil])
        XCTAssertEqual(cm.description, """
            true\\pred   0   1   2   3   acc
               0        1   1   0   0  0.500
               1        1   2   0   0  0.667
               2        0   0   1   0  1.000
               3        0   0   0   0    -  
            """)
    }

    func testMismatchedLabelListsAreRejected() {
        XCTAssertThrowsError(try Metrics.accuracy(predicted: [0, 1], truth: [0])) {
            XCTAssertEqual("\($0)", "dimension mismatch: predicted vs true labels: expected 1, got 2")
        }
        XCTAssertThrowsError(try ConfusionMatrix(predicted: [0, 5], truth: [0, 1], classes: 3)) {
            XCTAssertEqual("\($0)", "label out of range: sample 1 has label 5, expected 0..<3")
        }
    }

    func testStratifiedFoldsPartitionTheSamplesEvenlyAndReproducibly() throws {
        let labels = (0..<103).map { $0 % 4 == 0 ? 0 : ($0 % 4 == 1 ? 1 : 2) }
        let folds = try CrossValidation.stratifiedFolds(labels: labels, folds: 5, seed: 3)
        XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<103))
        XCTAssertLessThanOrEqual(folds.map(\.count).max()! - folds.map(\.count).min()!, 1)
        for c in 0..<3 {
            let perFold = folds.map { f in f.filter { labels[$0] == c }.count }
            XCTAssertLessThanOrEqual(perFold.max()! - perFold.min()!, 1, "class \(c)")
        }
        XCTAssertEqual(try CrossValidation.stratifiedFolds(labels: labels, folds: 5, seed: 3), folds)
        XCTAssertNotEqual(try CrossValidation.stratifiedFolds(labels: labels, folds: 5, seed: 4), folds)
        XCTAssertThrowsError(try CrossValidation.stratifiedFolds(labels: [0, 1], folds: 3, seed: 1)) {
            XCTAssertEqual("\($0)", "cross-validation: cannot make 3 folds from 2 samples (need 2 <= folds <= samples)")
        }
    }

    func testCrossValidationIsReproducibleFromTheSeedAndIndependentOfParallelism() throws {
        let (x, labels) = Synthetic.blobs(classes: 3, dimension: 4, perClass: 30, sigma: 2.5, seed: 21)
        let serial = try CrossValidation.run(x, labels: labels, classes: 3, folds: 5, seed: 9) { try ClassifierRegistry.builtIn.make("logistic") }
        let again = try CrossValidation.run(x, labels: labels, classes: 3, folds: 5, seed: 9, concurrency: 3) { try ClassifierRegistry.builtIn.make("logistic") }
        XCTAssertEqual(serial.foldAccuracies, again.foldAccuracies)
        XCTAssertEqual(serial.confusion, again.confusion)
        XCTAssertEqual(serial.confusion.total, 90)
        XCTAssertGreaterThan(serial.accuracy, 0.6)   // overlapping blobs: learnable but not trivial
        XCTAssertLessThan(serial.accuracy, 1.0)
        let other = try CrossValidation.run(x, labels: labels, classes: 3, folds: 5, seed: 10) { try ClassifierRegistry.builtIn.make("logistic") }
        XCTAssertNotEqual(serial.foldAccuracies, other.foldAccuracies)
    }

    func testMeanSpreadUsesTheSampleStandardDeviation() {
        let s = MeanSpread([0.9, 0.92, 0.94])
        XCTAssertEqual(s.mean, 0.92, accuracy: 1e-12)
        XCTAssertEqual(s.spread, 0.02, accuracy: 1e-12)
        XCTAssertEqual(s.description, "0.920 ± 0.020")
        XCTAssertEqual(MeanSpread([0.5]).spread, 0)
        XCTAssertEqual(MeanSpread.overSeeds([1, 2, 3]) { Double($0) }.mean, 2)
    }

    func testConfusionMatrixFromCountsIsCheckedAndAddsUp() throws {
        let a = try ConfusionMatrix(counts: [[3, 1], [0, 2]]), b = try ConfusionMatrix(counts: [[1, 0], [2, 2]])
        var sum = a
        try sum.add(b)
        XCTAssertEqual(sum.counts, [[4, 1], [2, 4]])
        XCTAssertEqual(sum.accuracy, 8.0 / 11.0)
        XCTAssertThrowsError(try ConfusionMatrix(counts: [[1, 2], [3]])) {
            XCTAssertEqual("\($0)", "dimension mismatch: confusion matrix columns: expected 2, got 1")
        }
        XCTAssertThrowsError(try ConfusionMatrix(counts: [[1, -2], [3, 4]])) {
            XCTAssertEqual("\($0)", "saved state of confusion matrix: field 'counts[0][1] = -2': expected a count ≥ 0")
        }
    }
}
