import Foundation
import FeastCore
import FeastEvents
import FeastLearning

/// `feast sweep bits`: what each fixed-point word length costs against
/// float32 on one dataset and one seed. Per (weight, context) pair:
/// agreement = fraction of test events whose winner (or miss) in the float
/// network quantised to that configuration equals the float winner
/// (inference); miss rate and win spread over the last epoch of a layer
/// trained in that arithmetic from the same seed; accuracy = `classifier`
/// fitted on that layer's `features` of the training split, scored on the
/// test split; quantised accuracy = the float network's classifier on the
/// quantised network's test features.
public struct BitWidthSweep: Sendable {
    public var parameters: FeastParameters
    /// (weight bits, context bits) pairs, in order.
    public var pairs: [(Int, Int)]
    public var thresholdBits: Int = 16
    /// nil = sized to the scores: weight + context fractional bits + 2.
    public var accumulatorBits: Int?
    public var rounding: RoundingMode = FixedPointConfiguration().rounding
    public var overflow: OverflowMode = FixedPointConfiguration().overflow
    public var normalisation: WeightNormalisation = FixedPointConfiguration().normalisation
    public var epochs: Int = 1
    public var features: FeatureSpec
    /// A built-in classifier spec.
    public var classifier: String
    /// Progress lines; nil = silent.
    public var log: (@Sendable (String) -> Void)?

    public init(parameters: FeastParameters, pairs: [(Int, Int)], features: FeatureSpec, classifier: String) {
        self.parameters = parameters
        self.pairs = pairs
        self.features = features
        self.classifier = classifier
    }

    /// The configuration of one pair: ``FixedPointConfiguration``'s word rule,
    /// the accumulator sized to the scores unless given.
    public func configuration(weight w: Int, context c: Int) -> FixedPointConfiguration {
        var f = FixedPointConfiguration(weightBits: w, contextBits: c, thresholdBits: thresholdBits,
                                        accumulatorBits: accumulatorBits ?? min(62, w - 1 + c - 1 + 2))
        f.rounding = rounding
        f.overflow = overflow
        f.normalisation = normalisation
        return f.resolved(for: parameters)
    }

    /// Runs the sweep on `data` (its `dataset` names the source in the report).
    public func run(_ data: SweepData, dataset: String) throws -> SweepReport {
        let spec = features, seed = parameters.seed, neurons = parameters.neurons, radius = parameters.radius
        let geometry = data.geometry, floatAccuracy: Double
        log?("sweep bits: \(data.train.count) train / \(data.test.count) test recordings, N = \(neurons), R = \(radius), \(epochs) epoch(s), seed \(seed)")

        // Float reference.
        let floatStart = try FeastLayer<FloatArithmetic>(parameters: parameters, geometry: geometry, arithmetic: .init())
        let (floatLayer, floatSummary) = try data.train(floatStart, epochs: epochs)
        let floatTest = try data.outputs(floatLayer, data.test)
        var floatModel = try ClassifierRegistry.builtIn.make(classifier, seed: seed)
        floatAccuracy = try data.accuracy(floatLayer, spec: spec, classifier: &floatModel, testOutputs: floatTest)
        var rows = [SweepRow(label: "float32", weightBits: nil, contextBits: nil, thresholdBits: nil, accumulatorBits: nil,
                             agreement: 1, missRate: floatSummary.missRate, winSpread: floatSummary.winRateSpread,
                             accuracy: floatAccuracy, quantisedAccuracy: floatAccuracy, accumulatorOverflows: 0)]
        log?(rows[0].line)

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
            log?(row.line)
            rows.append(row)
        }

        // Smallest total word length (then weight bits) within one point; the
        // tolerance keeps 0.91 "within" 0.92 despite binary fractions.
        func smallest(_ accuracy: (SweepRow) -> Double) -> SweepReport.Smallest? {
            rows.dropFirst().filter { accuracy($0) >= floatAccuracy - 0.01 - 1e-9 }
                .min { ($0.weightBits! + $0.contextBits!, $0.weightBits!) < ($1.weightBits! + $1.contextBits!, $1.weightBits!) }
                .map { SweepReport.Smallest(weightBits: $0.weightBits!, contextBits: $0.contextBits!) }
        }
        let report = SweepReport(dataset: dataset, trainRecordings: data.train.count, testRecordings: data.test.count, neurons: neurons,
                                 radius: radius, epochs: epochs, seed: seed, features: spec.description, classifier: classifier,
                                 floatAccuracy: floatAccuracy, rows: rows,
                                 smallestWithinOnePoint: smallest(\.accuracy), smallestQuantisedWithinOnePoint: smallest(\.quantisedAccuracy))
        return report
    }
}

/// Why a sweep cannot run on its input.
public enum SweepError: Error, CustomStringConvertible, Equatable {
    case noTrainTestSplit(dataset: String)

    public var description: String {
        switch self {
        case let .noTrainTestSplit(dataset):
            "\(dataset): needs labelled recordings marked train and test (split column or Train/Test folders)"
        }
    }
}

/// The recordings of a sweep, decoded once.
public struct SweepData: Sendable {
    public var train: [ContiguousArray<Event>]
    public var test: [ContiguousArray<Event>]
    public var trainLabels: [Int]
    public var testLabels: [Int]
    public var classes: Int
    public var geometry: SensorGeometry

    public init(train: [ContiguousArray<Event>], test: [ContiguousArray<Event>], trainLabels: [Int], testLabels: [Int],
                classes: Int, geometry: SensorGeometry) {
        self.train = train
        self.test = test
        self.trainLabels = trainLabels
        self.testLabels = testLabels
        self.classes = classes
        self.geometry = geometry
    }

    /// A copy of `layer` trained for `epochs` (seeded shuffle, surface reset per recording).
    public func train<A: FeastArithmetic>(_ layer: FeastLayer<A>, epochs: Int) throws -> (FeastLayer<A>, TrainingSummary) {
        var trainer = Trainer<A>(layer: layer, epochs: epochs)
        let events = train, g = geometry
        let summary = try trainer.run(recordingCount: events.count, open: { ArrayEventSource(events[$0], geometry: g) })
        return (trainer.layer, summary)
    }

    /// Inference output events (misses included as −1) per recording, in parallel.
    public func outputs<A: FeastArithmetic>(_ layer: FeastLayer<A>, _ recordings: [ContiguousArray<Event>]) throws -> [ContiguousArray<OutputEvent>] {
        try parallelMap(recordings) { events in
            var l = layer
            l.reset()
            var out = ContiguousArray<OutputEvent>()
            l.process(events, learn: false, into: &out, emitMisses: true)
            return out
        }
    }

    /// Fits `classifier` on `layer`'s training features, returns test accuracy.
    public func accuracy<A: FeastArithmetic>(_ layer: FeastLayer<A>, spec: FeatureSpec, classifier: inout any Classifier,
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

/// One configuration's figures (fractions in 0…1); JSON keys snake_case
/// through ``FeastJSON``, the word lengths `null` for float32.
public struct SweepRow: Encodable {
    public var label: String
    @ExplicitNull public var weightBits: Int?
    @ExplicitNull public var contextBits: Int?
    @ExplicitNull public var thresholdBits: Int?
    @ExplicitNull public var accumulatorBits: Int?
    public var agreement: Double
    public var missRate: Double
    @ExplicitNull public var winSpread: Double?
    public var accuracy: Double
    public var quantisedAccuracy: Double
    public var accumulatorOverflows: Int64

    public var cells: [String] {
        [label, weightBits.map(String.init) ?? "-", contextBits.map(String.init) ?? "-",
         thresholdBits.map(String.init) ?? "-", accumulatorBits.map(String.init) ?? "-",
         String(format: "%.4f", agreement), String(format: "%.4f", missRate), winSpread.map { String(format: "%.2f", $0) } ?? "-",
         String(format: "%.3f", accuracy), String(format: "%.3f", quantisedAccuracy), "\(accumulatorOverflows)"]
    }

    public var line: String { cells.joined(separator: "  ") }
}

/// `feast sweep bits` output.
public struct SweepReport: Encodable {
    public struct Smallest: Codable, Sendable {
        public var weightBits: Int
        public var contextBits: Int
    }
    public var dataset: String
    public var trainRecordings: Int
    public var testRecordings: Int
    public var neurons: Int
    public var radius: Int
    public var epochs: Int
    public var seed: UInt64
    public var features: String
    public var classifier: String
    public var floatAccuracy: Double
    public var rows: [SweepRow]
    /// By accuracy of the layer trained in that arithmetic (`null` when none is within).
    @ExplicitNull public var smallestWithinOnePoint: Smallest?
    /// By accuracy of the float network quantised (inference-only hardware).
    @ExplicitNull public var smallestQuantisedWithinOnePoint: Smallest?

    public static let header = ["config", "weight_bits", "context_bits", "threshold_bits", "accumulator_bits", "agreement",
                         "miss_rate", "win_spread", "accuracy", "quantised_accuracy", "accumulator_overflows"]

    public var csv: String {
        ([Self.header.joined(separator: ",")] + rows.map { $0.cells.map { $0 == "-" ? "" : $0 }.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    /// A Markdown table (also readable as plain text).
    public var table: String {
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
}
