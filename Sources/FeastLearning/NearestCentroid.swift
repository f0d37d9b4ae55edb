/// Nearest class mean in Euclidean distance. Score of class c is
/// `-‖x - μ_c‖²`; a class without training samples scores `-∞`.
public struct NearestCentroid: Classifier {
    public var name: String { "centroid" }
    /// classes × d class means (nil before `fit`).
    public private(set) var centroids: Matrix?
    private var present: [Bool] = []

    public init() {}

    public mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
        try ClassifierChecks.training(x, labels: labels, classes: classes, classifier: name)
        var c = Matrix(rows: classes, cols: x.cols)
        var counts = [Int](repeating: 0, count: classes)
        for (r, l) in labels.enumerated() {
            counts[l] += 1
            for j in 0..<x.cols { c[l, j] += x[r, j] }
        }
        for l in 0..<classes where counts[l] > 0 {
            for j in 0..<x.cols { c[l, j] /= Double(counts[l]) }
        }
        centroids = c
        present = counts.map { $0 > 0 }
    }

    public func scores(_ x: Matrix) throws -> Matrix {
        guard let c = centroids else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: c.cols, classifier: name)
        var s = Matrix(rows: x.rows, cols: c.rows)
        let d = x.cols
        x.withUnsafeBufferPointer { xb in
            c.withUnsafeBufferPointer { cb in
                for r in 0..<x.rows {
                    for l in 0..<c.rows {
                        s[r, l] = present[l] ? -Kernels.squaredDistance(xb.baseAddress! + r &* d, cb.baseAddress! + l &* d, d) : -.infinity
                    }
                }
            }
        }
        return s
    }

    public func state() throws -> ClassifierState {
        guard let c = centroids else { throw FeastLearningError.notFitted(classifier: name) }
        var st = ClassifierState(name: name)
        st.set("centroids", c)
        st.set("present", present.map { $0 ? 1 : 0 })
        return st
    }

    public init(state: ClassifierState) throws {
        let c = try state.matrix("centroids")
        centroids = c
        present = try state.array("present", count: c.rows).map { $0 != 0 }
    }
}
