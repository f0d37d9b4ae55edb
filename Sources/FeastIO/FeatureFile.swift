/// A feature matrix with its labels and source files, as HDF5:
///
/// - `/features`: 2-D float32, one row per recording (`rows × columns`),
/// - `/labels`: 1-D int32, one per row,
/// - `/files`: 1-D UTF-8 strings, one per row (may be absent: no names),
/// - root attributes: anything in ``attributes`` (e.g. `spec`, `neurons`).
///
/// Readable from Python as `h5py.File(p)['features'][:]`, written atomically.
public struct FeatureFile: Sendable, Equatable {
    /// Row-major `rows × columns` values.
    public var features: [Float]
    public var rows: Int
    public var columns: Int
    /// Class label of each row.
    public var labels: [Int32]
    /// Source recording of each row, or empty when unnamed.
    public var files: [String]
    /// Root attributes describing how the features were made.
    public var attributes: [String: HDF5AttributeValue]

    /// `features.count` must be `rows × columns`, `labels.count == rows`
    /// and `files` empty or `rows` long; ``write(to:)`` checks this.
    public init(features: [Float], rows: Int, columns: Int, labels: [Int32], files: [String] = [],
                attributes: [String: HDF5AttributeValue] = [:]) {
        self.features = features
        self.rows = rows
        self.columns = columns
        self.labels = labels
        self.files = files
        self.attributes = attributes
    }

    /// Row `i` of the feature matrix.
    public func row(_ i: Int) -> ArraySlice<Float> {
        features[(i * columns)..<((i + 1) * columns)]
    }

    /// Throws unless the sizes agree (see the initialiser).
    public func validate(file: String) throws {
        guard rows >= 0, columns >= 0, features.count == rows * columns else {
            throw FeastIOError.invalidArgument(file: file, object: "/features",
                                               reason: "\(features.count) values do not fill \(rows) rows × \(columns) columns")
        }
        guard labels.count == rows else {
            throw FeastIOError.invalidArgument(file: file, object: "/labels", reason: "\(labels.count) labels for \(rows) rows")
        }
        guard files.isEmpty || files.count == rows else {
            throw FeastIOError.invalidArgument(file: file, object: "/files", reason: "\(files.count) file names for \(rows) rows")
        }
    }

    /// Writes the file atomically (whole or not at all).
    public func write(to path: String) throws {
        try validate(file: path)
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(features, rows: rows, columns: columns, to: "/features")
            try file.write(labels, to: "/labels")
            if !files.isEmpty { try file.write(strings: files, to: "/files") }
            try file.setAttributes(attributes)
        }
    }

    /// Reads and validates a features file: a 2-D float `/features`, integer
    /// `/labels` with one per row, optional `/files` with one per row.
    public static func read(from path: String) throws -> FeatureFile {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let matrix = try file.read2D(Float.self, from: "/features")
        let labels = try file.read1D(Int32.self, from: "/labels")
        guard labels.count == matrix.rows else {
            throw FeastIOError.wrongShape(file: path, object: "/labels", expected: "\(matrix.rows) labels, one per row of /features",
                                          found: "\(labels.count)")
        }
        var files: [String] = []
        if file.exists("/files") {
            files = try file.readStrings(from: "/files")
            guard files.count == matrix.rows else {
                throw FeastIOError.wrongShape(file: path, object: "/files", expected: "\(matrix.rows) names, one per row of /features",
                                              found: "\(files.count)")
            }
        }
        var attributes: [String: HDF5AttributeValue] = [:]
        for name in try file.attributeNames() { attributes[name] = try file.attribute(name) }
        return FeatureFile(features: matrix.values, rows: matrix.rows, columns: matrix.columns, labels: labels,
                           files: files, attributes: attributes)
    }
}
