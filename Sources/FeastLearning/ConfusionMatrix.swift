/// Counts of (true class, predicted class) pairs: `counts[t][p]`, rows are
/// true classes, columns predictions.
public struct ConfusionMatrix: Sendable, Hashable, CustomStringConvertible {
    /// Number of classes.
    public let classes: Int
    /// `classes × classes` counts, row = true class.
    public private(set) var counts: [[Int]]

    /// An all-zero matrix.
    public init(classes: Int) {
        precondition(classes >= 1)
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    /// A matrix of given counts (e.g. read back from a file); throws unless
    /// they are square and nonnegative.
    public init(counts: [[Int]]) throws {
        guard !counts.isEmpty else { throw FeastLearningError.dimensionMismatch(context: "confusion matrix rows", expected: 1, got: 0) }
        for row in counts where row.count != counts.count {
            throw FeastLearningError.dimensionMismatch(context: "confusion matrix columns", expected: counts.count, got: row.count)
        }
        for (t, row) in counts.enumerated() { for (p, v) in row.enumerated() where v < 0 {
            throw FeastLearningError.invalidState(classifier: "confusion matrix", field: "counts[\(t)][\(p)] = \(v)", expected: "a count ≥ 0")
        } }
        classes = counts.count
        self.counts = counts
    }

    /// Counts the pairs; throws on length mismatch or labels outside `0..<classes`.
    public init(predicted: [Int], truth: [Int], classes: Int) throws {
        self.init(classes: classes)
        try add(predicted: predicted, truth: truth)
    }

    /// Adds more pairs (e.g. another CV fold).
    public mutating func add(predicted: [Int], truth: [Int]) throws {
        guard predicted.count == truth.count else {
            throw FeastLearningError.dimensionMismatch(context: "predicted vs true labels", expected: truth.count, got: predicted.count)
        }
        for i in truth.indices {
            for l in [truth[i], predicted[i]] where l < 0 || l >= classes {
                throw FeastLearningError.labelOutOfRange(index: i, label: l, classes: classes)
            }
            counts[truth[i]][predicted[i]] += 1
        }
    }

    /// Adds another matrix of the same size.
    public mutating func add(_ other: ConfusionMatrix) throws {
        guard other.classes == classes else {
            throw FeastLearningError.dimensionMismatch(context: "confusion matrix classes", expected: classes, got: other.classes)
        }
        for t in 0..<classes { for p in 0..<classes { counts[t][p] += other.counts[t][p] } }
    }

    /// Number of pairs.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Trace / total (0 when empty).
    public var accuracy: Double {
        let t = total
        return t == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + counts[$1][$1] }) / Double(t)
    }

    /// Recall per true class; `nil` where the class has no samples.
    public var perClassAccuracy: [Double?] {
        (0..<classes).map { c in
            let n = counts[c].reduce(0, +)
            return n == 0 ? nil : Double(counts[c][c]) / Double(n)
        }
    }

    /// A fixed-width table: header of predicted classes, one row per true
    /// class ending with that class's accuracy.
    public var description: String {
        let width = max(String(total).count, String(classes - 1).count, 3) + 1
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines = ["true\\pred" + (0..<classes).map { pad(String($0)) }.joined() + "   acc"]
        let acc = perClassAccuracy
        for t in 0..<classes {
            let a = acc[t].map { String(format3($0)) } ?? "  -  "
            lines.append(pad(String(t)).padding(toLength: 9, withPad: " ", startingAt: 0) + counts[t].map { pad(String($0)) }.joined() + "  " + a)
        }
        return lines.joined(separator: "\n")
    }
}

/// `0.123` style without Foundation's String(format:).
func format3(_ x: Double) -> String {
    let r = (x * 1000).rounded()
    let i = Int(r)
    let whole = i / 1000, frac = abs(i % 1000)
    let f = String(frac)
    return "\(x < 0 && whole == 0 ? "-" : "")\(whole).\(String(repeating: "0", count: 3 - f.count))\(f)"
}
