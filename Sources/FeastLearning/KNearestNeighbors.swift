/// k-nearest neighbours in Euclidean distance over the stored training set.
///
/// Score of class c: the fraction of the k nearest training rows labelled c.
/// `predict` takes the majority and breaks ties by the class of the nearest
/// neighbour among the tied classes. Equal distances are ordered by training
/// index, so results are deterministic.
public struct KNearestNeighbors: Classifier {
    public var name: String { "knn" }
    /// Neighbours consulted (clamped to the training-set size).
    public let k: Int
    /// Training rows and labels (nil before `fit`).
    public private(set) var training: Matrix?
    public private(set) var labels: [Int] = []
    public private(set) var classes = 0

    /// From 5-fold CV × 3 seeds on N-MNIST per-pixel counts: k = 1 / 3 / 5 /
    /// 10 gave 0.851 / 0.857 / 0.851 / 0.836.
    public static let defaultK = 3

    public init(k: Int = KNearestNeighbors.defaultK) {
        precondition(k >= 1, "k must be positive")
        self.k = k
    }

    public mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
        try ClassifierChecks.training(x, labels: labels, classes: classes, classifier: name)
        training = x
        self.labels = labels
        self.classes = classes
    }

    /// Indices of the nearest training rows to each row of `x`, nearest first.
    private func neighbours(_ x: Matrix) throws -> [[Int]] {
        guard let t = training else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: t.cols, classifier: name)
        let kk = min(k, t.rows), d = t.cols
        var out = [[Int]]()
        out.reserveCapacity(x.rows)
        var dist = [Double](repeating: 0, count: t.rows)
        x.withUnsafeBufferPointer { xb in
            t.withUnsafeBufferPointer { tb in
                for r in 0..<x.rows {
                    let xr = xb.baseAddress! + r &* d
                    for i in 0..<t.rows { dist[i] = Kernels.squaredDistance(xr, tb.baseAddress! + i &* d, d) }
                    // Insertion into a small sorted list: k is tiny.
                    var best = [Int]()
                    best.reserveCapacity(kk + 1)
                    for i in 0..<t.rows {
                        if best.count == kk, let last = best.last, dist[i] >= dist[last] { continue }
                        var pos = best.count
                        while pos > 0 && dist[best[pos - 1]] > dist[i] { pos -= 1 }
                        best.insert(i, at: pos)
                        if best.count > kk { best.removeLast() }
                    }
                    out.append(best)
                }
            }
        }
        return out
    }

    public func scores(_ x: Matrix) throws -> Matrix {
        let nn = try neighbours(x)
        var s = Matrix(rows: x.rows, cols: classes)
        for (r, list) in nn.enumerated() {
            for i in list { s[r, labels[i]] += 1 / Double(list.count) }
        }
        return s
    }

    public func predict(_ x: Matrix) throws -> [Int] {
        try neighbours(x).map { list in
            var votes = [Int](repeating: 0, count: classes)
            for i in list { votes[labels[i]] += 1 }
            let top = votes.max() ?? 0
            // Nearest neighbour whose class has the top vote count.
            return labels[list.first { votes[labels[$0]] == top }!]
        }
    }

    public func state() throws -> ClassifierState {
        guard let t = training else { throw FeastLearningError.notFitted(classifier: name) }
        var st = ClassifierState(name: name, scalars: ["k": Double(k), "classes": Double(classes)])
        st.set("training", t)
        st.set("labels", labels.map(Double.init))
        return st
    }

    public init(state: ClassifierState) throws {
        k = try state.count("k")
        classes = try state.count("classes")
        let t = try state.matrix("training")
        training = t
        let l = try state.array("labels", count: t.rows)
        guard l.allSatisfy({ $0 >= 0 && $0 < Double(classes) && $0 == $0.rounded() }) else {
            throw FeastLearningError.invalidState(classifier: "knn", field: "labels", expected: "integers in 0..<\(classes)")
        }
        labels = l.map { Int($0) }
    }
}
