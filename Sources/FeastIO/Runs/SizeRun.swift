import FeastAnalysis
import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast size`: a ``SizeStudy`` over a dataset and a grid of
/// configurations (tau, then neurons, then seed, in that nesting), or shard
/// `i/n` of that grid (positions `i, i+n, …`) as a ``SizeShard`` for
/// `feast merge`. The recordings are decoded into memory once (their own
/// sensor: camera headers; 34×34 for `.bin` and CSV) and shared by every
/// configuration.
public struct SizeRun: Sendable {
    /// Radius, learning rate and threshold steps of every configuration.
    public var base: FeastParameters
    public var neurons: [Int]
    /// Time constants, µs.
    public var taus: [Double]
    /// Seeds per configuration: `seed`, `seed + 1`, …
    public var seeds: Int
    /// Base seed of training and of the hold-out split.
    public var seed: UInt64
    public var epochs: Int
    /// Classifier spec of the real accuracy, or nil for heuristics only.
    public var classifier: String?
    public var features: FeatureSpec
    /// K-fold cross-validation on the training split instead of the test split (0: test split).
    public var crossValidationFolds: Int
    /// Configurations trained at once.
    public var concurrency: Int
    /// How recordings are read (filters, leniency, geometry).
    public var options: EventReadOptions

    public init(base: FeastParameters, neurons: [Int], taus: [Double], seeds: Int, seed: UInt64, epochs: Int,
                classifier: String?, features: FeatureSpec, crossValidationFolds: Int, concurrency: Int,
                options: EventReadOptions = EventReadOptions()) {
        self.base = base
        self.neurons = neurons
        self.taus = taus
        self.seeds = seeds
        self.seed = seed
        self.epochs = epochs
        self.classifier = classifier
        self.features = features
        self.crossValidationFolds = crossValidationFolds
        self.concurrency = concurrency
        self.options = options
    }

    /// The whole grid in its fixed order.
    public var grid: [SizeConfiguration] {
        var configurations: [SizeConfiguration] = []
        for t in taus {
            for n in neurons {
                for s in 0..<seeds { configurations.append(SizeConfiguration(neurons: n, tau: t, seed: seed &+ UInt64(s))) }
            }
        }
        return configurations
    }

    /// The result of a whole run, or of one shard.
    public enum Outcome {
        case report(SizeReport)
        case shard(SizeShard)
    }

    /// Runs the grid (or `shard` of it) on `dataset`, split by its split
    /// column or Train/Test folders, else a seeded 20 % hold-out; without a
    /// classifier every recording trains. `log` gets the plan, `progress`
    /// the configurations done and their total.
    public func run(dataset: String, shard: Shard? = nil, log: (String) -> Void = { _ in },
                    progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Outcome {
        let start = Date()
        let all = try Dataset.load(path: dataset)
        var (trainSet, testSet) = all.split(holdOut: 0.2, seed: seed)
        if classifier == nil {
            trainSet = Dataset(source: all.source, recordings: trainSet.recordings + testSet.recordings)
            testSet = Dataset(source: all.source, recordings: [])
        }
        guard trainSet.count > 0 else { throw EvaluationError.emptySet(which: "training") }
        let train = try decode(trainSet)
        let test = classifier == nil || crossValidationFolds > 1 ? nil : try decode(testSet)
        let classes = max(1, (train.labels + (test?.labels ?? [])).max().map { $0 + 1 } ?? 1)
        let geometry = try EventFileOpener.openSource(recording: trainSet.recordings[0], options: options).geometry
        try base.validate(geometry: geometry)
        let study = SizeStudy(base: base, geometry: geometry, epochs: epochs, classes: classes, classifier: classifier,
                              features: features, crossValidationFolds: crossValidationFolds)
        let grid = self.grid
        let positions = shard?.positions(total: grid.count) ?? Array(grid.indices)
        let configurations = positions.map { grid[$0] }
        log("\(configurations.count) configurations, \(train.events.count) training and \(test?.events.count ?? 0) test recordings")
        let done = Counter()
        let total = configurations.count
        let rows = try study.run(configurations, train: train, test: test, parallelism: concurrency) { _ in progress(done.increment(), total) }
        guard let shard else { return .report(SizeReport(rows: rows, taus: taus, wallSeconds: Date().timeIntervalSince(start))) }
        var names = FNV1a()
        for r in all.recordings { names.add(r.name); names.add(r.label.map { String($0) } ?? "-") }
        return .shard(SizeShard(kind: SizeShard.kind, shardIndex: shard.index, shardCount: shard.count, shardTotal: grid.count,
                                shardNetwork: "radius=\(base.radius) eta=\(base.eta) threshold-rise=\(base.thresholdRise) threshold-fall=\(base.thresholdFall) epochs=\(epochs)",
                                shardOptions: settings, shardInputs: names.hex, taus: taus, positions: positions, rows: rows,
                                wallSeconds: Date().timeIntervalSince(start)))
    }

    /// The settings besides the layer's that change the rows, recorded in a shard.
    var settings: String {
        func list<T>(_ xs: [T]) -> String { xs.map { "\($0)" }.joined(separator: ",") }
        return "neurons=\(list(neurons)) tau=\(list(taus.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" })) seeds=\(seeds) seed=\(seed) "
            + "classifier=\(classifier ?? "none") features=\(features) cv=\(crossValidationFolds)"
    }

    /// Decodes a split into memory once; every configuration reuses it.
    func decode(_ set: Dataset) throws -> SizeStudy.Split {
        var events: [ContiguousArray<Event>] = []
        for r in set.recordings {
            var source = try EventFileOpener.openSource(recording: r, options: options)
            events.append(try source.readAll())
        }
        return SizeStudy.Split(events: events, labels: set.recordings.map { $0.label ?? 0 })
    }
}

/// A thread-safe counter for progress from parallel workers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
