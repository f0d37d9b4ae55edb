import Foundation
import FeastCore
import FeastEvents

/// Measures what each processing stage adds (issue 6): for every seed, the
/// raw-event baseline (a), an untrained layer (b), a trained layer's win
/// counts (c) and its pooled features (d), and for a stacked network each
/// deeper layer's pooled features (e), each classifier fitted on the
/// training recordings and scored on the test recordings, optionally with
/// k-fold cross-validation within the training recordings.
///
/// Seeds: seed `s` sets the layer's weight initialisation and training
/// order (unless a trained ``network`` is given), the CV folds and the
/// classifiers' own randomness (ELM). Results are deterministic for a given
/// configuration and independent of ``concurrency``.
///
///     var evaluation = StageEvaluation(parameters: FeastParameters(neurons: 64))
///     evaluation.classifiers = ["logistic", "mine"]
///     evaluation.registry.register(Mine.self, name: "mine") { _ in Mine() }
///     let report = try evaluation.run(train: split.train.recordings, test: split.test.recordings)
///     print(report.table)
public struct StageEvaluation: Sendable {
    /// Layer parameters for training and for the untrained control (the
    /// seed is replaced by each evaluation seed). Ignored when ``network`` is set.
    public var parameters: FeastParameters
    public var arithmetic: LayerArithmetic
    /// A trained layer to use for stages (c) and (d) instead of training;
    /// stage (b) then uses its parameters and arithmetic with random weights.
    public var network: LayerState?
    /// Layers 1… of a stacked network: their parameters (stacking fields
    /// are set from the layer before, see ``FeastNetwork/stackedParameters(_:after:)``;
    /// the seed is replaced like layer 0's). Ignored when ``network`` is set.
    public var deeperParameters: [FeastParameters] = []
    /// Layers 1… of the given trained ``network``.
    public var networkDeeper: [LayerState] = []
    /// Training passes over the training recordings.
    public var epochs: Int
    public var stages: [EvaluationStage]
    /// Features of stage (a).
    public var baselineFeatures: [FeatureSpec]
    /// Features of stage (c).
    public var winCountFeatures: [FeatureSpec]
    /// Features of stage (d); nil = ``defaultPooledFeatures(for:)``.
    public var pooledFeatures: [FeatureSpec]?
    /// Classifier specs (``ClassifierRegistry`` grammar).
    public var classifiers: [String]
    /// Where classifier names are looked up; register your own here.
    public var registry: ClassifierRegistry
    public var seeds: [UInt64]
    /// k of k-fold cross-validation within the training set (nil = none).
    public var folds: Int?
    /// Threads for feature extraction and classifier fits.
    public var concurrency: Int
    public var geometry: SensorGeometry
    /// Progress lines (for stderr); nil = silent.
    public var log: (@Sendable (String) -> Void)?

    /// Pooling of the default stage (d) features: 4×4 cells (chosen by
    /// 5-fold CV inside the training recordings, docs/accuracy.md).
    public static let defaultPool = 4

    /// Scaling of the default stage (d) features: the square root of the
    /// win distribution (chosen by CV with ``defaultPool``, docs/accuracy.md).
    public static let defaultPooledNormalisation = FeatureNormalisation.sqrt

    /// Default layer: two populations (one per polarity) of 128 neurons,
    /// R = 3, τ = 20 ms (chosen by 5-fold CV inside the training
    /// recordings, docs/accuracy.md).
    public static let defaultParameters = FeastParameters(neurons: 128, radius: 3, tau: 20_000, polarityMode: .perPolarity)

    /// Default classifier list: the best built-in one in the sweeps.
    public static let defaultClassifiers = ["logistic"]

    public init(parameters: FeastParameters = StageEvaluation.defaultParameters, arithmetic: LayerArithmetic = .float, network: LayerState? = nil,
                epochs: Int = 1, stages: [EvaluationStage] = EvaluationStage.allCases,
                baselineFeatures: [FeatureSpec] = [FeatureSpec(kind: .pixels)],
                winCountFeatures: [FeatureSpec] = [FeatureSpec(kind: .hist)], pooledFeatures: [FeatureSpec]? = nil,
                classifiers: [String] = StageEvaluation.defaultClassifiers, registry: ClassifierRegistry = .builtIn, seeds: [UInt64] = [1],
                folds: Int? = nil, concurrency: Int = defaultConcurrency, geometry: SensorGeometry = .nmnist,
                log: (@Sendable (String) -> Void)? = nil) {
        self.parameters = parameters
        self.arithmetic = arithmetic
        self.network = network
        self.epochs = epochs
        self.stages = stages
        self.baselineFeatures = baselineFeatures
        self.winCountFeatures = winCountFeatures
        self.pooledFeatures = pooledFeatures
        self.classifiers = classifiers
        self.registry = registry
        self.seeds = seeds
        self.folds = folds
        self.concurrency = concurrency
        self.geometry = geometry
        self.log = log
    }

    /// Stage (d)'s default: win counts split by input polarity with
    /// ``defaultPool``² cells, scaled by ``defaultPooledNormalisation``. A
    /// per-polarity layer already separates the polarities by neuron index,
    /// so it gets no extra polarity split.
    public static func defaultPooledFeatures(for parameters: FeastParameters) -> [FeatureSpec] {
        [FeatureSpec(kind: .hist, splitPolarity: parameters.polarityMode != .perPolarity, pool: defaultPool,
                     normalisation: defaultPooledNormalisation)]
    }

    /// The layer parameters in effect (the network's when one is given).
    public var effectiveParameters: FeastParameters { network?.parameters ?? parameters }

    /// Layers in the network evaluated (1 + deeper ones).
    public var depth: Int { 1 + (network != nil ? networkDeeper.count : deeperParameters.count) }

    /// Parameters of deeper layer `k` (1…) for `seed`, stacked on the layer before.
    public func deeperLayerParameters(_ k: Int, seed: UInt64) throws -> FeastParameters {
        var p = try FeastNetwork.stackedParameters([effectiveParameters] + deeperParameters)[k]
        p.seed = seed
        return p
    }

    /// Stage (e)'s features: stage (d)'s without a polarity split (a deeper
    /// layer's input polarity is a channel, not ON/OFF).
    public var deeperFeatures: [FeatureSpec] {
        var out = [FeatureSpec]()
        for var s in features(of: .d) {
            s.splitPolarity = false
            if !out.contains(s) { out.append(s) }
        }
        return out
    }

    /// Feature specs of `stage`.
    public func features(of stage: EvaluationStage) -> [FeatureSpec] {
        let pooled = pooledFeatures ?? Self.defaultPooledFeatures(for: effectiveParameters)
        switch stage {
        case .a: return baselineFeatures
        case .b:
            var out = [FeatureSpec]()
            for s in (stages.contains(.c) ? winCountFeatures : []) + (stages.contains(.d) ? pooled : []) where !out.contains(s) { out.append(s) }
            return out.isEmpty ? pooled : out
        case .c: return winCountFeatures
        case .d: return pooled
        case .e: return deeperFeatures
        }
    }

    /// The settings errors name.
    public enum Field: String, Sendable, CaseIterable {
        case classifiers, seeds, epochs, folds
        case holdOut = "hold-out fraction"
    }

    /// Checks the options and builds every classifier once, so a bad name
    /// or option fails before any work.
    public func validate() throws {
        guard !stages.isEmpty else { throw EvaluationError.invalidStages(text: "", reason: "no stages; expected a subset of a, b, c, d, e") }
        guard !classifiers.isEmpty else { throw EvaluationError.invalidOption(field: .classifiers, value: "''", expected: "at least one classifier name") }
        guard !seeds.isEmpty else { throw EvaluationError.invalidOption(field: .seeds, value: "0", expected: "at least one seed") }
        guard epochs >= 1 else { throw EvaluationError.invalidOption(field: .epochs, value: "\(epochs)", expected: "an integer >= 1") }
        if let folds, folds < 2 { throw EvaluationError.invalidOption(field: .folds, value: "\(folds)", expected: "at least 2 folds") }
        for c in classifiers { _ = try registry.make(c, seed: seeds[0]) }
        for stage in stages {
            for spec in features(of: stage) {
                if stage == .a && spec.kind == .hist { throw EvaluationError.histogramWithoutLayer(spec: spec.description) }
                _ = try spec.makeExtractor(neurons: effectiveParameters.neurons * effectiveParameters.populations, geometry: geometry)
            }
        }
        try effectiveParameters.validate(geometry: geometry)
        if network == nil {
            // Layer 0 (unchanged by stacking) was checked just above.
            for p in try FeastNetwork.stackedParameters([effectiveParameters] + deeperParameters).dropFirst() { try p.validate(geometry: geometry) }
        }
    }

    /// Runs the evaluation. `open` opens a recording (default: `.bin` and
    /// CSV through ``Recording/open(lenient:columns:geometry:)``).
    public func run(train: [Recording], test: [Recording],
                    open: @escaping @Sendable (Recording) throws -> any EventSource = { try $0.open() }) throws -> StageReport {
        try validate()
        guard !train.isEmpty else { throw EvaluationError.emptySet(which: "training") }
        guard !test.isEmpty else { throw EvaluationError.emptySet(which: "test") }
        for r in train + test where r.label == nil { throw EvaluationError.unlabelledRecording(name: r.name) }
        let classes = (train + test).map { $0.label! }.max()! + 1
        let all = train + test
        var timings = StageTimings()
        var summaries = [TrainingSummary]()
        // (stage, spec index) → per-seed (train, test) matrices.
        var perSeed = [[Row]]()
        var baseline: [Row]?
        // The one point where the arithmetic is chosen: the network's, else
        // `arithmetic`; stages (b)–(d) then run specialised for it.
        let prototype = try network.map { try AnyFeastLayer(restoring: $0) }
            ?? AnyFeastLayer(parameters: effectiveParameters, geometry: geometry, arithmetic: arithmetic)
        for seed in seeds {
            var rows = [Row]()
            if stages.contains(.a) {
                if baseline == nil {
                    let start = Date()
                    let specs = features(of: .a)
                    let table = try LayerFeaturePipeline(layer: nil, specs: specs, geometry: geometry)
                        .run(all, concurrency: concurrency, open: open)
                    baseline = Self.rows(.a, table, trainCount: train.count)
                    timings.extraction += Date().timeIntervalSince(start)
                }
                rows += baseline!
            }
            var stagesOfSeed = LayerStages(evaluation: self, seed: seed, train: train, all: all, open: open,
                                           timings: timings, summaries: summaries)
            var layer = prototype
            let layerRows = try layer.apply(&stagesOfSeed)
            timings = stagesOfSeed.timings
            summaries = stagesOfSeed.summaries
            rows += layerRows
            perSeed.append(rows)
        }

        // Every (row, classifier, seed) is an independent job.
        let start = Date()
        struct Job: Sendable { let row: Int; let classifier: Int; let seed: Int }
        var jobs = [Job]()
        for r in perSeed[0].indices { for c in classifiers.indices { for s in seeds.indices { jobs.append(Job(row: r, classifier: c, seed: s)) } } }
        let cvThreads = max(1, concurrency / max(jobs.count, 1))
        let log = self.log, classifiers = self.classifiers, registry = self.registry, seeds = self.seeds, folds = self.folds
        log?("fitting \(classifiers.count) classifier(s) on \(perSeed[0].count) feature set(s) × \(seeds.count) seed(s)\(folds.map { ", \($0)-fold CV" } ?? "")")
        let frozen = perSeed
        // Claimed costliest first (a fit's cost grows with the feature
        // dimension), so the last jobs to finish are the short ones; the
        // outcomes go back to job order, so the report does not depend on it.
        let order = jobs.indices.sorted { a, b in
            let ca = frozen[jobs[a].seed][jobs[a].row].train.cols, cb = frozen[jobs[b].seed][jobs[b].row].train.cols
            return ca != cb ? ca > cb : a < b
        }
        let claimed = try parallelMap(order.map { jobs[$0] }, concurrency: concurrency) { job -> (Double?, ConfusionMatrix) in
            let row = frozen[job.seed][job.row]
            let spec = classifiers[job.classifier], seed = seeds[job.seed]
            var model = try registry.make(spec, seed: seed)
            try model.fit(row.train, labels: row.trainLabels, classes: classes)
            let predicted = try model.predict(row.test)
            let cm = try ConfusionMatrix(predicted: predicted, truth: row.testLabels, classes: classes)
            var cv: Double?
            if let folds {
                cv = try CrossValidation.run(row.train, labels: row.trainLabels, classes: classes, folds: folds, seed: seed,
                                             concurrency: cvThreads) { try registry.make(spec, seed: seed) }.accuracy
            }
            return (cv, cm)
        }
        var outcomes = claimed
        for (position, job) in order.enumerated() { outcomes[job] = claimed[position] }
        timings.classification += Date().timeIntervalSince(start)

        var results = [StageResult]()
        var k = 0
        for r in perSeed[0].indices {
            for c in classifiers.indices {
                var cvs = [Double](), confusions = [ConfusionMatrix]()
                for _ in seeds.indices {
                    let (cv, m) = outcomes[k]
                    k += 1
                    if let cv { cvs.append(cv) }
                    confusions.append(m)
                }
                let row = perSeed[0][r]
                results.append(try StageResult(stage: row.stage, features: row.name, classifier: classifiers[c],
                                               confusions: confusions, crossValidation: cvs.isEmpty ? nil : MeanSpread(cvs)))
            }
        }
        return StageReport(results: results, classes: classes, seeds: seeds, folds: folds, trainCount: train.count,
                           testCount: test.count, training: summaries, timings: timings)
    }

    /// One feature set of one stage: train and test matrices.
    struct Row: Sendable {
        let stage: EvaluationStage
        let spec: FeatureSpec
        /// The features column: the spec, after "layer k" for stage (e).
        let name: String
        let train: Matrix
        let trainLabels: [Int]
        let test: Matrix
        let testLabels: [Int]
    }

    /// Splits a table over train + test recordings into rows.
    static func rows(_ stage: EvaluationStage, _ table: FeatureTable, trainCount: Int, only specs: [FeatureSpec]? = nil, layer: Int? = nil) -> [Row] {
        let trainIdx = Array(0..<trainCount), testIdx = Array(trainCount..<table.labels.count)
        return table.specs.indices.compactMap { i in
            if let specs, !specs.contains(table.specs[i]) { return nil }
            let m = table.matrices[i]
            return Row(stage: stage, spec: table.specs[i], name: layer.map { "layer \($0) \(table.specs[i])" } ?? table.specs[i].description, train: m.selectingRows(trainIdx), trainLabels: trainIdx.map { table.labels[$0] },
                       test: m.selectingRows(testIdx), testLabels: testIdx.map { table.labels[$0] })
        }
    }

    /// Stages (b), (c), (d) for one seed, in the arithmetic of the layer it visits.
    fileprivate struct LayerStages: FeastLayerVisitor {
        let evaluation: StageEvaluation
        let seed: UInt64
        let train: [Recording], all: [Recording]
        let open: @Sendable (Recording) throws -> any EventSource
        var timings: StageTimings
        var summaries: [TrainingSummary]

        mutating func visit<A: FeastArithmetic>(_ layer: inout FeastLayer<A>) throws -> [Row] {
            // With a network the visited layer is that network, restored once.
            try evaluation.layerStages(A.self, configuration: layer.arithmetic.configuration, restored: evaluation.network == nil ? nil : layer,
                                       seed: seed, train: train, all: all, open: open, timings: &timings, summaries: &summaries)
        }
    }

    /// Stages (b), (c), (d) for one seed.
    fileprivate func layerStages<A: FeastArithmetic>(_ type: A.Type, configuration: A.Configuration, restored: FeastLayer<A>?, seed: UInt64,
                                                 train: [Recording], all: [Recording],
                                                 open: @escaping @Sendable (Recording) throws -> any EventSource,
                                                 timings: inout StageTimings, summaries: inout [TrainingSummary]) throws -> [Row] {
        var rows = [Row]()
        var seeded = effectiveParameters
        seeded.seed = seed
        let params = seeded, specsB = features(of: .b)
        let trainsLayer = (stages.contains(.c) || stages.contains(.d) || (stages.contains(.e) && depth > 1)) && restored == nil
        // The untrained layer's features (b) do not need the trained layer, and
        // training is one sequential pass: with two or more workers, b is
        // extracted on the others while one trains. Each part is
        // deterministic, so the result is the same either way.
        @Sendable func untrainedTable(workers: Int) throws -> (FeatureTable, Double) {
            let start = Date()
            let untrained = try FeastLayer<A>(parameters: params, geometry: geometry, arithmetic: configuration)
            let table = try LayerFeaturePipeline(layer: untrained, specs: specsB, geometry: geometry).run(all, concurrency: workers, open: open)
            return (table, Date().timeIntervalSince(start))
        }
        @Sendable func trainedLayer() throws -> (FeastLayer<A>, TrainingSummary, Double) {
            let start = Date()
            var trainer = Trainer(layer: try FeastLayer<A>(parameters: params, geometry: geometry, arithmetic: configuration), epochs: epochs)
            let summary = try trainer.run(recordingCount: train.count, open: { try open(train[$0]) })
            return (trainer.layer, summary, Date().timeIntervalSince(start))
        }
        var tableB: (FeatureTable, Double)?
        var training: (FeastLayer<A>, TrainingSummary, Double)?
        if stages.contains(.b) && trainsLayer && concurrency >= 2 {
            let workers = concurrency - 1
            let parts = try parallelMap([0, 1], concurrency: 2) { part -> ((FeatureTable, Double)?, (FeastLayer<A>, TrainingSummary, Double)?) in
                part == 0 ? (nil, try trainedLayer()) : (try untrainedTable(workers: workers), nil)
            }
            training = parts[0].1
            tableB = parts[1].0
        } else {
            if stages.contains(.b) { tableB = try untrainedTable(workers: concurrency) }
            if trainsLayer { training = try trainedLayer() }
        }
        if case let (table, seconds)? = tableB {
            rows += Self.rows(.b, table, trainCount: train.count)
            timings.extraction += seconds
            log?("seed \(seed): untrained layer features in \(Self.seconds(seconds))")
        }
        let stacks = stages.contains(.e) && depth > 1
        guard stages.contains(.c) || stages.contains(.d) || stacks else { return rows }
        let trained: FeastLayer<A>
        if let restored {
            trained = restored
        } else {
            let (layer, summary, seconds) = training!
            summaries.append(summary)
            trained = layer
            timings.training += seconds
            log?("seed \(seed): trained on \(summary.events) events in \(Self.seconds(seconds)), miss rate \(format3(summary.missRate))")
        }
        let start = Date()
        var specs = [FeatureSpec]()
        for s in (stages.contains(.c) ? features(of: .c) : []) + (stages.contains(.d) ? features(of: .d) : []) where !specs.contains(s) { specs.append(s) }
        if !specs.isEmpty {
            let table = try LayerFeaturePipeline(layer: trained, specs: specs, geometry: geometry).run(all, concurrency: concurrency, open: open)
            if stages.contains(.c) { rows += Self.rows(.c, table, trainCount: train.count, only: features(of: .c)) }
            if stages.contains(.d) { rows += Self.rows(.d, table, trainCount: train.count, only: features(of: .d)) }
            timings.extraction += Date().timeIntervalSince(start)
            log?("seed \(seed): trained layer features in \(Self.seconds(Date().timeIntervalSince(start)))")
        }
        guard stacks else { return rows }
        // Stage (e): each deeper layer trained (or restored) on the winners
        // of the frozen layers before it, then the stack's features per depth.
        var network = FeastNetwork(AnyFeastLayer(trained))
        for k in 1..<depth {
            let next: FeastLayer<A>
            if restored != nil {
                next = try FeastLayer<A>(restoring: networkDeeper[k - 1])
            } else {
                let begin = Date()
                let prefix = network
                var trainer = Trainer(layer: try FeastLayer<A>(parameters: deeperLayerParameters(k, seed: seed), geometry: geometry,
                                                              arithmetic: configuration), epochs: epochs)
                let summary = try trainer.run(recordingCount: train.count, open: { StackedEventSource(try open(train[$0]), through: prefix) })
                next = trainer.layer
                timings.training += Date().timeIntervalSince(begin)
                log?("seed \(seed): trained layer \(k) on \(summary.events) events in \(Self.seconds(Date().timeIntervalSince(begin))), miss rate \(format3(summary.missRate))")
            }
            network = try FeastNetwork(layers: network.layers + [AnyFeastLayer(next)])
            let begin = Date()
            let table = try LayerFeaturePipeline(network: network, specs: deeperFeatures, geometry: geometry).run(all, concurrency: concurrency, open: open)
            rows += Self.rows(.e, table, trainCount: train.count, layer: k)
            timings.extraction += Date().timeIntervalSince(begin)
        }
        return rows
    }

    static func seconds(_ s: Double) -> String { "\(format3(s)) s" }
}
