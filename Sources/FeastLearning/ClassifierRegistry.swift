/// Options of one classifier from its spec string, with typed accessors that
/// report bad values clearly. `seed` is the run's seed unless the spec sets
/// `seed=`.
public struct ClassifierOptions: Sendable {
    /// The classifier the options belong to (for messages).
    public let classifier: String
    /// Raw `key=value` pairs.
    public let values: [String: String]
    /// Seed for classifiers that sample (ELM).
    public let seed: UInt64

    public init(classifier: String, values: [String: String] = [:], seed: UInt64 = 1) {
        self.classifier = classifier
        self.values = values
        self.seed = seed
    }

    private func fail(_ key: String, _ reason: String) -> FeastLearningError {
        .invalidClassifierOption(classifier: classifier, option: key, reason: reason)
    }

    /// A positive finite number (or `fallback` when absent).
    public func positiveDouble(_ key: String, default fallback: Double) throws -> Double {
        guard let v = values[key] else { return fallback }
        guard let d = Double(v), d > 0, d.isFinite else { throw fail(key, "expected a positive number, got '\(v)'") }
        return d
    }

    /// An integer >= `minimum` (or `fallback` when absent).
    public func integer(_ key: String, default fallback: Int, minimum: Int = 1) throws -> Int {
        guard let v = values[key] else { return fallback }
        guard let i = Int(v), i >= minimum else { throw fail(key, "expected an integer >= \(minimum), got '\(v)'") }
        return i
    }

    /// Standardisation: `off` (or `0`, `false`, `no`), `global`, or
    /// `feature` (also `on`, `1`, `true`, `yes`).
    public func standardisation(default fallback: FeatureStandardiser.Mode?) throws -> FeatureStandardiser.Mode? {
        guard let v = values["standardize"] else { return fallback }
        switch v.lowercased() {
        case "off", "0", "false", "no": return nil
        case "global": return .global
        case "feature", "on", "1", "true", "yes": return .perFeature
        default: throw fail("standardize", "expected off, global or feature, got '\(v)'")
        }
    }

    /// A boolean written `1/0`, `true/false`, `on/off` or `yes/no`.
    public func flag(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = values[key] else { return fallback }
        switch v.lowercased() {
        case "1", "true", "on", "yes": return true
        case "0", "false", "off", "no": return false
        default: throw fail(key, "expected on or off, got '\(v)'")
        }
    }
}

/// Classifier names → factories, so the CLI (`--classifier logistic,knn:k=3`)
/// and saved states find their types, and users add their own.
///
/// Spec grammar: `name(:key=value)*`, e.g. `ridge`, `ridge:lambda=10`,
/// `knn:k=3:standardize=off`, `elm:hidden=2000:seed=7`. Every classifier
/// accepts `standardize=off|global|feature` (wrap in ``Standardized`` with
/// that ``FeatureStandardizer/Mode``; default `global` for the built-ins,
/// chosen on N-MNIST counts where per-feature scaling lost 2–10 points)
/// besides its own keys. A list is specs joined by commas.
///
///     var registry = ClassifierRegistry.builtIn
///     registry.register(MyClassifier.self, name: "mine") { options in MyClassifier() }
///     let models = try registry.makeAll("logistic,mine", seed: 1)
public struct ClassifierRegistry: Sendable {
    /// One registered classifier.
    public struct Entry: Sendable {
        public let name: String
        /// One line for help texts.
        public let summary: String
        /// Option keys the factory reads (besides `standardize`, `seed`).
        public let optionKeys: [String]
        /// Default standardisation (nil = none).
        public let defaultStandardisation: FeatureStandardiser.Mode?
        let make: @Sendable (ClassifierOptions, FeatureStandardiser.Mode?) throws -> any Classifier
        let restore: @Sendable (ClassifierState) throws -> any Classifier
    }

    private var entries: [String: Entry] = [:]
    /// Names in registration order.
    public private(set) var names: [String] = []

    /// An empty registry.
    public init() {}

    /// The built-in classifiers: centroid, ridge, logistic, elm, knn.
    public static let builtIn: ClassifierRegistry = {
        var r = ClassifierRegistry()
        r.register(NearestCentroid.self, name: "centroid", summary: "nearest class mean (Euclidean)",
) { _ in NearestCentroid() }
        r.register(RidgeClassifier.self, name: "ridge", summary: "ridge regression on one-hot targets",
                   optionKeys: ["lambda"]) { o in
            RidgeClassifier(lambda: try o.positiveDouble("lambda", default: RidgeClassifier.defaultLambda))
        }
        r.register(LogisticRegression.self, name: "logistic", summary: "multinomial logistic regression, L2, L-BFGS",
                   optionKeys: ["lambda", "iterations"]) { o in
            LogisticRegression(lambda: try o.positiveDouble("lambda", default: LogisticRegression.defaultLambda),
                               maxIterations: try o.integer("iterations", default: LogisticRegression.defaultMaxIterations))
        }
        r.register(ExtremeLearningMachine.self, name: "elm", summary: "random tanh hidden layer + ridge readout",
                   optionKeys: ["hidden", "lambda"]) { o in
            ExtremeLearningMachine(hidden: try o.integer("hidden", default: ExtremeLearningMachine.defaultHidden),
                                   lambda: try o.positiveDouble("lambda", default: ExtremeLearningMachine.defaultLambda),
                                   seed: o.seed)
        }
        r.register(KNearestNeighbors.self, name: "knn", summary: "k nearest neighbours (Euclidean, majority vote)",
                   optionKeys: ["k"]) { o in
            KNearestNeighbors(k: try o.integer("k", default: KNearestNeighbors.defaultK))
        }
        return r
    }()

    /// Adds (or replaces) `name`. `make` builds an unfitted classifier from
    /// its options; saved states are restored through `C.init(state:)`.
    public mutating func register<C: Classifier>(_ type: C.Type, name: String, summary: String = "", optionKeys: [String] = [],
                                                 standardisation: FeatureStandardiser.Mode? = .global,
                                                 make: @escaping @Sendable (ClassifierOptions) throws -> C) {
        precondition(!name.isEmpty && !name.contains(",") && !name.contains(":"), "classifier names cannot be empty or contain ',' or ':'")
        if entries[name] == nil { names.append(name) }
        entries[name] = Entry(
            name: name, summary: summary, optionKeys: optionKeys, defaultStandardisation: standardisation,
            make: { options, mode in
                let base = try make(options)
                guard let mode else { return base }
                return Standardised(base, mode: mode)
            },
            restore: { state in
                if Standardised<C>.isStandardised(state) { return try Standardised<C>(state: state) }
                return try C(state: state)
            })
    }

    /// The entry for `name`, or an error listing the known names.
    public func entry(_ name: String) throws -> Entry {
        guard let e = entries[name] else { throw FeastLearningError.unknownClassifier(name: name, known: names) }
        return e
    }

    /// An unfitted classifier from one spec (`name(:key=value)*`).
    public func make(_ spec: String, seed: UInt64 = 1) throws -> any Classifier {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let e = try entry(parts[0])
        var values = [String: String]()
        for part in parts.dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else {
                throw FeastLearningError.invalidClassifierOption(classifier: e.name, option: part, reason: "expected key=value")
            }
            let accepted = e.optionKeys + ["standardize", "seed"]
            guard accepted.contains(kv[0]) else {
                throw FeastLearningError.invalidClassifierOption(classifier: e.name, option: kv[0], reason: "unknown; accepted: \(accepted.joined(separator: ", "))")
            }
            guard values[kv[0]] == nil else {
                throw FeastLearningError.invalidClassifierOption(classifier: e.name, option: kv[0], reason: "given twice")
            }
            values[kv[0]] = kv[1]
        }
        var options = ClassifierOptions(classifier: e.name, values: values, seed: seed)
        if values["seed"] != nil {
            guard let s = UInt64(values["seed"]!) else {
                throw FeastLearningError.invalidClassifierOption(classifier: e.name, option: "seed", reason: "expected a non-negative integer, got '\(values["seed"]!)'")
            }
            options = ClassifierOptions(classifier: e.name, values: values, seed: s)
        }
        return try e.make(options, options.standardisation(default: e.defaultStandardisation))
    }

    /// Unfitted classifiers from a comma-separated list of specs.
    public func makeAll(_ list: String, seed: UInt64 = 1) throws -> [any Classifier] {
        try list.split(separator: ",", omittingEmptySubsequences: false).map { try make(String($0), seed: seed) }
    }

    /// A fitted classifier from a saved state, by `state.name`.
    public func restore(_ state: ClassifierState) throws -> any Classifier {
        try entry(state.name).restore(state)
    }
}
