import FeastEvents

/// What can go wrong while extracting features from recordings or running a
/// stage evaluation (``LayerFeaturePipeline``, ``StageEvaluation``). Kept
/// apart from ``FeastLearningError`` so the classifier code stays untouched;
/// each case names the recording or option at fault and what was expected.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A recording has no class label (needed for a labelled feature table).
    case unlabelledRecording(name: String)
    /// Opening or decoding a recording failed; `underlying` is the
    /// reader's error, still typed.
    case recordingFailed(name: String, underlying: UnderlyingError)
    /// A `hist` feature spec needs a FEAST layer and none was given.
    case histogramWithoutLayer(spec: String)
    /// Features of the layer's output events were asked for without a layer.
    case outputEventsWithoutLayer(spec: String)
    /// No feature specs to extract.
    case noFeatureSpecs
    /// A stage list such as `a,b,c,d` names something else.
    case invalidStages(text: String, reason: String)
    /// A train or test set has no recordings.
    case emptySet(which: String)
    /// Test shard `shard` (`i/n`) holds no recordings: `total` test
    /// recordings fill at most `total` shards.
    case emptyShard(shard: String, total: Int)
    /// Nothing to evaluate (no classifiers, no seeds, ...): which field
    /// of ``StageEvaluation``, its value, what would be accepted.
    case invalidOption(field: StageEvaluation.Field, value: String, expected: String)

    public var description: String {
        switch self {
        case let .unlabelledRecording(name):
            return "recording \(name): no class label; expected a class folder (Train/3/x.bin) or a labels CSV with a label column"
        case let .recordingFailed(name, underlying):
            return "recording \(name): \(underlying)"
        case let .histogramWithoutLayer(spec):
            return "feature spec '\(spec)': win histograms need a FEAST layer; use 'pixels' for raw events"
        case let .outputEventsWithoutLayer(spec):
            return "feature spec '\(spec)': features of the output events need a FEAST layer; expected a layer, or the input events as pixel events"
        case .noFeatureSpecs:
            return "no feature specs given; expected at least one (e.g. hist or pixels)"
        case let .invalidStages(text, reason):
            return "stages '\(text)': \(reason)"
        case let .emptySet(which):
            return "the \(which) set has no recordings"
        case let .emptyShard(shard, total):
            return "shard \(shard): this shard has no test recordings (\(total) in all): use at most \(total) shards"
        case let .invalidOption(field, value, expected):
            return "\(field.rawValue) \(value): expected \(expected)"
        }
    }
}
