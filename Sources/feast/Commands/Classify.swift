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

    @OptionGroup var workers: WorkerOptions

    @Flag(help: "Print one JSON object instead of CSV.")
    var json = false

    @OptionGroup var input: EventInputOptions

    func validate() throws {
        if let split, Split(name: split) == nil { throw ValidationError("--split \(split): expected train or test") }
        guard !inputs.isEmpty else { throw ValidationError("no inputs: expected event files or datasets to classify") }
    }

    func run() throws {
        let run = try ClassificationRun(classifier: classifier, network: network, geometry: input.geometry?.geometry)
        var items = try InputRecordings.list(inputs, format: format)
        if let split, let wanted = Split(name: split) {
            items = items.filter { $0.recording == nil || $0.recording?.split == wanted }
        }
        guard !items.isEmpty else { throw ValidationError("no recordings to classify in \(inputs.joined(separator: " "))\(split.map { " (--split \($0))" } ?? "")") }
        Terminal.log("classify: \(items.count) recordings, \(run.file.classifierSpec) on \(run.spec) (\(run.pipeline.dimensions[0]) features)")
        let report = try run.predict(items, options: input.readOptions(format: format, network: run.network.geometry),
                                     concurrency: workers.concurrency, warn: { Terminal.printError($0) })
        if let accuracy = report.accuracy {
            Terminal.log("classify: accuracy \(String(format: "%.4f", accuracy)) (\(report.correct) of \(report.labelledRecordings) labelled recordings)")
        } else {
            Terminal.log("classify: no labels, no accuracy")
        }
        let text = json ? try FeastJSON.text(report) : report.csv
        if let output, output != "-" {
            try text.writeAtomically(to: output)
            Terminal.log("wrote \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
