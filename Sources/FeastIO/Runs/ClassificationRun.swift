import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast classify`: a classifier saved by `feast fit` applied to
/// recordings, one prediction per recording, with the features computed as
/// `feast fit` computed them (the file's spec, through the network it was
/// fitted with, whose digest the classifier file records).
public struct ClassificationRun: Sendable {
    public let file: ClassifierFile
    public let model: any Classifier
    /// The network's layers.
    public let network: FeastNetwork
    /// The features' path: the network and the file's spec.
    public let pipeline: LayerFeaturePipeline
    public let spec: FeatureSpec

    /// Loads the classifier at `path` and checks it against the network at
    /// `network`: the digest, the feature spec, a state that takes rows of
    /// the recorded dimension and gives classes in range, and the feature
    /// dimension on a sensor of `geometry` (nil: the network's).
    public init(classifier path: String, network: String, geometry: SensorGeometry? = nil) throws {
        let file = try ClassifierFile.read(from: path)
        let digest = try FNV1a.file(network)
        guard digest == file.networkDigest else {
            throw ClassifyError.networkMismatch(classifier: path, network: network, fittedWith: file.network, recorded: file.networkDigest, found: digest)
        }
        let (_, layers) = try NetworkFile.loadNetwork(from: network)
        do { spec = try FeatureSpec(parsing: file.features) } catch {
            throw ClassifyError.badAttribute(classifier: path, attribute: "features", underlying: UnderlyingError(error))
        }
        do {
            model = try ClassifierRegistry.builtIn.restore(file.state)
            let probe = try model.predict(Matrix(rows: 1, cols: file.featureDimension))
            guard probe.allSatisfy({ (0..<file.classes).contains($0) }) else {
                throw ClassStateError(description: "predicts class \(probe[0]), expected 0…\(file.classes - 1) (attribute 'classes')")
            }
        } catch {
            throw ClassifyError.unusableState(classifier: path, name: file.state.name, underlying: UnderlyingError(error))
        }
        self.network = layers
        pipeline = try LayerFeaturePipeline(network: layers, specs: [spec], geometry: geometry ?? layers.geometry)
        guard pipeline.dimensions[0] == file.featureDimension else {
            throw ClassifyError.featureDimension(classifier: path, features: file.features, expected: file.featureDimension,
                                                 network: network, found: pipeline.dimensions[0])
        }
        self.file = file
    }

    /// Predictions for `items`, in order, `concurrency` recordings at a time.
    public func predict(_ items: [InputRecordings.Item], options: EventReadOptions, concurrency: Int,
                        warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> ClassifyReport {
        let x = try pipeline.matrix(of: items, options: options, concurrency: concurrency, warn: warn)
        let predicted = try model.predict(x)
        return ClassifyReport(predictions: zip(items, predicted).map { ClassifyReport.Prediction(file: $0.name, predicted: $1, label: $0.label) })
    }

    private struct ClassStateError: Error, CustomStringConvertible { let description: String }
}

extension LayerFeaturePipeline {
    /// The first spec's features of command-line recordings (one row per
    /// item, in order), `concurrency` at a time; readers' warnings go to
    /// `warn`. `fit`, `classify` and `evaluate --network` compute the same rows.
    public func matrix(of items: [InputRecordings.Item], options: EventReadOptions, concurrency: Int,
                       warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> Matrix {
        let network = self.network?.geometry
        return try matrix(of: items, concurrency: concurrency, name: { $0.name }, open: { try $0.open(options, network: network) },
                          finished: { for warning in EventFileOpener.warnings(for: $0) { warn(warning) } })
    }
}

/// What `feast classify` prints: one prediction per recording, and the
/// accuracy over the labelled ones. JSON through ``FeastJSON``: label and
/// accuracy `null` when unknown.
public struct ClassifyReport: Encodable, Sendable {
    public struct Prediction: Encodable, Sendable {
        public var file: String
        public var predicted: Int
        @ExplicitNull public var label: Int?
    }

    public var predictions: [Prediction]
    /// Fraction correct of the labelled recordings; nil when none has a label.
    @ExplicitNull public var accuracy: Double?
    public var labelledRecordings: Int
    /// Labelled recordings predicted right.
    public var correct: Int { predictions.filter { $0.label != nil && $0.label == $0.predicted }.count }

    init(predictions: [Prediction]) {
        self.predictions = predictions
        labelledRecordings = predictions.filter { $0.label != nil }.count
        accuracy = nil
        if labelledRecordings > 0 { accuracy = Double(correct) / Double(labelledRecordings) }
    }

    enum CodingKeys: String, CodingKey { case predictions, accuracy, labelledRecordings }

    /// `file,predicted[,label]` with a header; the label column only when some recording has a label.
    public var csv: String {
        let withLabels = labelledRecordings > 0
        var text = withLabels ? "file,predicted,label\n" : "file,predicted\n"
        for r in predictions {
            text += InputRecordings.csvField(r.file) + ",\(r.predicted)"
            if withLabels { text += "," + (r.label.map(String.init) ?? "") }
            text += "\n"
        }
        return text
    }
}
