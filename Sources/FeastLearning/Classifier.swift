/// A back-end classifier over feature matrices (one row per recording).
///
/// Contract: `fit` learns from `x` (n × d) and `labels` (n values in
/// `0..<classes`); afterwards `scores` gives an n' × classes matrix (larger =
/// more likely) for any n' × d matrix, and `predict` the arg-max class per row
/// (ties to the lowest class unless the type says otherwise). `state` holds
/// everything needed to rebuild the fitted classifier with `init(state:)`, so
/// predictions after a save/load round trip are identical. Fitting is
/// deterministic: the same data, options and seed give the same model.
///
/// A user type conforming to this protocol plugs into ``ClassifierRegistry``
/// and from there into `feast evaluate`.
public protocol Classifier: Sendable {
    /// Registry name (`centroid`, `ridge`, …); also `ClassifierState.name`.
    var name: String { get }
    /// Learns from `x` and `labels`; throws on shape or label errors.
    mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws
    /// Class scores, `x.rows × classes`.
    func scores(_ x: Matrix) throws -> Matrix
    /// Predicted class per row.
    func predict(_ x: Matrix) throws -> [Int]
    /// The fitted model as plain arrays and scalars (throws if not fitted).
    func state() throws -> ClassifierState
    /// Rebuilds a fitted classifier from ``state()``.
    init(state: ClassifierState) throws
}

extension Classifier {
    /// Arg-max of ``scores(_:)`` per row, ties to the lowest class.
    public func predict(_ x: Matrix) throws -> [Int] {
        try Self.argmaxRows(scores(x))
    }

    /// Index of the largest value in each row, ties to the lowest index.
    public static func argmaxRows(_ s: Matrix) -> [Int] {
        (0..<s.rows).map { r in
            var best = 0
            for c in 1..<max(s.cols, 1) where s[r, c] > s[r, best] { best = c }
            return best
        }
    }
}

/// Shared argument checks, so every classifier reports the same errors.
public enum ClassifierChecks {
    /// Throws unless `x` has rows, `labels` matches, `classes >= 1` and every
    /// label is in `0..<classes`.
    public static func training(_ x: Matrix, labels: [Int], classes: Int, classifier: String) throws {
        guard x.rows > 0, classes >= 1 else { throw FeastLearningError.emptyTrainingSet(classifier: classifier) }
        guard labels.count == x.rows else {
            throw FeastLearningError.dimensionMismatch(context: "\(classifier): labels vs feature rows", expected: x.rows, got: labels.count)
        }
        if let i = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw FeastLearningError.labelOutOfRange(index: i, label: labels[i], classes: classes)
        }
    }

    /// Throws unless `x` has the `dimension` columns the model was fitted on.
    public static func features(_ x: Matrix, dimension: Int, classifier: String) throws {
        guard x.cols == dimension else {
            throw FeastLearningError.dimensionMismatch(context: "\(classifier): feature columns vs fitted model", expected: dimension, got: x.cols)
        }
    }
}
