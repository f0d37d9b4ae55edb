/// Accuracy figures over predicted and true labels.
public enum Metrics {
    /// Fraction of positions where `predicted == truth` (0…1); throws when
    /// the lengths differ or are zero.
    public static func accuracy(predicted: [Int], truth: [Int]) throws -> Double {
        guard predicted.count == truth.count else {
            throw FeastLearningError.dimensionMismatch(context: "predicted vs true labels", expected: truth.count, got: predicted.count)
        }
        guard !truth.isEmpty else { throw FeastLearningError.emptyTrainingSet(classifier: "accuracy") }
        var hits = 0
        for i in truth.indices where predicted[i] == truth[i] { hits += 1 }
        return Double(hits) / Double(truth.count)
    }

    /// Per true class: fraction of its samples predicted correctly, `nil`
    /// for a class with no samples.
    public static func perClassAccuracy(predicted: [Int], truth: [Int], classes: Int) throws -> [Double?] {
        try ConfusionMatrix(predicted: predicted, truth: truth, classes: classes).perClassAccuracy
    }
}
