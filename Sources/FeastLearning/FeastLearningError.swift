import FeastEvents

/// Everything that can go wrong in FeastLearning: bad shapes, bad labels,
/// bad specs, bad saved states, numerical failure.
///
/// Each case names the thing at fault and what was expected, so the message
/// alone tells the user what to change. Tests pin the message texts.
public enum FeastLearningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two things that must agree in size do not (`context` says which).
    case dimensionMismatch(context: String, expected: Int, got: Int)
    /// A row of nested arrays is not as long as the first row.
    case raggedRows(row: Int, expected: Int, got: Int)
    /// A label is outside `0..<classes`.
    case labelOutOfRange(index: Int, label: Int, classes: Int)
    /// Fitting needs at least one sample and `classes >= 1`.
    case emptyTrainingSet(classifier: String)
    /// `predict`/`scores`/`state` before `fit`.
    case notFitted(classifier: String)
    /// No classifier is registered under this name.
    case unknownClassifier(name: String, known: [String])
    /// A classifier option is unknown or its value is invalid.
    case invalidClassifierOption(classifier: String, option: String, reason: String)
    /// A feature spec string does not follow the grammar.
    case invalidFeatureSpec(spec: String, reason: String)
    /// An output event's neuron index is outside `0..<neurons` (and not -1).
    case neuronOutOfRange(eventIndex: Int, neuron: Int32, neurons: Int)
    /// An event's address is outside the sensor.
    case eventOutsideSensor(eventIndex: Int, x: Int, y: Int, geometry: SensorGeometry)
    /// Cholesky factorisation met a non-positive pivot (matrix not SPD).
    case notPositiveDefinite(size: Int, pivot: Int)
    /// A saved classifier state lacks a field or has one of the wrong shape.
    case invalidState(classifier: String, field: String, expected: String)
    /// Cross-validation folds cannot be formed.
    case invalidFolds(folds: Int, samples: Int)

    public var description: String {
        switch self {
        case let .dimensionMismatch(context, expected, got):
            return "dimension mismatch: \(context): expected \(expected), got \(got)"
        case let .raggedRows(row, expected, got):
            return "ragged rows: row \(row) has \(got) values, expected \(expected) like row 0"
        case let .labelOutOfRange(index, label, classes):
            return "label out of range: sample \(index) has label \(label), expected 0..<\(classes)"
        case let .emptyTrainingSet(classifier):
            return "\(classifier): cannot fit on an empty training set (need at least one sample and one class)"
        case let .notFitted(classifier):
            return "\(classifier): not fitted yet (call fit before predict, scores or state)"
        case let .unknownClassifier(name, known):
            return "unknown classifier '\(name)'; known classifiers: \(known.joined(separator: ", "))"
        case let .invalidClassifierOption(classifier, option, reason):
            return "classifier \(classifier): option '\(option)': \(reason)"
        case let .invalidFeatureSpec(spec, reason):
            return "feature spec '\(spec)': \(reason)"
        case let .neuronOutOfRange(eventIndex, neuron, neurons):
            return "output event \(eventIndex): neuron \(neuron) out of range, expected -1 (miss) or 0..<\(neurons)"
        case let .eventOutsideSensor(eventIndex, x, y, geometry):
            return "event \(eventIndex): address (\(x), \(y)) outside the \(geometry) sensor"
        case let .notPositiveDefinite(size, pivot):
            return "linear solve: \(size)×\(size) matrix not positive definite at pivot \(pivot) (increase the regularisation)"
        case let .invalidState(classifier, field, expected):
            return "saved state of \(classifier): field '\(field)': expected \(expected)"
        case let .invalidFolds(folds, samples):
            return "cross-validation: cannot make \(folds) folds from \(samples) samples (need 2 <= folds <= samples)"
        }
    }
}
