import Foundation
import XCTest
import FeastCore
import FeastEvents
@testable import FeastLearning

final class StageEvaluationTests: XCTestCase {
    func smallEvaluation() -> StageEvaluation {
        StageEvaluation(parameters: FeastParameters(neurons: 8, radius: 3), classifiers: ["centroid", "ridge"], seeds: [1, 2], folds: 3)
    }

    func testEveryStageAndClassifierIsScoredAndConcurrencyDoesNotChangeResults() throws {
        let train = SyntheticRecordings.recordings(30), test = Array(SyntheticRecordings.recordings(45).suffix(15))
        var e = smallEvaluation()
        e.concurrency = 1
        let serial = try e.run(train: train, test: test, open: SyntheticRecordings.open)
        e.concurrency = 3
        let parallel = try e.run(train: train, test: test, open: SyntheticRecordings.open)
        // a: pixels; b: hist and hist:polarity,pool=4,norm=sqrt; c: hist; d: hist:polarity,pool=4,norm=sqrt — × 2 classifiers.
        XCTAssertEqual(serial.results.map { "\($0.stage.rawValue) \($0.features) \($0.classifier)" }, [
            "a pixels centroid", "a pixels ridge",
            "b hist centroid", "b hist ridge", "b hist:polarity,pool=4,norm=sqrt centroid", "b hist:polarity,pool=4,norm=sqrt ridge",
            "c hist centroid", "c hist ridge", "d hist:polarity,pool=4,norm=sqrt centroid", "d hist:polarity,pool=4,norm=sqrt ridge",
        ])
        XCTAssertEqual(serial.results.map(\.test), parallel.results.map(\.test))
        XCTAssertEqual(serial.results.map(\.crossValidation), parallel.results.map(\.crossValidation))
        XCTAssertEqual(serial.results.map(\.confusion), parallel.results.map(\.confusion))
        for r in serial.results {
            XCTAssertEqual(r.test.values.count, 2)
            XCTAssertEqual(r.crossValidation?.values.count, 2)
            XCTAssertEqual(r.confusion.total, 2 * test.count, "summed over seeds")
        }
        XCTAssertEqual(serial.training.count, 2, "one trained layer per seed")
        // The synthetic classes sit at different places: the pixel baseline separates them.
        XCTAssertGreaterThanOrEqual(serial.results[0].test.mean, 0.9)
        let best = try XCTUnwrap(serial.best)
        XCTAssertEqual(best.test.mean, serial.results.map(\.test.mean).max())
        XCTAssertTrue(serial.table.contains("d trained, pooled"), serial.table)
    }

    func testAPerPolarityLayerPoolsWithoutAnExtraPolaritySplit() {
        XCTAssertEqual(StageEvaluation.defaultPooledFeatures(for: FeastParameters(polarityMode: .perPolarity)).map(\.description), ["hist:pool=4,norm=sqrt"])
        XCTAssertEqual(StageEvaluation.defaultPooledFeatures(for: FeastParameters(polarityMode: .shared)).map(\.description), ["hist:polarity,pool=4,norm=sqrt"])
    }

    func testUnknownClassifierNamesAndBadOptionsFailBeforeAnyWork() {
        var e = smallEvaluation()
        e.classifiers = ["logistic", "svm"]
        XCTAssertThrowsError(try e.run(train: [], test: [])) { error in
            XCTAssertEqual("\(error)", "unknown classifier 'svm'; known classifiers: centroid, ridge, logistic, elm, knn")
        }
        e.classifiers = ["knn:k=0"]
        XCTAssertThrowsError(try e.validate()) { error in
            XCTAssertEqual("\(error)", "classifier knn: option 'k': expected an integer >= 1, got '0'")
        }
        e.classifiers = ["ridge"]
        e.folds = 1
        XCTAssertThrowsError(try e.validate()) { XCTAssertEqual("\($0)", "folds 1: expected at least 2 folds") }
        e.folds = nil
        e.baselineFeatures = [FeatureSpec(kind: .hist)]
        XCTAssertThrowsError(try e.validate()) {
            XCTAssertEqual("\($0)", "feature spec 'hist': win histograms need a FEAST layer; use 'pixels' for raw events")
        }
    }

    func testStageListsAreParsedStrictly() throws {
        XCTAssertEqual(try EvaluationStage.parseList("d,a"), [.a, .d])
        XCTAssertThrowsError(try EvaluationStage.parseList("a,f")) {
            XCTAssertEqual("\($0)", "stages 'a,f': unknown stage 'f'; expected a comma-separated subset of a, b, c, d, e")
        }
        XCTAssertThrowsError(try EvaluationStage.parseList("c,c")) { XCTAssertEqual("\($0)", "stages 'c,c': stage c given twice") }
    }

    func testAUserClassifierRegisteredByNameIsEvaluated() throws {
        struct Majority: Classifier {
            var name: String { "majority" }
            var counts: [Double] = []
            init() {}
            mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
                counts = [Double](repeating: 0, count: classes)
                for l in labels { counts[l] += 1 }
            }
            func scores(_ x: Matrix) throws -> Matrix { try Matrix(Array(repeating: counts, count: x.rows)) }
            func state() throws -> ClassifierState { var s = ClassifierState(name: name); s.set("counts", counts); return s }
            init(state: ClassifierState) throws { counts = try state.array("counts") }
        }
        var e = smallEvaluation()
        e.registry.register(Majority.self, name: "majority", standardisation: nil) { _ in Majority() }
        e.classifiers = ["majority"]
        e.stages = [.a]
        let train = SyntheticRecordings.recordings(31), test = Array(SyntheticRecordings.recordings(40).suffix(9))
        let report = try e.run(train: train, test: test, open: SyntheticRecordings.open)
        // Train has 11 of class 0 (indices 0, 3, …, 30): always predicts 0; test has 3 of 9.
        XCTAssertEqual(report.results.map(\.test.mean), [3.0 / 9.0])
    }

    /// The default layer on the real subset: trained on Train, scored on
    /// Test, one seed. Learning beats the untrained control on the same
    /// features. (The goal accuracy of stage d is checked end to end by
    /// EvaluateCommandTests.)
    func testLearningBeatsTheUntrainedControlOnRealRecordings() throws {
        _ = try NMNISTSmall.recordings()
        let (train, test) = try Dataset.load(path: NMNISTSmall.folder.path).split()
        XCTAssertEqual(train.count, 801)
        XCTAssertEqual(test.count, 100)
        var e = StageEvaluation()
        e.stages = [.b, .c]
        let report = try e.run(train: train.recordings, test: test.recordings)
        print(report.table)
        let untrained = try XCTUnwrap(report.results.first { $0.stage == .b && $0.features == "hist" })
        let trained = try XCTUnwrap(report.results.first { $0.stage == .c })
        XCTAssertGreaterThan(trained.test.mean, untrained.test.mean, "learning improves the win-count features")
        XCTAssertGreaterThanOrEqual(trained.test.mean, 0.9)
    }
}
