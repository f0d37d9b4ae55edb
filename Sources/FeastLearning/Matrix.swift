/// A dense matrix of `Double`s stored row-major: element `(r, c)` is
/// `storage[r * cols + c]`. Invariant: `storage.count == rows * cols`.
///
/// One row is one sample (recording), one column one feature. Double keeps
/// the normal-equation and Cholesky solves stable; feature files on disk may
/// still be float32.
public struct Matrix: Sendable, Hashable, CustomStringConvertible {
    /// Number of rows (samples).
    public private(set) var rows: Int
    /// Number of columns (features).
    public let cols: Int
    /// Row-major values.
    public private(set) var storage: [Double]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix shape must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Double](repeating: value, count: rows * cols)
    }

    /// A matrix over row-major `storage`; throws unless `storage.count == rows * cols`.
    public init(rows: Int, cols: Int, storage: [Double]) throws {
        precondition(rows >= 0 && cols >= 0, "matrix shape must be non-negative")
        guard storage.count == rows * cols else {
            throw FeastLearningError.dimensionMismatch(context: "matrix storage for \(rows)×\(cols)", expected: rows * cols, got: storage.count)
        }
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix from nested rows; all rows must have the same length.
    /// An empty array gives a 0 × `cols` matrix.
    public init(_ nested: [[Double]], cols emptyCols: Int = 0) throws {
        let cols = nested.first?.count ?? emptyCols
        var storage = [Double]()
        storage.reserveCapacity(nested.count * cols)
        for (r, row) in nested.enumerated() {
            guard row.count == cols else { throw FeastLearningError.raggedRows(row: r, expected: cols, got: row.count) }
            storage.append(contentsOf: row)
        }
        self.rows = nested.count
        self.cols = cols
        self.storage = storage
    }

    /// Element `(r, c)`.
    public subscript(r: Int, c: Int) -> Double {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Double] {
        Array(storage[(r * cols)..<((r + 1) * cols)])
    }

    /// Appends one row; throws unless it has `cols` values.
    public mutating func appendRow(_ values: [Double]) throws {
        guard values.count == cols else {
            throw FeastLearningError.dimensionMismatch(context: "appended row length", expected: cols, got: values.count)
        }
        storage.append(contentsOf: values)
        rows += 1
    }

    /// The rows at `indices`, in that order (for folds and subsets).
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * cols)
        for r in indices {
            precondition(r >= 0 && r < rows, "row index out of range")
            out.append(contentsOf: storage[(r * cols)..<((r + 1) * cols)])
        }
        return try! Matrix(rows: indices.count, cols: cols, storage: out)
    }

    /// The transpose.
    public func transposed() -> Matrix {
        var out = Matrix(rows: cols, cols: rows)
        storage.withUnsafeBufferPointer { a in
            out.storage.withUnsafeMutableBufferPointer { t in
                for r in 0..<rows {
                    for c in 0..<cols { t[c &* rows &+ r] = a[r &* cols &+ c] }
                }
            }
        }
        return out
    }

    /// `self · otherᵀ`: `(rows × k) · (other.rows × k)ᵀ`, every entry one
    /// contiguous dot product. Throws unless the inner sizes agree.
    public func timesTransposed(_ other: Matrix) throws -> Matrix {
        guard cols == other.cols else {
            throw FeastLearningError.dimensionMismatch(context: "inner size of A·Bᵀ", expected: cols, got: other.cols)
        }
        var out = Matrix(rows: rows, cols: other.rows)
        let k = cols, m = other.rows
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { o in
                    for i in 0..<rows {
                        let ai = a.baseAddress! + i &* k
                        for j in 0..<m {
                            o[i &* m &+ j] = Kernels.dot(ai, b.baseAddress! + j &* k, k)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Read access to the row-major values.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Write access to the row-major values (the shape cannot change).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }

    public var description: String { "Matrix(\(rows)×\(cols))" }
}
