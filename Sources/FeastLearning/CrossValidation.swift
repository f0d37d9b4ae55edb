import FeastEvents
/// Seeded, stratified k-fold cross-validation.
public enum CrossValidation {
    /// Test-index sets of `folds` folds: each class's samples are shuffled
    /// with `seed` and dealt round-robin, continuing where the previous class
    /// stopped, so every fold gets nearly the same number of each class and
    /// fold sizes differ by at most one. Indices within a fold are ascending.
    /// Same labels + folds + seed → same folds.
    public static func stratifiedFolds(labels: [Int], folds: Int, seed: UInt64) throws -> [[Int]] {
        guard folds >= 2, folds <= labels.count else { throw FeastLearningError.invalidFolds(folds: folds, samples: labels.count) }
        var byClass = [Int: [Int]]()
        for (i, l) in labels.enumerated() { byClass[l, default: []].append(i) }
        var rng = SplitMix64(seed: seed)
        var out = Array(repeating: [Int](), count: folds)
        var next = 0
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            // Fisher–Yates with the seeded generator.
            for i in stride(from: members.count - 1, to: 0, by: -1) {
                members.swapAt(i, rng.nextIndex(below: i + 1))
            }
            for m in members {
                out[next].append(m)
                next = (next + 1) % folds
            }
        }
        return out.map { $0.sorted() }
    }

    /// The outcome of one cross-validation run.
    public struct Result: Sendable {
        /// Accuracy on each fold's held-out samples.
        public let foldAccuracies: [Double]
        /// Pooled over all folds (every sample predicted once).
        public let confusion: ConfusionMatrix
        /// Mean and spread of the fold accuracies.
        public var summary: MeanSpread { MeanSpread(foldAccuracies) }
        /// Pooled accuracy (correct / samples).
        public var accuracy: Double { confusion.accuracy }
    }

    /// Fits a fresh classifier from `make` on all folds but one and tests on
    /// the held-out fold, for every fold. Folds run in parallel when
    /// `concurrency > 1`; the result does not depend on it.
    public static func run(_ x: Matrix, labels: [Int], classes: Int, folds: Int = 5, seed: UInt64,
                           concurrency: Int = 1, make: @Sendable () throws -> any Classifier) throws -> Result {
        guard labels.count == x.rows else {
            throw FeastLearningError.dimensionMismatch(context: "cross-validation: labels vs feature rows", expected: x.rows, got: labels.count)
        }
        let testSets = try stratifiedFolds(labels: labels, folds: folds, seed: seed)
        let perFold = try parallelMap(testSets, concurrency: concurrency) { test -> (Double, ConfusionMatrix) in
            var held = [Bool](repeating: false, count: x.rows)
            for i in test { held[i] = true }
            let train = (0..<x.rows).filter { !held[$0] }
            var model = try make()
            try model.fit(x.selectingRows(train), labels: train.map { labels[$0] }, classes: classes)
            let predicted = try model.predict(x.selectingRows(test))
            let truth = test.map { labels[$0] }
            let cm = try ConfusionMatrix(predicted: predicted, truth: truth, classes: classes)
            return (try Metrics.accuracy(predicted: predicted, truth: truth), cm)
        }
        var pooled = ConfusionMatrix(classes: classes)
        for (_, cm) in perFold { try pooled.add(cm) }
        return Result(foldAccuracies: perFold.map(\.0), confusion: pooled)
    }
}
