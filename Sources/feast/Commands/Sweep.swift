import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastAnalysis
import FeastIO
import FeastLearning

/// `feast sweep`: parameter sweeps (so far `bits`, the fixed-point word lengths).
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parameter sweeps.",
        subcommands: [SweepBits.self])
}

/// `--weight-bits 4,6,8`: a comma-separated list of integers.
struct IntList: ExpressibleByArgument, Sendable {
    var values: [Int]
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let ints = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !ints.isEmpty, ints.count == parts.count else { return nil }
        values = ints
    }
}

/// `feast sweep bits DATASET --weight-bits 4,6,8,…`: what each fixed-point
/// word length costs against float32, on one dataset and one seed.
struct SweepBits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bits",
        abstract: "Fixed-point word lengths against float32: winner agreement, miss rate, win spread, accuracy.",
        discussion: """
            Trains a float32 layer on the training split (--epochs, --seed). Per configuration: \
            agreement = fraction of test events whose winner (or miss) in the float network quantised \
            to that configuration equals the float winner (inference); miss rate and win spread (max/min \
            wins) over the last epoch of a layer trained in that arithmetic from the same seed; accuracy \
            = a classifier (--classifier) fitted on that layer's features (--features) of the training \
            split, scored on the test split; quantised accuracy = the float network's classifier on the \
            quantised network's test features. Without --context-bits the context word follows the \
            weight word (4,6,… means weight = context = 4, 6, …); with it every pair is run. \
            Threshold fractional bits = min(threshold bits − 2, weight + context fractional bits); \
            the accumulator is sized to the scores unless --accumulator-bits.
            """)

    @Argument(help: "Dataset with a train and a test split (split column or Train/Test folders).")
    var dataset: String

    @Option(name: .customLong("weight-bits"), help: ArgumentHelp("Weight word lengths.", valueName: "B,B,…"))
    var weightBits: IntList = IntList(argument: "4,6,8,10,12,16")!

    @Option(name: .customLong("context-bits"), help: ArgumentHelp("Context word lengths (default: = weight bits).", valueName: "B,B,…"))
    var contextBits: IntList?

    @Option(name: .customLong("threshold-bits"), parsing: .unconditional, help: "Threshold word, bits.")
    var thresholdBits: Int = 16

    @Option(name: .customLong("accumulator-bits"), parsing: .unconditional, help: "Accumulator, bits (default: weight + context fractional bits + 2).")
    var accumulatorBits: Int?

    @Option(help: "Rounding of learning updates: truncate, nearest, stochastic.")
    var rounding: RoundingMode = FixedPointConfiguration().rounding
    @Option(help: "Overflow: saturate or wrap.")
    var overflow: OverflowMode = FixedPointConfiguration().overflow
    @Option(help: "Weight normalisation: exact, newton, none.")
    var normalisation: WeightNormalisation = FixedPointConfiguration().normalisation

    @OptionGroup(title: "Layer") var layer: LayerParameterOptions
    @OptionGroup var input: EventInputOptions
    @Option(parsing: .unconditional, help: "Training epochs.") var epochs: Int = 1

    @Option(help: "Features (see feast evaluate --features), e.g. hist:pool=3.")
    var features: String = "hist:pool=3"
    @Option(help: "Classifier from the built-in registry, e.g. logistic, ridge, centroid.")
    var classifier: String = "logistic"

    @Option(name: .customLong("train-recordings"), parsing: .unconditional, help: "Use at most this many training recordings.")
    var trainRecordings: Int?
    @Option(name: .customLong("test-recordings"), parsing: .unconditional, help: "Use at most this many test recordings.")
    var testRecordings: Int?

    @Flag(help: "Print the table as one JSON object on stdout.") var json = false
    @Option(help: ArgumentHelp("Write a plot (PNG) of accuracy and agreement against word length.", valueName: "FILE")) var plot: String?
    @Option(help: ArgumentHelp("Write the table as CSV.", valueName: "FILE")) var csv: String?

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be ≥ 1, got \(epochs)") }
        for b in weightBits.values + (contextBits?.values ?? []) where !(2...24).contains(b) {
            throw ValidationError("word lengths must be in 2…24, got \(b)")
        }
        guard (2...32).contains(thresholdBits) else { throw ValidationError("--threshold-bits must be in 2…32, got \(thresholdBits)") }
        _ = try FeatureSpec(parsing: features)
        _ = try ClassifierRegistry.builtIn.make(classifier, seed: layer.seed ?? 1)
        if [layer.neurons?.values.count, layer.radius?.values.count, layer.tau?.values.count].contains(where: { ($0 ?? 1) > 1 }) {
            throw ValidationError("feast sweep bits works on a single layer; give --neurons, --radius and --tau one value each")
        }
    }

    /// The (weight, context) pairs to run.
    var pairs: [(Int, Int)] {
        guard let contextBits else { return weightBits.values.map { ($0, $0) } }
        return weightBits.values.flatMap { w in contextBits.values.map { (w, $0) } }
    }

    func run() throws {
        let parameters = layer.resolved(FeastParameters())
        var sweep = BitWidthSweep(parameters: parameters, pairs: pairs, features: try FeatureSpec(parsing: features), classifier: classifier)
        sweep.thresholdBits = thresholdBits
        sweep.accumulatorBits = accumulatorBits
        sweep.rounding = rounding
        sweep.overflow = overflow
        sweep.normalisation = normalisation
        sweep.epochs = epochs
        sweep.log = { Terminal.log($0) }
        let data = try SweepData.load(dataset: dataset, trainLimit: trainRecordings, testLimit: testRecordings,
                                      options: input.readOptions(format: nil))
        let report = try sweep.run(data, dataset: dataset)
        if let csv { try HardwareFiles.write(report.csv, to: csv) }
        if let plot { try report.plot.write(to: plot) }
        if json {
            try printJSON(report)
        } else {
            FileHandle.standardOutput.write(Data(report.table.utf8))
        }
    }
}
