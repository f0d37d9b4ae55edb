/// Ridge regression on one-hot targets (1 for the true class, 0 otherwise)
/// with an unpenalised intercept; the class score is the regression output.
/// Solved in closed form by ``RidgeSolver`` (primal or dual, whichever is
/// smaller), so fitting 800 × 2312 features takes well under a second.
public struct RidgeClassifier: Classifier {
    public var name: String { "ridge" }
    /// L2 penalty λ on the weights (> 0), in units of summed squared error.
    public let lambda: Double
    /// classes × d weights and the per-class intercept (nil before `fit`).
    public private(set) var weights: Matrix?
    public private(set) var bias: [Double] = []

    /// Default λ, chosen by 5-fold CV × 3 seeds on N-MNIST per-pixel counts
    /// under global standardisation: λ = 10 / 100 / 1000 / 10000 gave
    /// 0.760 / 0.809 / 0.836 / 0.793.
    public static let defaultLambda = 1000.0

    public init(lambda: Double = RidgeClassifier.defaultLambda) {
        precondition(lambda > 0, "lambda must be positive")
        self.lambda = lambda
    }

    public mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
        try ClassifierChecks.training(x, labels: labels, classes: classes, classifier: name)
        var y = Matrix(rows: x.rows, cols: classes)
        for (r, l) in labels.enumerated() { y[r, l] = 1 }
        (weights, bias) = try RidgeSolver.fit(x, targets: y, lambda: lambda)
    }

    public func scores(_ x: Matrix) throws -> Matrix {
        guard let w = weights else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: w.cols, classifier: name)
        return try RidgeSolver.linearScores(x, weights: w, bias: bias)
    }

    public func state() throws -> ClassifierState {
        guard let w = weights else { throw FeastLearningError.notFitted(classifier: name) }
        var st = ClassifierState(name: name, scalars: ["lambda": lambda])
        st.set("weights", w)
        st.set("bias", bias)
        return st
    }

    public init(state: ClassifierState) throws {
        lambda = try state.scalar("lambda")
        let w = try state.matrix("weights")
        weights = w
        bias = try state.array("bias", count: w.rows)
    }
}
