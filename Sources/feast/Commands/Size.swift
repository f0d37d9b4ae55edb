import ArgumentParser
import FeastAnalysis
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning
import Foundation

/// `feast size DATASET --neurons 4,8,16,...`: network-size heuristics.
struct Size: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Network-size heuristics: the noise-neuron rule and a classifier-free accuracy predictor.",
        discussion: """
        For each configuration (neurons × tau × seed) trains a float FEAST layer on the
        training split, then reports:
          noise neuron  whether one neuron specialised in isolated events (centre weight
                        ≥ 0.8 and most isolated events won), and its share of events;
          predictor     I(winning neuron × polarity; class) / H(class) on the training
                        split (no classifier);
          accuracy      accuracy of a classifier on win-count features, on the test
                        split or by --cv K folds on the training split (unless
                        --no-classifier).
        The recommended N is the smallest N tried ≥ ⌈1/f⌉, f the share of isolated
        events (context ≥ 0.8 of its norm on the centre pixel): from there
        homeostasis (1/N of the wins per neuron) leaves a neuron for noise; the
        observed noise neuron confirms it. Spearman's rank correlation
        between predictor and accuracy says how well the predictor ranks configurations.
        With --shard i/n -o PART.json a run trains only the configurations at positions
        i, i+n, … of the grid (tau, then neurons, then seed, as listed) and writes their
        rows; `feast merge REPORT.json PART*.json` gives the report of the whole grid
        (.json as --json prints it, .csv as --csv writes it, - the table).
        """)

    @Argument(help: "Dataset: class folders, labels CSV or zip (split by its split column or Train/Test folders, else a seeded hold-out).")
    var dataset: String

    @Option(parsing: .unconditional, help: "Neuron counts to try (comma-separated).")
    var neurons: String = "4,8,16,32,64,128"

    @Option(parsing: .unconditional, help: "Time constants to try, in µs (comma-separated).")
    var tau: String = "20000"

    @Option(parsing: .unconditional, help: "Seeds per configuration (1…S, added to --seed).")
    var seeds: Int = 1

    @Option(parsing: .unconditional, help: "Training epochs per configuration.")
    var epochs: Int = 1

    @OptionGroup(title: "Layer") var rule: LayerRuleOptions

    @OptionGroup var input: EventInputOptions

    @Option(help: "Classifier for the real accuracy (see `feast evaluate --help`).")
    var classifier: String = "logistic"

    @Flag(name: .customLong("no-classifier"), help: "Skip the real accuracy (heuristics only).")
    var noClassifier = false

    @Option(help: "Features for the real accuracy (FeatureSpec; plain win counts by default, so accuracy varies with N).")
    var features: String = "hist"

    @Option(parsing: .unconditional, help: "Accuracy by K-fold cross-validation on the training split instead of the test split (0 = test split).")
    var cv: Int = 0

    @OptionGroup var workers: WorkerOptions

    @Option(help: "Write the table as CSV to this file.")
    var csv: String?

    @Option(help: "Write a plot (accuracy and predictor against N) to this PNG.")
    var plot: String?

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @Option(name: [.short, .customLong("output")],
            help: "Write the JSON report (with --shard: the shard's partial result, for feast merge) to this file.")
    var output: String?

    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1, got \(seeds)") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        _ = try parsedNeurons()
        _ = try parsedTaus()
        guard cv == 0 || cv >= 2 else { throw ValidationError("invalid --cv \(cv): expected 0 (use the test split) or at least 2 folds") }
        if let r = rule.radius {
            guard r.values.count == 1 else { throw ValidationError("--radius: feast size studies one layer; give one radius") }
            guard (0...31).contains(r.values[0]) else { throw ValidationError("invalid --radius \(r.values[0]): expected 0…31") }
        }
        // Before any training: an unknown classifier would otherwise fail after it.
        if !noClassifier {
            do { _ = try ClassifierRegistry.builtIn.make(classifier) } catch { throw ValidationError("--classifier: \(error)") }
        }
        do { _ = try FeatureSpec(parsing: features) } catch { throw ValidationError("--features: \(error)") }
        if let shard = sharding.shard {
            guard output != nil else {
                throw ValidationError("--shard \(shard) writes a partial result for feast merge: give it a file with -o PART.json")
            }
            guard csv == nil, plot == nil else {
                throw ValidationError("--shard \(shard): --csv and --plot describe the whole grid; merge the shards first (feast merge REPORT.csv PART.json...)")
            }
        }
    }

    func parsedNeurons() throws -> [Int] { try CommaList.positive(neurons, flag: "--neurons", what: "integers") }

    func parsedTaus() throws -> [Double] { try CommaList.positive(tau, flag: "--tau", what: "numbers of µs") }

    func run() throws {
        let study = SizeRun(base: rule.resolved(FeastParameters()), neurons: try parsedNeurons(), taus: try parsedTaus(), seeds: seeds,
                            seed: rule.seed ?? 1, epochs: epochs, classifier: noClassifier ? nil : classifier,
                            features: try FeatureSpec(parsing: features), crossValidationFolds: cv,
                            concurrency: workers.concurrency, options: input.readOptions(format: nil))
        let outcome = try study.run(dataset: dataset, shard: try sharding.parsed(), log: { Terminal.log("size: " + $0) }) { done, total in
            if Terminal.stderrIsTerminal { Terminal.log("  \(done)/\(total) configurations done") }
        }
        switch outcome {
        case .shard(let part):
            try part.write(to: output!)
            Terminal.log("wrote \(output!): shard \(part.meta.shard) (\(part.rows.count) of \(part.shardTotal) configurations)")
        case .report(let report):
            if let output { try FeastJSON.text(report.json).writeAtomically(to: output) }
            if let csv { try report.csv.writeAtomically(to: csv) }
            if let plot { try report.plot().write(to: plot) }
            if json { try printJSON(report.json) } else { print(report.table) }
        }
    }
}
