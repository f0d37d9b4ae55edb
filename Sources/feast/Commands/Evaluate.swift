import ArgumentParser
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning
import Foundation

/// `feast evaluate`: the accuracy of every processing stage with every
/// classifier (issue 6). The stage table goes to stdout; progress to stderr.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accuracy of each processing stage (raw events, untrained layer, trained FEAST, pooled) with each classifier.",
        discussion: """
            Stages: a = per-pixel event counts × polarity; b = an untrained layer (random unit weights, \
            same parameters and features as c and d: what learning adds); c = trained FEAST win counts; \
            d = trained FEAST with polarity and spatial pooling. Each classifier is fitted on the training \
            recordings and scored on the test recordings, optionally also by k-fold cross-validation within \
            the training recordings (--cv), and repeated over seeds (--seeds: layer initialisation, training \
            order, folds, classifier randomness). Without --network a layer is trained per seed. \
            A DATASET given only as --train (or as both) is split by its split column or Train/Test \
            folders, else by a seeded 20 % hold-out. Defaults come from the sweeps in docs/accuracy.md. \
            Your own Swift classifier: see examples/custom-classifier.
            """)

    @Option(help: ArgumentHelp("Training dataset (folder of class sub-folders, labels CSV or zip).", valueName: "DATASET"))
    var train: String

    @Option(help: ArgumentHelp("Test dataset (default: split --train).", valueName: "DATASET"))
    var test: String?

    @Option(help: ArgumentHelp("A trained network (from feast train): used for stages c and d instead of training.", valueName: "NET.h5"))
    var network: String?

    @OptionGroup(title: "Layer options (ignored with --network)") var layer: LayerOptions

    @Option(parsing: .unconditional, help: "Training passes over the training recordings.")
    var epochs: Int = 1

    @Option(help: ArgumentHelp("Classifiers, comma-separated specs (\(ClassifierRegistry.builtIn.names.joined(separator: ", "))), e.g. logistic,knn:k=3.", valueName: "NAME,..."))
    var classifier: String = EvaluateDefaults.classifiers

    @Option(help: ArgumentHelp("Feature spec of stage d (repeatable), e.g. hist:polarity,pool=3. Default: hist:pool=4,norm=sqrt for a per-polarity layer, hist:polarity,pool=4,norm=sqrt otherwise.", valueName: "SPEC"))
    var features: [String] = []

    @Option(help: ArgumentHelp("Feature spec of stage a (repeatable).", valueName: "SPEC"))
    var baselineFeatures: [String] = []

    @Option(help: ArgumentHelp("Stages to run, a subset of a,b,c,d,e (e: each deeper layer of a stack, --layers 2 or more).", valueName: "a,b,c,d,e"))
    var stages: String = "a,b,c,d,e"

    @Option(parsing: .unconditional, help: ArgumentHelp("Also K-fold cross-validation within the training set.", valueName: "K"))
    var cv: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Repeat over S seeds (seed, seed+1, …) and report mean ± spread.", valueName: "S"))
    var seeds: Int = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction held out for testing when a dataset without split marks is split.", valueName: "FRACTION"))
    var holdOut: Double = 0.2

    @OptionGroup var sharding: ShardOptions

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Write the --json report (with --shard: the shard's partial result, for feast merge) to this file.", valueName: "FILE.json"))
    var output: String?

    @OptionGroup var workers: WorkerOptions

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Write confusion.png (best configuration) into this folder.", valueName: "DIR"))
    var plots: String?

    @OptionGroup var input: EventInputOptions

    /// The first seed (`--seed`, default 1): of the hold-out split, the layers and the classifiers.
    var seed: UInt64 { layer.parameters.seed ?? 1 }

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs \(epochs): expected an integer >= 1") }
        try FlagNames.usage { try EvaluationRun.check(holdOut: holdOut) }
    }

    func run() throws {
        let run = EvaluationRun(evaluation: try makeEvaluation(), train: train, test: test, holdOut: holdOut, seed: seed,
                                shard: try sharding.parsed(), options: input.readOptions(format: nil))
        let outcome = try run.run(log: { Terminal.log("evaluate: \($0)") })
        guard let best = outcome.report.best else { throw ValidationError("nothing was evaluated") }
        let report = outcome.report, wall = outcome.wall
        if let output {
            if let shard = run.shard {
                try run.shardFile(outcome, network: network, settings: ShardOptions.settings(CommandLine.arguments.dropFirst(2))).write(to: output)
                Terminal.log("wrote \(output): shard \(shard) (\(outcome.testSet.count) of \(outcome.wholeTestSet.count) test recordings)")
            } else {
                try FeastJSON.text(StageReportJSON(report: report, best: best, wall: wall)).writeAtomically(to: output)
            }
        }
        if let plots { Terminal.log("evaluate: wrote " + (try ConfusionPlot.write(best: best, folder: plots))) }
        if json {
            try printJSON(StageReportJSON(report: report, best: best, wall: wall))
        } else {
            print(report.text(best: best, wall: wall))
        }
    }

    func makeEvaluation() throws -> StageEvaluation {
        guard seeds >= 1 else { throw ValidationError("--seeds \(seeds): expected an integer >= 1") }
        var e = StageEvaluation()
        let layers = try layer.resolvedLayers(EvaluateDefaults.parameters)
        e.parameters = layers[0]
        e.deeperParameters = Array(layers.dropFirst())
        e.arithmetic = layer.arithmetic(for: e.parameters)
        e.epochs = epochs
        if let network {
            let file = try NetworkFile.read(from: network)
            e.network = file.layer
            e.networkDeeper = Array(file.layers.dropFirst())
        }
        e.stages = try EvaluationStage.parseList(stages)
        e.classifiers = classifier.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if !features.isEmpty { e.pooledFeatures = try features.map { try FeatureSpec(parsing: $0) } }
        if !baselineFeatures.isEmpty { e.baselineFeatures = try baselineFeatures.map { try FeatureSpec(parsing: $0) } }
        e.seeds = (0..<UInt64(seeds)).map { seed &+ $0 }
        e.folds = cv
        e.concurrency = workers.concurrency
        e.geometry = input.geometry?.geometry ?? .nmnist
        try e.validate()
        return e
    }
}

/// The defaults of `feast evaluate`, from the sweeps in docs/accuracy.md.
enum EvaluateDefaults {
    static let parameters = StageEvaluation.defaultParameters
    static let classifiers = StageEvaluation.defaultClassifiers.joined(separator: ",")
}

