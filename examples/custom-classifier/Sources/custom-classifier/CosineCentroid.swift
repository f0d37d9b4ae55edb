import FeastLearning

/// A user's own classifier: nearest class mean by cosine similarity (each
/// feature vector and each class mean scaled to unit length). Conforming to
/// `Classifier` is all it takes: fit, scores, and a state for save/load.
struct CosineCentroid: Classifier {
    var name: String { "cosine" }
    /// classes × d unit-length class means (nil before fit).
    private var centroids: Matrix?

    init() {}

    mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
        try ClassifierChecks.training(x, labels: labels, classes: classes, classifier: name)
        var c = Matrix(rows: classes, cols: x.cols)
        for (r, l) in labels.enumerated() {
            let row = Self.unit(x.row(r))
            for j in 0..<x.cols { c[l, j] += row[j] }
        }
        var unitRows = [[Double]]()
        for l in 0..<classes { unitRows.append(Self.unit(c.row(l))) }
        centroids = try Matrix(unitRows, cols: x.cols)
    }

    func scores(_ x: Matrix) throws -> Matrix {
        guard let c = centroids else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: c.cols, classifier: name)
        var s = Matrix(rows: x.rows, cols: c.rows)
        for r in 0..<x.rows {
            let row = Self.unit(x.row(r))
            for l in 0..<c.rows {
                var dot = 0.0
                for j in 0..<x.cols { dot += row[j] * c[l, j] }
                s[r, l] = dot
            }
        }
        return s
    }

    func state() throws -> ClassifierState {
        guard let c = centroids else { throw FeastLearningError.notFitted(classifier: name) }
        var st = ClassifierState(name: name)
        st.set("centroids", c)
        return st
    }

    init(state: ClassifierState) throws {
        centroids = try state.matrix("centroids")
    }

    private static func unit(_ v: [Double]) -> [Double] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }
}
