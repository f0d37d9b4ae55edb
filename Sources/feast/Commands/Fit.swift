import ArgumentParser
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning
import Foundation

/// `feast fit --network NET.h5 --train DATASET -o CLASSIFIER.h5`: fits one
/// classifier on the features of the training recordings through a trained
/// network and saves it (a ``ClassifierFile``) for `feast classify`.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit one classifier on a trained network's features of the training recordings and save it for feast classify.",
        discussion: """
            Training recordings: those of DATASET not marked test (by a split column or a Test folder); all of them \
            when none is marked. (evaluate --train DATASET alone holds 20 % out of an unmarked dataset; fit keeps \
            everything: test with feast classify.) Features are computed as evaluate's stage d with --network: each \
            recording through its own copy of the layer, time surface reset, nothing learnt; the default spec is \
            evaluate's (hist:pool=4,norm=sqrt for a per-polarity network, hist:polarity,pool=4,norm=sqrt otherwise) and the default \
            classifier evaluate's (\(EvaluateDefaults.classifiers)), so fit + classify on the test recordings give the \
            predictions evaluate scores for that stage and classifier. Classes: 0 … the largest training label. \
            CLASSIFIER.h5 holds the fitted state (/state: arrays as float64 datasets with their shapes, scalars as \
            attributes) and as root attributes kind = "feast-classifier", classifier, classifier_spec, features, classes, \
            feature_dimension, network_digest (of NET.h5's bytes; classify refuses another network), network, \
            train_recordings. Written whole or not at all.
            """)

    @Option(help: ArgumentHelp("A trained network (from feast train).", valueName: "NET.h5"))
    var network: String

    @Option(help: ArgumentHelp("Training dataset (folder of class sub-folders, labels CSV or zip).", valueName: "DATASET"))
    var train: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The classifier file to write (.h5 or .hdf5).", valueName: "CLASSIFIER.h5"))
    var output: String

    @Option(help: ArgumentHelp("One classifier spec (\(ClassifierRegistry.builtIn.names.joined(separator: ", "))), e.g. logistic:lambda=0.1 or knn:k=3.",
                               valueName: "SPEC"))
    var classifier: String = EvaluateDefaults.classifiers

    @Option(help: ArgumentHelp("Feature spec, e.g. hist:polarity,pool=3. Default: evaluate's stage d spec for the network.", valueName: "SPEC"))
    var features: String?

    @Option(parsing: .unconditional, help: "Seed of classifiers that sample (elm), as evaluate's --seed.")
    var seed: UInt64 = 1

    @OptionGroup var workers: WorkerOptions

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @OptionGroup var input: EventInputOptions

    func validate() throws {
        guard !classifier.contains(",") else {
            throw ValidationError("--classifier \(classifier): fit saves one classifier; expected one spec, e.g. \(EvaluateDefaults.classifiers)")
        }
        do { _ = try ClassifierRegistry.builtIn.make(classifier, seed: seed) } catch { throw ValidationError("--classifier: \(error)") }
        if let features {
            do { _ = try FeatureSpec(parsing: features) } catch { throw ValidationError("--features: \(error)") }
        }
        let lower = output.lowercased()
        guard lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") else {
            throw ValidationError("-o \(output): a classifier file is HDF5; expected a name ending in .h5 or .hdf5")
        }
    }

    func run() throws {
        let digest = try FNV1a.file(network)
        let (_, layer) = try NetworkFile.loadNetwork(from: network)
        let spec = try features.map { try FeatureSpec(parsing: $0) } ?? StageEvaluation.defaultPooledFeatures(for: layer.layers[layer.depth - 1].parameters)[0]
        let extraction = try LayerFeaturePipeline(network: layer, specs: [spec], geometry: input.geometry?.geometry ?? layer.geometry)
        let dimension = extraction.dimensions[0]
        let set = try Dataset.load(path: train).excludingTest()
        guard !set.recordings.isEmpty else { throw ValidationError("\(train): no training recordings (expected event files not marked test)") }
        var labels = [Int]()
        for r in set.recordings {
            guard let label = r.label else { throw EvaluationError.unlabelledRecording(name: r.displayPath) }
            labels.append(label)
        }
        let items = set.recordings.map(InputRecordings.Item.init)
        Terminal.log("fit: \(items.count) training recordings, features \(spec) (\(dimension) per recording), classifier \(classifier)")
        let x = try extraction.matrix(of: items, options: input.readOptions(format: nil, network: layer.geometry), concurrency: workers.concurrency,
                                      warn: { Terminal.printError($0) })
        let classes = labels.max()! + 1
        var model = try ClassifierRegistry.builtIn.make(classifier, seed: seed)
        try model.fit(x, labels: labels, classes: classes)
        let correct = zip(try model.predict(x), labels).filter { $0 == $1 }.count
        let file = ClassifierFile(state: try model.state(), classifierSpec: classifier, features: spec.description, classes: classes,
                                  featureDimension: dimension, networkDigest: digest, network: network, trainRecordings: items.count)
        try file.write(to: output)
        let accuracy = Double(correct) / Double(items.count)
        Terminal.log("wrote \(output): \(classifier) on \(dimension) features, \(classes) classes; training accuracy \(String(format: "%.3f", accuracy))")
        if json {
            try printJSON(FitJSON(output: output, classifier: classifier, features: spec.description, classes: classes,
                                  featureDimension: dimension, trainRecordings: items.count, trainAccuracy: accuracy, networkDigest: digest))
        }
    }
}

/// `feast fit --json` (snake_case keys, fractions in 0…1).
struct FitJSON: Encodable {
    var output: String
    var classifier: String
    var features: String
    var classes: Int
    var featureDimension: Int
    var trainRecordings: Int
    var trainAccuracy: Double
    var networkDigest: String

    enum CodingKeys: String, CodingKey {
        case output, classifier, features, classes
        case featureDimension = "feature_dimension", trainRecordings = "train_recordings"
        case trainAccuracy = "train_accuracy", networkDigest = "network_digest"
    }
}
