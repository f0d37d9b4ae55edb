import XCTest
@testable import FeastLearning

final class ClassifierTests: XCTestCase {
    private let specs = ["centroid", "ridge", "logistic", "elm", "knn"]

    private func fitted(_ spec: String, _ x: Matrix, _ labels: [Int], classes: Int) throws -> any Classifier {
        var model = try ClassifierRegistry.builtIn.make(spec, seed: 7)
        try model.fit(x, labels: labels, classes: classes)
        return model
    }

    func testEveryClassifierSeparatesGaussianBlobs() throws {
        let (train, trainLabels) = Synthetic.blobs(classes: 4, perClass: 40, seed: 1)
        let (test, testLabels) = Synthetic.blobs(classes: 4, perClass: 25, seed: 2)
        for spec in specs + ["ridge:standardize=off", "logistic:standardize=off", "knn:k=1"] {
            let model = try fitted(spec, train, trainLabels, classes: 4)
            let acc = try Metrics.accuracy(predicted: model.predict(test), truth: testLabels)
            XCTAssertGreaterThanOrEqual(acc, 0.97, spec)
            let s = try model.scores(test)
            XCTAssertEqual(s.rows, test.rows, spec)
            XCTAssertEqual(s.cols, 4, spec)
        }
    }

    func testOnlyNonlinearClassifiersLearnXOR() throws {
        let (train, trainLabels) = Synthetic.xor(count: 400, seed: 11)
        let (test, testLabels) = Synthetic.xor(count: 300, seed: 12)
        for spec in specs {
            let model = try fitted(spec, train, trainLabels, classes: 2)
            let acc = try Metrics.accuracy(predicted: model.predict(test), truth: testLabels)
            if spec == "elm" || spec == "knn" {
                XCTAssertGreaterThanOrEqual(acc, 0.9, spec)
            } else {
                XCTAssertLessThanOrEqual(acc, 0.7, spec)  // a line cannot do XOR
            }
        }
    }

    func testSavedStateRestoresIdenticalPredictionsAndScores() throws {
        let (train, labels) = Synthetic.blobs(classes: 3, dimension: 5, perClass: 20, sigma: 1.5, seed: 5)
        let (test, _) = Synthetic.blobs(classes: 3, dimension: 5, perClass: 20, sigma: 1.5, seed: 6)
        for spec in specs + ["ridge:standardize=off", "knn:standardize=on"] {
            let model = try fitted(spec, train, labels, classes: 3)
            let state = try model.state()
            XCTAssertEqual(state.name, model.name, spec)
            let restored = try ClassifierRegistry.builtIn.restore(state)
            XCTAssertEqual(try restored.predict(test), try model.predict(test), spec)
            XCTAssertEqual(try restored.scores(test), try model.scores(test), spec)
            XCTAssertEqual(try restored.state(), state, spec)
        }
    }

    func testFittingIsDeterministicAndTheELMSeedMatters() throws {
        let (x, labels) = Synthetic.xor(count: 200, seed: 3)
        for spec in specs {
            XCTAssertEqual(try fitted(spec, x, labels, classes: 2).state(), try fitted(spec, x, labels, classes: 2).state(), spec)
        }
        var a = try ClassifierRegistry.builtIn.make("elm", seed: 1), b = try ClassifierRegistry.builtIn.make("elm", seed: 2)
        try a.fit(x, labels: labels, classes: 2)
        try b.fit(x, labels: labels, classes: 2)
        XCTAssertNotEqual(try a.state(), try b.state())
    }

    func testLogisticRegressionReachesTheOptimum() throws {
        // At the optimum the gradient vanishes: Σ_i (p_ic - y_ic) x_i / n + λ w_c = 0.
        let (x, labels) = Synthetic.blobs(classes: 3, dimension: 4, perClass: 15, sigma: 2, seed: 8)
        var model = LogisticRegression(lambda: 0.1, maxIterations: 500, tolerance: 1e-9)
        try model.fit(x, labels: labels, classes: 3)
        let logp = try model.scores(x)
        let w = model.weights!
        for c in 0..<3 {
            for j in 0..<4 {
                var g = 0.1 * w[c, j]
                for i in 0..<x.rows { g += (exp(logp[i, c]) - (labels[i] == c ? 1 : 0)) * x[i, j] / Double(x.rows) }
                XCTAssertEqual(g, 0, accuracy: 1e-7)
            }
        }
    }

    func testMismatchedDimensionsAndLabelsGiveClearErrors() throws {
        let (x, labels) = Synthetic.blobs(classes: 2, dimension: 3, perClass: 5, seed: 1)
        for spec in specs {
            var model = try ClassifierRegistry.builtIn.make(spec)
            XCTAssertThrowsError(try model.predict(x), spec) { XCTAssertEqual("\($0)", "\(model.name): not fitted yet (call fit before predict, scores or state)") }
            XCTAssertThrowsError(try model.fit(x, labels: Array(labels.dropLast()), classes: 2), spec) {
                XCTAssertEqual("\($0)", "dimension mismatch: \(model.name): labels vs feature rows: expected 10, got 9")
            }
            XCTAssertThrowsError(try model.fit(x, labels: labels.map { $0 == 1 ? 2 : 0 }, classes: 2), spec) {
                XCTAssertEqual("\($0)", "label out of range: sample 1 has label 2, expected 0..<2")
            }
            try model.fit(x, labels: labels, classes: 2)
            let wide = Matrix(rows: 2, cols: 4)
            XCTAssertThrowsError(try model.predict(wide), spec) {
                XCTAssertEqual("\($0)", "dimension mismatch: \(model.name): feature columns vs fitted model: expected 3, got 4")
            }
        }
        var empty = NearestCentroid()
        XCTAssertThrowsError(try empty.fit(Matrix(rows: 0, cols: 3), labels: [], classes: 2)) {
            XCTAssertEqual("\($0)", "centroid: cannot fit on an empty training set (need at least one sample and one class)")
        }
    }

    func testCorruptStatesAreRejected() throws {
        let (x, labels) = Synthetic.blobs(classes: 2, dimension: 3, perClass: 5, seed: 1)
        var ridge = RidgeClassifier()
        try ridge.fit(x, labels: labels, classes: 2)
        var state = try ridge.state()
        state.arrays["bias"] = [1, 2, 3]
        XCTAssertThrowsError(try ClassifierRegistry.builtIn.restore(state)) {
            XCTAssertEqual("\($0)", "saved state of ridge: field 'bias': expected 2 values, found 3")
        }
        state.arrays["weights"] = nil
        XCTAssertThrowsError(try RidgeClassifier(state: state)) {
            XCTAssertEqual("\($0)", "saved state of ridge: field 'weights': expected an array (missing)")
        }
        state.name = "forest"
        XCTAssertThrowsError(try ClassifierRegistry.builtIn.restore(state)) {
            XCTAssertEqual("\($0)", "unknown classifier 'forest'; known classifiers: centroid, ridge, logistic, elm, knn")
        }
    }

    func testRegistryParsesOptionsAndNamesUnknownOnes() throws {
        let r = ClassifierRegistry.builtIn
        XCTAssertEqual(r.names, ["centroid", "ridge", "logistic", "elm", "knn"])
        let knn = try r.make("knn:k=7") as? Standardised<KNearestNeighbors>
        XCTAssertEqual(knn?.base.k, 7)
        XCTAssertEqual(knn?.mode, .global)
        XCTAssertEqual((try r.make("knn:standardize=feature") as? Standardised<KNearestNeighbors>)?.mode, .perFeature)
        XCTAssertEqual((try r.make("knn:standardize=off") as? KNearestNeighbors)?.k, KNearestNeighbors.defaultK)
        let ridge = try r.make("ridge:lambda=2.5:standardize=off") as? RidgeClassifier
        XCTAssertEqual(ridge?.lambda, 2.5)
        XCTAssertNotNil(try r.make("ridge") as? Standardised<RidgeClassifier>)
        let elm = try r.make("elm:seed=42:hidden=10", seed: 1) as? Standardised<ExtremeLearningMachine>
        XCTAssertEqual(elm?.base.seed, 42)
        XCTAssertEqual(elm?.base.hidden, 10)
        XCTAssertEqual(try r.makeAll("logistic,knn:k=1,centroid").map(\.name), ["logistic", "knn", "centroid"])
        let errors: [(String, String)] = [
            ("svm", "unknown classifier 'svm'; known classifiers: centroid, ridge, logistic, elm, knn"),
            ("knn:k=0", "classifier knn: option 'k': expected an integer >= 1, got '0'"),
            ("knn:depth=3", "classifier knn: option 'depth': unknown; accepted: k, standardize, seed"),
            ("ridge:lambda=-1", "classifier ridge: option 'lambda': expected a positive number, got '-1'"),
            ("ridge:lambda", "classifier ridge: option 'lambda': expected key=value"),
            ("ridge:standardize=perhaps", "classifier ridge: option 'standardize': expected off, global or feature, got 'perhaps'"),
            ("elm:seed=-3", "classifier elm: option 'seed': expected a non-negative integer, got '-3'"),
        ]
        for (spec, message) in errors {
            XCTAssertThrowsError(try r.make(spec), spec) { XCTAssertEqual("\($0)", message) }
        }
    }

    /// A user's own classifier: predicts the majority training class.
    struct MajorityClass: Classifier {
        var name: String { "majority" }
        var counts: [Double] = []
        init() {}
        mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
            counts = [Double](repeating: 0, count: classes)
            for l in labels { counts[l] += 1 }
        }
        func scores(_ x: Matrix) throws -> Matrix {
            try Matrix(rows: x.rows, cols: counts.count, storage: (0..<x.rows).flatMap { _ in counts })
        }
        func state() throws -> ClassifierState { ClassifierState(name: name, arrays: ["counts": counts], shapes: ["counts": [counts.count]]) }
        init(state: ClassifierState) throws { counts = try state.array("counts") }
    }

    func testAUserClassifierPlugsIntoTheRegistryAndCrossValidation() throws {
        var registry = ClassifierRegistry.builtIn
        registry.register(MajorityClass.self, name: "majority", standardisation: nil) { _ in MajorityClass() }
        let r = registry
        XCTAssertEqual(r.names.last, "majority")
        let labels = [0, 0, 0, 1, 0, 0, 1, 0, 0, 0]
        let x = Matrix(rows: 10, cols: 2)
        let result = try CrossValidation.run(x, labels: labels, classes: 2, folds: 2, seed: 1) { try r.make("majority") }
        XCTAssertEqual(result.accuracy, 0.8)
        var m = try r.make("majority:standardize=on")
        try m.fit(x, labels: labels, classes: 2)
        let restored = try r.restore(m.state())
        XCTAssertTrue(restored is Standardised<MajorityClass>)
        XCTAssertEqual(try restored.predict(x), Array(repeating: 0, count: 10))
    }
}
