import Foundation

/// Extreme learning machine: a fixed random hidden layer
/// `h = tanh(W_in·x + b_in)` followed by a ridge-regression readout on
/// one-hot targets (as in the FEAST line of work). Only the readout is
/// learned; the hidden weights come from a seeded generator, so the same
/// seed gives the same model.
///
/// Hidden weights are N(0, 1/d) and biases N(0, 1), which keeps the
/// pre-activations of standardised inputs near unit variance (tanh neither
/// saturated nor linear).
public struct ExtremeLearningMachine: Classifier {
    public var name: String { "elm" }
    /// Hidden units.
    public let hidden: Int
    /// Readout L2 penalty λ (> 0).
    public let lambda: Double
    /// Seed of the hidden layer.
    public let seed: UInt64
    /// hidden × d input weights, hidden biases, classes × hidden readout and
    /// its intercepts (nil before `fit`).
    public private(set) var inputWeights: Matrix?
    public private(set) var inputBias: [Double] = []
    public private(set) var readout: Matrix?
    public private(set) var readoutBias: [Double] = []

    public static let defaultHidden = 1000
    public static let defaultLambda = 1.0

    public init(hidden: Int = ExtremeLearningMachine.defaultHidden, lambda: Double = ExtremeLearningMachine.defaultLambda, seed: UInt64 = 1) {
        precondition(hidden > 0 && lambda > 0)
        self.hidden = hidden
        self.lambda = lambda
        self.seed = seed
    }

    public mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
        try ClassifierChecks.training(x, labels: labels, classes: classes, classifier: name)
        var rng = SeededGenerator(seed: seed)
        let d = x.cols
        var w = Matrix(rows: hidden, cols: d)
        let s = 1 / Double(max(d, 1)).squareRoot()
        w.withUnsafeMutableBufferPointer { wb in for i in 0..<wb.count { wb[i] = rng.nextGaussian() * s } }
        let b = (0..<hidden).map { _ in rng.nextGaussian() }
        let h = try Self.hiddenLayer(x, weights: w, bias: b)
        var y = Matrix(rows: x.rows, cols: classes)
        for (r, l) in labels.enumerated() { y[r, l] = 1 }
        let (ro, rb) = try RidgeSolver.fit(h, targets: y, lambda: lambda)
        inputWeights = w; inputBias = b; readout = ro; readoutBias = rb
    }

    public func scores(_ x: Matrix) throws -> Matrix {
        guard let w = inputWeights, let ro = readout else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: w.cols, classifier: name)
        return try RidgeSolver.linearScores(Self.hiddenLayer(x, weights: w, bias: inputBias), weights: ro, bias: readoutBias)
    }

    static func hiddenLayer(_ x: Matrix, weights: Matrix, bias: [Double]) throws -> Matrix {
        var h = try x.timesTransposed(weights)
        let m = bias.count
        h.withUnsafeMutableBufferPointer { hb in
            for r in 0..<x.rows { for j in 0..<m { hb[r &* m &+ j] = tanh(hb[r &* m &+ j] + bias[j]) } }
        }
        return h
    }

    public func state() throws -> ClassifierState {
        guard let w = inputWeights, let ro = readout else { throw FeastLearningError.notFitted(classifier: name) }
        var st = ClassifierState(name: name, scalars: ["hidden": Double(hidden), "lambda": lambda, "seed": Double(seed)])
        st.set("input_weights", w)
        st.set("input_bias", inputBias)
        st.set("weights", ro)
        st.set("bias", readoutBias)
        return st
    }

    public init(state: ClassifierState) throws {
        hidden = try state.count("hidden")
        lambda = try state.scalar("lambda")
        seed = UInt64(exactly: try state.scalar("seed")) ?? 0  // informational: the weights are stored
        let w = try state.matrix("input_weights")
        guard w.rows == hidden else { throw FeastLearningError.invalidState(classifier: "elm", field: "input_weights", expected: "\(hidden) rows, found \(w.rows)") }
        inputWeights = w
        inputBias = try state.array("input_bias", count: hidden)
        let ro = try state.matrix("weights", cols: hidden)
        readout = ro
        readoutBias = try state.array("bias", count: ro.rows)
    }
}
