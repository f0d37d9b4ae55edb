/// A fitted classifier as plain data, for saving (HDF5 in FeastIO) and
/// loading: a name, named Double arrays with their shapes (row-major), and
/// named scalar parameters. No nesting, so any file format holds it.
public struct ClassifierState: Sendable, Hashable {
    /// The classifier's registry name.
    public var name: String
    /// Named arrays, row-major.
    public var arrays: [String: [Double]]
    /// Shape of each array (product = count).
    public var shapes: [String: [Int]]
    /// Named scalar parameters (counts stored as exact integers in Double).
    public var scalars: [String: Double]

    public init(name: String, arrays: [String: [Double]] = [:], shapes: [String: [Int]] = [:], scalars: [String: Double] = [:]) {
        self.name = name
        self.arrays = arrays
        self.shapes = shapes
        self.scalars = scalars
    }

    /// Stores `values` under `key` with `shape` (1-D when omitted).
    public mutating func set(_ key: String, _ values: [Double], shape: [Int]? = nil) {
        precondition((shape ?? [values.count]).reduce(1, *) == values.count, "shape must match the value count")
        arrays[key] = values
        shapes[key] = shape ?? [values.count]
    }

    /// Stores matrix `m` under `key` with shape `[rows, cols]`.
    public mutating func set(_ key: String, _ m: Matrix) {
        set(key, m.storage, shape: [m.rows, m.cols])
    }

    /// The array under `key`; throws if missing or its length is not `count`.
    public func array(_ key: String, count: Int? = nil) throws -> [Double] {
        guard let a = arrays[key] else {
            throw FeastLearningError.invalidState(classifier: name, field: key, expected: "an array (missing)")
        }
        if let count, a.count != count {
            throw FeastLearningError.invalidState(classifier: name, field: key, expected: "\(count) values, found \(a.count)")
        }
        return a
    }

    /// The 2-D array under `key` as a matrix; throws if missing or not 2-D
    /// (optionally of the given column count).
    public func matrix(_ key: String, cols: Int? = nil) throws -> Matrix {
        let a = try array(key)
        guard let s = shapes[key], s.count == 2, s[0] * s[1] == a.count else {
            throw FeastLearningError.invalidState(classifier: name, field: key, expected: "a 2-D shape matching \(a.count) values, found \(shapes[key].map { "\($0)" } ?? "none")")
        }
        if let cols, s[1] != cols {
            throw FeastLearningError.invalidState(classifier: name, field: key, expected: "\(cols) columns, found \(s[1])")
        }
        return try Matrix(rows: s[0], cols: s[1], storage: a)
    }

    /// The scalar under `key`; throws if missing.
    public func scalar(_ key: String) throws -> Double {
        guard let v = scalars[key] else {
            throw FeastLearningError.invalidState(classifier: name, field: key, expected: "a scalar (missing)")
        }
        return v
    }

    /// The scalar under `key` as a positive integer; throws otherwise.
    public func count(_ key: String) throws -> Int {
        let v = try scalar(key)
        guard v >= 1, v == v.rounded(), v < 1e15 else {
            throw FeastLearningError.invalidState(classifier: name, field: key, expected: "a positive integer, found \(v)")
        }
        return Int(v)
    }
}
