import Foundation
import XCTest
@testable import FeastLearning

/// The raw-event baseline on real N-MNIST recordings. Known point (plain C +
/// scikit-learn logistic regression): per-pixel counts 0.83–0.85 in 5-fold CV.
///
/// Release builds only (as CI runs them): unoptimised, the CV fits take ~10 min.
final class RealDataTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("real-data tests run in release builds: swift test -c release -Xswiftc -enable-testing --filter RealDataTests")
        #endif
    }

    func testPixelCountBaselineReachesEightyPercentInCrossValidation() throws {
        let (x, labels) = try NMNISTSmall.pixelFeatures(split: "train")
        XCTAssertEqual(x.rows, 801)
        XCTAssertEqual(x.cols, 2 * 34 * 34)
        XCTAssertEqual(Set(labels), Set(0..<10))
        var best = ("", 0.0)
        for spec in ["logistic", "ridge", "knn"] {
            let cv = try CrossValidation.run(x, labels: labels, classes: 10, folds: 5, seed: 1, concurrency: 2) {
                try ClassifierRegistry.builtIn.make(spec)
            }
            print("pixel counts, \(spec), 5-fold CV: pooled \(format3(cv.accuracy)), folds \(cv.summary)")
            XCTAssertGreaterThanOrEqual(cv.accuracy, 0.80, spec)
            if cv.accuracy > best.1 { best = (spec, cv.accuracy) }
        }
        print("pixel counts: best classifier \(best.0) at \(format3(best.1))")
    }

    func testPixelCountBaselineOnTheTestSplit() throws {
        let (train, trainLabels) = try NMNISTSmall.pixelFeatures(split: "train")
        let (test, testLabels) = try NMNISTSmall.pixelFeatures(split: "test")
        XCTAssertEqual(test.rows, 100)
        var model = try ClassifierRegistry.builtIn.make("logistic")
        try model.fit(train, labels: trainLabels, classes: 10)
        let predicted = try model.predict(test)
        let cm = try ConfusionMatrix(predicted: predicted, truth: testLabels, classes: 10)
        print("pixel counts, logistic, train → test: \(format3(cm.accuracy))\n\(cm)")
        XCTAssertGreaterThanOrEqual(cm.accuracy, 0.75)
        // The saved model predicts the same on real data.
        XCTAssertEqual(try ClassifierRegistry.builtIn.restore(model.state()).predict(test), predicted)
    }

    /// Opt-in sweep (FEAST_LEARNING_SWEEP=1): every classifier and a grid of
    /// regularisation values on pixel-count features, 5-fold CV × 3 seeds,
    /// with fit times. Prints a table; asserts nothing beyond running.
    func testSweepClassifiersOnPixelCounts() throws {
        guard ProcessInfo.processInfo.environment["FEAST_LEARNING_SWEEP"] == "1" else {
            throw XCTSkip("set FEAST_LEARNING_SWEEP=1 to run the classifier sweep")
        }
        let specs = (ProcessInfo.processInfo.environment["FEAST_LEARNING_SPECS"] ?? "logistic,ridge,elm,knn,centroid")
            .split(separator: ";").map(String.init)
        let block = Int(ProcessInfo.processInfo.environment["FEAST_LEARNING_BLOCK"] ?? "1")!
        let (x, labels) = try NMNISTSmall.pixelFeatures(split: "train", extractor: PixelCountExtractor(block: block))
        for spec in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let start = Date()
            let s = try MeanSpread.overSeeds([1, 2, 3]) { seed in
                try CrossValidation.run(x, labels: labels, classes: 10, folds: 5, seed: seed, concurrency: 2) {
                    try ClassifierRegistry.builtIn.make(spec, seed: seed)
                }.accuracy
            }
            let cvTime = Date().timeIntervalSince(start)
            var model = try ClassifierRegistry.builtIn.make(spec, seed: 1)
            let fitStart = Date()
            try model.fit(x, labels: labels, classes: 10)
            let fitTime = Date().timeIntervalSince(fitStart)
            let iterations = (model as? Standardised<LogisticRegression>)?.base.iterations ?? (model as? LogisticRegression)?.iterations
            print("SWEEP block=\(block) \(spec): \(s) [\(s.values.map(format3).joined(separator: " "))] CV \(format3(cvTime)) s; one fit on \(x.rows)×\(x.cols): \(format3(fitTime)) s\(iterations.map { ", \($0) iterations" } ?? "")")
        }
    }
}
