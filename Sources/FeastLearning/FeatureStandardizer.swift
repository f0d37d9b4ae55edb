/// Per-feature standardisation `(x - mean) / scale`, fitted on training rows
/// and applied unchanged to test rows (no test statistics leak into training).
///
/// `scale` is the population standard deviation, or 1 for a feature that is
/// constant on the training set (so it maps to 0 instead of dividing by 0).
public struct FeatureStandardizer: Sendable, Hashable {
    /// Per-column training mean.
    public let mean: [Double]
    /// Per-column divisor (> 0).
    public let scale: [Double]

    /// Features whose standard deviation is below this are treated as constant.
    public static let constantTolerance = 1e-12

    /// Fits mean and scale on the rows of `x`.
    public init(fitting x: Matrix) throws {
        guard x.rows > 0 else { throw FeastLearningError.emptyTrainingSet(classifier: "standardizer") }
        var mean = [Double](repeating: 0, count: x.cols)
        var sq = [Double](repeating: 0, count: x.cols)
        x.withUnsafeBufferPointer { a in
            for r in 0..<x.rows {
                for c in 0..<x.cols { mean[c] += a[r &* x.cols &+ c] }
            }
            for c in 0..<x.cols { mean[c] /= Double(x.rows) }
            // Two-pass variance: stable for large counts with small spread.
            for r in 0..<x.rows {
                for c in 0..<x.cols { let d = a[r &* x.cols &+ c] - mean[c]; sq[c] += d * d }
            }
        }
        self.mean = mean
        self.scale = sq.map { s in
            let sd = (s / Double(x.rows)).squareRoot()
            return sd > Self.constantTolerance ? sd : 1
        }
    }

    /// A standardizer from saved statistics; throws unless the lengths agree
    /// and every scale is positive.
    public init(mean: [Double], scale: [Double]) throws {
        guard mean.count == scale.count else {
            throw FeastLearningError.dimensionMismatch(context: "standardizer scale length vs mean length", expected: mean.count, got: scale.count)
        }
        if let bad = scale.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw FeastLearningError.invalidState(classifier: "standardizer", field: "scale[\(bad)]", expected: "a positive finite value")
        }
        self.mean = mean
        self.scale = scale
    }

    /// Number of features.
    public var dimension: Int { mean.count }

    /// `x` standardised column by column; throws unless `x.cols == dimension`.
    public func apply(_ x: Matrix) throws -> Matrix {
        guard x.cols == dimension else {
            throw FeastLearningError.dimensionMismatch(context: "feature columns vs standardizer", expected: dimension, got: x.cols)
        }
        var out = x
        let inv = scale.map { 1 / $0 }
        out.withUnsafeMutableBufferPointer { a in
            for r in 0..<x.rows {
                let base = r &* x.cols
                for c in 0..<x.cols { a[base &+ c] = (a[base &+ c] - mean[c]) * inv[c] }
            }
        }
        return out
    }
}
