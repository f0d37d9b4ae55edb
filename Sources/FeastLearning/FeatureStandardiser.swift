/// Standardisation `(x - mean) / scale` per feature, fitted on training rows
/// and applied unchanged to test rows (no test statistics leak into training).
///
/// The mean is always per feature. The scale depends on ``Mode``:
/// - `perFeature`: each feature's population standard deviation (1 for a
///   feature constant on the training set, so it maps to 0);
/// - `global`: one common divisor for all features, the root of the mean
///   feature variance. It keeps the relative sizes of count features (rare
///   pixels stay small instead of being blown up to unit variance) while
///   making regularisation strengths independent of the overall feature
///   scale (raw counts vs L1-normalised histograms).
public struct FeatureStandardiser: Sendable, Hashable {
    /// How the divisor is chosen.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case perFeature = "feature"
        case global
    }

    /// Per-column training mean.
    public let mean: [Double]
    /// Per-column divisor (> 0).
    public let scale: [Double]

    /// Features whose standard deviation is below this are treated as constant.
    public static let constantTolerance = 1e-12

    /// Fits mean and scale on the rows of `x`.
    public init(fitting x: Matrix, mode: Mode = .perFeature) throws {
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
        switch mode {
        case .perFeature:
            self.scale = sq.map { s in
                let sd = (s / Double(x.rows)).squareRoot()
                return sd > Self.constantTolerance ? sd : 1
            }
        case .global:
            let rms = (sq.reduce(0, +) / Double(x.rows * max(x.cols, 1))).squareRoot()
            self.scale = [Double](repeating: rms > Self.constantTolerance ? rms : 1, count: x.cols)
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
