import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
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

    @Option(parsing: .unconditional, help: "Neurons per population, N.") var neurons: Int = FeastParameters().neurons
    @Option(parsing: .unconditional, help: "Window radius R.") var radius: Int = FeastParameters().radius
    @Option(parsing: .unconditional, help: ArgumentHelp("τ.", valueName: "microseconds")) var tau: Double = FeastParameters().tau
    @Option(parsing: .unconditional, help: "Learning rate η.") var eta: Double = FeastParameters().eta
    @Option(name: .customLong("threshold-rise"), parsing: .unconditional, help: "Δclose.") var thresholdRise: Double = FeastParameters().thresholdRise
    @Option(name: .customLong("threshold-fall"), parsing: .unconditional, help: "Δopen.") var thresholdFall: Double = FeastParameters().thresholdFall
    @Option(parsing: .unconditional, help: "Seed (weights, shuffle, stochastic rounding, classifier).") var seed: UInt64 = FeastParameters().seed
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
        _ = try ClassifierRegistry.builtIn.make(classifier, seed: seed)
    }

    var parameters: FeastParameters {
        FeastParameters(neurons: neurons, radius: radius, tau: tau, eta: eta, thresholdRise: thresholdRise,
                        thresholdFall: thresholdFall, seed: seed)
    }

    /// The (weight, context) pairs to run.
    var pairs: [(Int, Int)] {
        guard let contextBits else { return weightBits.values.map { ($0, $0) } }
        return weightBits.values.flatMap { w in contextBits.values.map { (w, $0) } }
    }

    func configuration(weight w: Int, context c: Int) -> FixedPointConfiguration {
        var f = FixedPointConfiguration()
        f.weightBits = w; f.weightFractionalBits = w - 1
        f.contextBits = c; f.contextFractionalBits = c - 1
        f.thresholdBits = thresholdBits
        f.thresholdFractionalBits = min(thresholdBits - 2, w - 1 + c - 1)
        f.accumulatorBits = accumulatorBits ?? min(62, w - 1 + c - 1 + 2)
        f.rounding = rounding
        f.overflow = overflow
        f.normalisation = normalisation
        return f.resolved(for: parameters)
    }

    func run() throws {
        let all = try Dataset.load(path: dataset)
        var train = all.recordings.filter { $0.split == .train && $0.label != nil }
        var test = all.recordings.filter { $0.split == .test && $0.label != nil }
        guard !train.isEmpty, !test.isEmpty else {
            throw ValidationError("\(dataset): needs labelled recordings marked train and test (split column or Train/Test folders)")
        }
        if let trainRecordings { train = Array(train.prefix(trainRecordings)) }
        if let testRecordings { test = Array(test.prefix(testRecordings)) }
        let classes = (train + test).map { $0.label! }.max()! + 1
        let options = EventReadOptions(format: nil)
        let trainEvents = try train.map { r -> ContiguousArray<Event> in var s = try EventFileOpener.openSource(recording: r, options: options); return try s.readAll() }
        let testEvents = try test.map { r -> ContiguousArray<Event> in var s = try EventFileOpener.openSource(recording: r, options: options); return try s.readAll() }
        let geometry = try EventFileOpener.openSource(recording: train[0], options: options).geometry
        let data = SweepData(train: trainEvents, test: testEvents, trainLabels: train.map { $0.label! },
                             testLabels: test.map { $0.label! }, classes: classes, geometry: geometry)
        let spec = try FeatureSpec(parsing: features)
        Terminal.log("sweep bits: \(train.count) train / \(test.count) test recordings, N = \(neurons), R = \(radius), \(epochs) epoch(s), seed \(seed)")

        // Float reference.
        let floatStart = try FeastLayer<FloatArithmetic>(parameters: parameters, geometry: geometry, arithmetic: .init())
        let (floatLayer, floatSummary) = try data.train(floatStart, epochs: epochs)
        let floatTest = try data.outputs(floatLayer, data.test)
        var floatModel = try ClassifierRegistry.builtIn.make(classifier, seed: seed)
        let floatAccuracy = try data.accuracy(floatLayer, spec: spec, classifier: &floatModel, testOutputs: floatTest)
        var rows = [SweepRow(label: "float32", weightBits: nil, contextBits: nil, thresholdBits: nil, accumulatorBits: nil,
                             agreement: 1, missRate: floatSummary.missRate, winSpread: floatSummary.winRateSpread,
                             accuracy: floatAccuracy, quantisedAccuracy: floatAccuracy, accumulatorOverflows: 0)]
        Terminal.log(rows[0].line)

        for (w, c) in pairs {
            let config = configuration(weight: w, context: c)
            // Inference agreement: the float network quantised.
            let quantised = try FeastLayer<FixedPointArithmetic>(quantising: floatLayer.state, configuration: config)
            let qTest = try data.outputs(quantised, data.test)
            var same = 0, total = 0
            for (a, b) in zip(floatTest, qTest) {
                for (x, y) in zip(a, b) { total += 1; if x.neuron == y.neuron { same += 1 } }
            }
            let qFeatures = try Matrix(qTest.map { try spec.makeExtractor(neurons: quantised.neurons * quantised.populations, geometry: geometry).features(of: $0) },
                                       cols: try spec.makeExtractor(neurons: quantised.neurons * quantised.populations, geometry: geometry).dimension)
            let quantisedAccuracy = try Metrics.accuracy(predicted: floatModel.predict(qFeatures), truth: data.testLabels)
            // Learning in this arithmetic from the same seed.
            let start = try FeastLayer<FixedPointArithmetic>(parameters: parameters, geometry: geometry, arithmetic: config)
            let (fixedLayer, summary) = try data.train(start, epochs: epochs)
            var model = try ClassifierRegistry.builtIn.make(classifier, seed: seed)
            let accuracy = try data.accuracy(fixedLayer, spec: spec, classifier: &model, testOutputs: nil)
            let row = SweepRow(label: "w\(w)/c\(c)", weightBits: w, contextBits: c, thresholdBits: config.thresholdBits,
                               accumulatorBits: config.accumulatorBits, agreement: total > 0 ? Double(same) / Double(total) : 0,
                               missRate: summary.missRate, winSpread: summary.winRateSpread, accuracy: accuracy,
                               quantisedAccuracy: quantisedAccuracy, accumulatorOverflows: fixedLayer.arithmetic.counters.accumulatorOverflows)
            Terminal.log(row.line)
            rows.append(row)
        }

        // Smallest total word length (then weight bits) within one point; the
        // tolerance keeps 0.91 "within" 0.92 despite binary fractions.
        func smallest(_ accuracy: (SweepRow) -> Double) -> SweepReport.Smallest? {
            rows.dropFirst().filter { accuracy($0) >= floatAccuracy - 0.01 - 1e-9 }
                .min { ($0.weightBits! + $0.contextBits!, $0.weightBits!) < ($1.weightBits! + $1.contextBits!, $1.weightBits!) }
                .map { SweepReport.Smallest(weightBits: $0.weightBits!, contextBits: $0.contextBits!) }
        }
        let report = SweepReport(dataset: dataset, trainRecordings: train.count, testRecordings: test.count, neurons: neurons,
                                 radius: radius, epochs: epochs, seed: seed, features: spec.description, classifier: classifier,
                                 floatAccuracy: floatAccuracy, rows: rows,
                                 smallestWithinOnePoint: smallest(\.accuracy), smallestQuantisedWithinOnePoint: smallest(\.quantisedAccuracy))
        if let csv { try HardwareFiles.write(report.csv, to: csv) }
        if let plot { try report.plot.write(to: plot) }
        if json {
            try printJSON(report)
        } else {
            FileHandle.standardOutput.write(Data(report.table.utf8))
        }
    }
}

/// The recordings of a sweep, decoded once.
struct SweepData: Sendable {
    var train: [ContiguousArray<Event>]
    var test: [ContiguousArray<Event>]
    var trainLabels: [Int]
    var testLabels: [Int]
    var classes: Int
    var geometry: SensorGeometry

    /// A copy of `layer` trained for `epochs` (seeded shuffle, surface reset per recording).
    func train<A: FeastArithmetic>(_ layer: FeastLayer<A>, epochs: Int) throws -> (FeastLayer<A>, TrainingSummary) {
        var trainer = Trainer<A>(layer: layer, epochs: epochs)
        let events = train, g = geometry
        let summary = try trainer.run(recordingCount: events.count, open: { ArrayEventSource(events[$0], geometry: g) })
        return (trainer.layer, summary)
    }

    /// Inference output events (misses included as −1) per recording, in parallel.
    func outputs<A: FeastArithmetic>(_ layer: FeastLayer<A>, _ recordings: [ContiguousArray<Event>]) throws -> [ContiguousArray<OutputEvent>] {
        try parallelMap(recordings) { events in
            var l = layer
            l.reset()
            var out = ContiguousArray<OutputEvent>()
            l.process(events, learn: false, into: &out, emitMisses: true)
            return out
        }
    }

    /// Fits `classifier` on `layer`'s training features, returns test accuracy.
    func accuracy<A: FeastArithmetic>(_ layer: FeastLayer<A>, spec: FeatureSpec, classifier: inout any Classifier,
                                      testOutputs: [ContiguousArray<OutputEvent>]?) throws -> Double {
        let extractor = try spec.makeExtractor(neurons: layer.neurons * layer.populations, geometry: geometry)
        func matrix(_ outs: [ContiguousArray<OutputEvent>]) throws -> Matrix {
            try Matrix(outs.map { try extractor.features(of: $0) }, cols: extractor.dimension)
        }
        let xTrain = try matrix(outputs(layer, train))
        let xTest = try matrix(testOutputs ?? outputs(layer, test))
        try classifier.fit(xTrain, labels: trainLabels, classes: classes)
        return try Metrics.accuracy(predicted: classifier.predict(xTest), truth: testLabels)
    }
}

/// One configuration's figures (fractions in 0…1).
struct SweepRow: Encodable {
    var label: String
    var weightBits: Int?
    var contextBits: Int?
    var thresholdBits: Int?
    var accumulatorBits: Int?
    var agreement: Double
    var missRate: Double
    var winSpread: Double?
    var accuracy: Double
    var quantisedAccuracy: Double
    var accumulatorOverflows: Int64

    enum CodingKeys: String, CodingKey {
        case label, agreement, accuracy
        case weightBits = "weight_bits", contextBits = "context_bits", thresholdBits = "threshold_bits"
        case accumulatorBits = "accumulator_bits", missRate = "miss_rate", winSpread = "win_spread"
        case quantisedAccuracy = "quantised_accuracy", accumulatorOverflows = "accumulator_overflows"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encode(weightBits, forKey: .weightBits)   // null for float32
        try c.encode(contextBits, forKey: .contextBits)
        try c.encode(thresholdBits, forKey: .thresholdBits)
        try c.encode(accumulatorBits, forKey: .accumulatorBits)
        try c.encode(agreement, forKey: .agreement)
        try c.encode(missRate, forKey: .missRate)
        try c.encode(winSpread, forKey: .winSpread)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(quantisedAccuracy, forKey: .quantisedAccuracy)
        try c.encode(accumulatorOverflows, forKey: .accumulatorOverflows)
    }

    var cells: [String] {
        [label, weightBits.map(String.init) ?? "-", contextBits.map(String.init) ?? "-",
         thresholdBits.map(String.init) ?? "-", accumulatorBits.map(String.init) ?? "-",
         String(format: "%.4f", agreement), String(format: "%.4f", missRate), winSpread.map { String(format: "%.2f", $0) } ?? "-",
         String(format: "%.3f", accuracy), String(format: "%.3f", quantisedAccuracy), "\(accumulatorOverflows)"]
    }

    var line: String { cells.joined(separator: "  ") }
}

/// `feast sweep bits` output.
struct SweepReport: Encodable {
    struct Smallest: Encodable {
        var weightBits: Int
        var contextBits: Int
        enum CodingKeys: String, CodingKey { case weightBits = "weight_bits", contextBits = "context_bits" }
    }
    var dataset: String
    var trainRecordings: Int
    var testRecordings: Int
    var neurons: Int
    var radius: Int
    var epochs: Int
    var seed: UInt64
    var features: String
    var classifier: String
    var floatAccuracy: Double
    var rows: [SweepRow]
    /// By accuracy of the layer trained in that arithmetic.
    var smallestWithinOnePoint: Smallest?
    /// By accuracy of the float network quantised (inference-only hardware).
    var smallestQuantisedWithinOnePoint: Smallest?

    enum CodingKeys: String, CodingKey {
        case dataset, neurons, radius, epochs, seed, features, classifier, rows
        case trainRecordings = "train_recordings", testRecordings = "test_recordings"
        case floatAccuracy = "float_accuracy", smallestWithinOnePoint = "smallest_within_one_point"
        case smallestQuantisedWithinOnePoint = "smallest_quantised_within_one_point"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(trainRecordings, forKey: .trainRecordings)
        try c.encode(testRecordings, forKey: .testRecordings)
        try c.encode(neurons, forKey: .neurons)
        try c.encode(radius, forKey: .radius)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(seed, forKey: .seed)
        try c.encode(features, forKey: .features)
        try c.encode(classifier, forKey: .classifier)
        try c.encode(floatAccuracy, forKey: .floatAccuracy)
        try c.encode(rows, forKey: .rows)
        try c.encode(smallestWithinOnePoint, forKey: .smallestWithinOnePoint)  // null when none is within
        try c.encode(smallestQuantisedWithinOnePoint, forKey: .smallestQuantisedWithinOnePoint)
    }

    static let header = ["config", "weight_bits", "context_bits", "threshold_bits", "accumulator_bits", "agreement",
                         "miss_rate", "win_spread", "accuracy", "quantised_accuracy", "accumulator_overflows"]

    var csv: String {
        ([Self.header.joined(separator: ",")] + rows.map { $0.cells.map { $0 == "-" ? "" : $0 }.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    /// A Markdown table (also readable as plain text).
    var table: String {
        var s = "| " + Self.header.joined(separator: " | ") + " |\n"
        s += "|" + String(repeating: "---|", count: Self.header.count) + "\n"
        for r in rows { s += "| " + r.cells.joined(separator: " | ") + " |\n" }
        let reference = String(format: "%.3f", floatAccuracy)
        for (what, m) in [("trained in fixed point", smallestWithinOnePoint), ("float network quantised", smallestQuantisedWithinOnePoint)] {
            if let m {
                s += "\n\(what): smallest word lengths within one point of float32 (\(reference)): weight \(m.weightBits) bits, context \(m.contextBits) bits"
            } else {
                s += "\n\(what): no configuration within one point of float32 (\(reference))"
            }
        }
        s += "\n"
        return s
    }

    /// Accuracy, quantised accuracy and agreement against the weight word length
    /// (configurations of one context length per series when context was swept).
    var plot: LinePlot {
        let fixed = rows.dropFirst()
        let contexts = Array(Set(fixed.map { $0.contextBits! })).sorted()
        let paired = fixed.allSatisfy { $0.weightBits == $0.contextBits }
        var series = [LinePlot.Series]()
        let groups: [(String, [SweepRow])] = paired ? [("", Array(fixed))] : contexts.map { c in (" c\(c)", fixed.filter { $0.contextBits == c }) }
        for (suffix, g) in groups {
            let x = g.map { Double($0.weightBits!) }
            series.append(LinePlot.Series(name: "accuracy" + suffix, x: x, y: g.map(\.accuracy), markers: true))
            series.append(LinePlot.Series(name: "quantised accuracy" + suffix, x: x, y: g.map(\.quantisedAccuracy), markers: true))
            series.append(LinePlot.Series(name: "winner agreement" + suffix, x: x, y: g.map(\.agreement), markers: true))
        }
        return LinePlot(title: "fixed point vs float32 (N = \(neurons), R = \(radius))",
                        xLabel: paired ? "weight = context bits" : "weight bits", yLabel: "fraction",
                        series: series, referenceLines: [LinePlot.ReferenceLine(y: floatAccuracy, label: "float32 accuracy")])
    }
}
