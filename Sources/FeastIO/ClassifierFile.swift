import FeastLearning

/// A fitted classifier with what it needs to be applied (`feast fit` writes
/// it, `feast classify` reads it), as HDF5:
///
/// - root attributes: `format_version` (this layout, ``formatVersion``),
///   `kind` = `"feast-classifier"`, `classifier` (the state's registry
///   name), `classifier_spec` (the spec it was fitted with, e.g.
///   `logistic:lambda=0.1`), `features` (the feature spec text),
///   `classes`, `feature_dimension`, `network_digest` (of the network
///   file's bytes), `network` (that file's name as given to fit, for
///   messages), `train_recordings`;
/// - `/state`: one float64 dataset per ``ClassifierState`` array, with its
///   shape (`centroids`, `standardizer.mean`, ...), and one float64
///   attribute per scalar.
///
/// Readable with h5py without plugins; written atomically.
public struct ClassifierFile: Sendable, Equatable {
    /// Version of this layout; files with a larger one are refused.
    public static let formatVersion = 1
    /// The root `kind` attribute.
    public static let kind = "feast-classifier"

    public var state: ClassifierState
    /// The classifier spec the state was fitted with.
    public var classifierSpec: String
    /// Feature spec text (``FeatureSpec`` grammar).
    public var features: String
    public var classes: Int
    /// Columns of the feature matrix the classifier was fitted on.
    public var featureDimension: Int
    /// Digest of the network file's bytes the features came from.
    public var networkDigest: String
    /// The network file as named when fitting (informative only).
    public var network: String
    public var trainRecordings: Int

    public init(state: ClassifierState, classifierSpec: String, features: String, classes: Int, featureDimension: Int,
                networkDigest: String, network: String, trainRecordings: Int) {
        self.state = state
        self.classifierSpec = classifierSpec
        self.features = features
        self.classes = classes
        self.featureDimension = featureDimension
        self.networkDigest = networkDigest
        self.network = network
        self.trainRecordings = trainRecordings
    }

    static let stateGroup = "/state"

    // MARK: - Writing

    /// Writes the file atomically (whole or not at all); throws, writing
    /// nothing, when the state's arrays do not fill their shapes or a
    /// count is not positive.
    public func write(to path: String) throws {
        var group = NamedArrayGroup()
        for (key, values) in state.arrays {
            guard !key.isEmpty, !key.contains("/"), key != "." else {
                throw FeastIOError.invalidArgument(file: path, object: Self.stateGroup, reason: "array name '\(key)' cannot be an HDF5 dataset name")
            }
            guard let shape = state.shapes[key], shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
                throw FeastIOError.invalidArgument(file: path, object: "\(Self.stateGroup)/\(key)",
                                                   reason: "\(values.count) values do not fill shape \(state.shapes[key].map { "\($0)" } ?? "none")")
            }
            group.arrays[key] = NamedArray(values, shape: shape)
        }
        for (key, value) in state.scalars { group.attributes[key] = .double(value) }
        guard classes >= 1, featureDimension >= 1, trainRecordings >= 0 else {
            throw FeastIOError.invalidArgument(file: path, object: "/",
                                               reason: "classes (\(classes)) and feature_dimension (\(featureDimension)) must be positive")
        }
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format_version", .int(Self.formatVersion))
            try file.setAttribute("kind", .string(Self.kind))
            try file.setAttribute("classifier", .string(state.name))
            try file.setAttribute("classifier_spec", .string(classifierSpec))
            try file.setAttribute("features", .string(features))
            try file.setAttribute("classes", .int(classes))
            try file.setAttribute("feature_dimension", .int(featureDimension))
            try file.setAttribute("network_digest", .string(networkDigest))
            try file.setAttribute("network", .string(network))
            try file.setAttribute("train_recordings", .int(trainRecordings))
            try group.write(to: file, at: Self.stateGroup)
        }
    }

    // MARK: - Reading

    /// Reads and checks a classifier file: its kind and version, every
    /// root attribute, and `/state` (float arrays, numeric scalars).
    /// Errors name the file and the object, and say what was expected.
    public static func read(from path: String) throws -> ClassifierFile {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let what = "a classifier file written by feast fit"
        guard file.hasAttribute("kind") else {
            throw FeastIOError.missingAttribute(file: path, object: "/", attribute: "kind", expected: "\"\(kind)\": \(what)")
        }
        let found = try file.attribute("kind")
        guard found == .string(kind) else {
            throw FeastIOError.invalidValue(file: path, object: "/ attribute 'kind'", index: nil, expected: "\"\(kind)\": \(what)",
                                            found: "\(found)")
        }
        let root = try NamedArrayGroup.read(from: file, at: "/")
        let version = try root.int("format_version")
        guard version >= 1, version <= formatVersion else {
            throw FeastIOError.unsupportedVersion(file: path, object: "/", found: version, supported: formatVersion)
        }
        // The upper bound keeps a forged count from allocating without limit.
        func positive(_ name: String, minimum: Int = 1) throws -> Int {
            let v = try root.int(name)
            guard v >= minimum, v <= 1 << 24 else {
                throw FeastIOError.invalidValue(file: path, object: "/ attribute '\(name)'", index: nil,
                                                expected: "an integer in \(minimum)…\(1 << 24)", found: "\(v)")
            }
            return v
        }
        let stored = try root.group(String(stateGroup.dropFirst()))
        var state = ClassifierState(name: try root.string("classifier"))
        for name in stored.arrays.keys.sorted() {
            state.set(name, try stored.doubles(name), shape: stored.arrays[name]!.shape)
        }
        for name in stored.attributes.keys.sorted() {
            guard let v = try? stored.double(name) else {
                throw FeastIOError.wrongType(file: path, object: "\(stateGroup) attribute '\(name)'", expected: "a number (a classifier scalar)",
                                             found: "\(stored.attributes[name]!)")
            }
            state.scalars[name] = v
        }
        guard stored.groups.isEmpty else {
            throw FeastIOError.wrongType(file: path, object: "\(stateGroup)/\(stored.groups.keys.sorted()[0])",
                                         expected: "a float array (classifier state has no nested groups)", found: "a group")
        }
        return ClassifierFile(state: state, classifierSpec: try root.string("classifier_spec"), features: try root.string("features"),
                              classes: try positive("classes"), featureDimension: try positive("feature_dimension"),
                              networkDigest: try root.string("network_digest"), network: try root.string("network"),
                              trainRecordings: try positive("train_recordings", minimum: 0))
    }
}
