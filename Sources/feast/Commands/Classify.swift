import ArgumentParser
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning
import Foundation

/// `feast classify --classifier CLASSIFIER.h5 --network NET.h5 DATASET|FILE...`:
/// applies a classifier saved by `feast fit` to recordings, one prediction
/// per recording on stdout.
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the class of recordings with a classifier saved by feast fit.",
        discussion: """
            NET.h5 must be the network file the classifier was fitted with (its digest is recorded in \
            CLASSIFIER.h5); the features are the file's spec, computed as feast fit computed them. Output (stdout, \
            or -o FILE written whole or not at all): CSV `file,predicted,label`, one line per recording in input \
            order (each dataset sorted by name), the label column only when some recording has a label (empty for \
            the unlabelled ones); with --json one object {"predictions": [{"file", "predicted", "label"}], \
            "accuracy", "labelled_recordings"} (label and accuracy null when unknown). The accuracy over the labelled \
            recordings also goes to stderr.
            """)

    @Option(help: ArgumentHelp("A classifier file written by feast fit.", valueName: "CLASSIFIER.h5"))
    var classifier: String

    @Option(help: ArgumentHelp("The network file the classifier was fitted with.", valueName: "NET.h5"))
    var network: String

    @Argument(help: "Event files or datasets (folder, labels CSV, zip).")
    var inputs: [String]

    @Option(help: ArgumentHelp("Of datasets, classify only the recordings marked train or test (event files given by name are always classified).",
                               valueName: "train|test"))
    var split: String?

    @Option(help: "Input format when the header does not tell (default: from the extension).")
    var format: EventFormat?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the CSV (or with --json the JSON) to this file instead of stdout.", valueName: "OUT.csv"))
    var output: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: active processors).")
    var jobs: Int?

    @Flag(help: "Print one JSON object instead of CSV.")
    var json = false

    @OptionGroup var input: EventInputOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): expected an integer >= 1") }
        if let split, Split(name: split) == nil { throw ValidationError("--split \(split): expected train or test") }
        guard !inputs.isEmpty else { throw ValidationError("no inputs: expected event files or datasets to classify") }
    }

    /// The classifier file and its restored classifier, checked against
    /// the network file and its layer.
    static func load(classifier path: String, network: String) throws -> (file: ClassifierFile, model: any Classifier, layer: AnyFeastLayer, spec: FeatureSpec) {
        let file = try ClassifierFile.read(from: path)
        let digest = try FNV1a.file(network)
        guard digest == file.networkDigest else {
            throw ClassifyError.networkMismatch(classifier: path, network: network, fittedWith: file.network, recorded: file.networkDigest, found: digest)
        }
        let (_, layer) = try NetworkFile.loadLayer(from: network)
        let spec: FeatureSpec
        do { spec = try FeatureSpec(parsing: file.features) } catch {
            throw ClassifyError.badAttribute(classifier: path, attribute: "features", reason: "\(error)")
        }
        let model: any Classifier
        do {
            model = try ClassifierRegistry.builtIn.restore(file.state)
            // The state must take rows of the recorded dimension and give classes in range.
            let probe = try model.predict(Matrix(rows: 1, cols: file.featureDimension))
            guard probe.allSatisfy({ (0..<file.classes).contains($0) }) else {
                throw ValidationError("predicts class \(probe[0]), expected 0…\(file.classes - 1) (attribute 'classes')")
            }
        } catch {
            throw ClassifyError.unusableState(classifier: path, name: file.state.name, reason: "\(error)")
        }
        return (file, model, layer, spec)
    }

    func run() throws {
        let (file, model, layer, spec) = try Self.load(classifier: classifier, network: network)
        let extraction = try LayerFeaturePipeline(layer: layer, specs: [spec], geometry: input.geometry?.geometry ?? layer.geometry)
        let dimension = extraction.dimensions[0]
        guard dimension == file.featureDimension else {
            throw ClassifyError.featureDimension(classifier: classifier, features: file.features, expected: file.featureDimension,
                                                 network: network, found: dimension)
        }
        var items = try InputRecordings.list(inputs, format: format)
        if let split, let wanted = Split(name: split) {
            items = items.filter { $0.recording == nil || $0.recording?.split == wanted }
        }
        guard !items.isEmpty else { throw ValidationError("no recordings to classify in \(inputs.joined(separator: " "))\(split.map { " (--split \($0))" } ?? "")") }
        Terminal.log("classify: \(items.count) recordings, \(file.classifierSpec) on \(spec) (\(dimension) features)")
        let x = try extraction.matrix(of: items, options: input.readOptions(format: format, network: layer.geometry), jobs: jobs ?? defaultConcurrency)
        let predicted = try model.predict(x)
        let rows = zip(items, predicted).map { ClassifyJSON.Prediction(file: $0.name, predicted: $1, label: $0.label) }
        let labelled = rows.filter { $0.label != nil }
        let correct = labelled.filter { $0.label == $0.predicted }.count
        let accuracy = labelled.isEmpty ? nil : Double(correct) / Double(labelled.count)
        if let accuracy {
            Terminal.log("classify: accuracy \(String(format: "%.4f", accuracy)) (\(correct) of \(labelled.count) labelled recordings)")
        } else {
            Terminal.log("classify: no labels, no accuracy")
        }
        let text = json ? try FeastJSON.text(ClassifyJSON(predictions: rows, accuracy: accuracy, labelledRecordings: labelled.count))
                        : Self.csv(rows, withLabels: !labelled.isEmpty)
        if let output, output != "-" {
            try text.writeAtomically(to: output)
            Terminal.log("wrote \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// `file,predicted[,label]` with a header; the label column only when asked.
    static func csv(_ rows: [ClassifyJSON.Prediction], withLabels: Bool) -> String {
        var text = withLabels ? "file,predicted,label\n" : "file,predicted\n"
        for r in rows {
            text += InputRecordings.csvField(r.file) + ",\(r.predicted)"
            if withLabels { text += "," + (r.label.map(String.init) ?? "") }
            text += "\n"
        }
        return text
    }
}

/// `feast classify --json` (snake_case keys; nulls for unknown labels and accuracy).
struct ClassifyJSON: Encodable {
    struct Prediction: Encodable {
        var file: String
        var predicted: Int
        var label: Int?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(predicted, forKey: .predicted)
            try c.encode(label, forKey: .label)
        }
        enum CodingKeys: String, CodingKey { case file, predicted, label }
    }

    var predictions: [Prediction]
    var accuracy: Double?
    var labelledRecordings: Int

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(predictions, forKey: .predictions)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(labelledRecordings, forKey: .labelledRecordings)
    }
    enum CodingKeys: String, CodingKey {
        case predictions, accuracy
        case labelledRecordings = "labelled_recordings"
    }
}
