import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast evaluate`: a ``StageEvaluation`` on datasets named by path,
/// split by DESIGN.md's rules, on the sensor of the recordings' headers,
/// optionally for one shard of the test set (a ``EvaluateShard`` for
/// `feast merge`).
public struct EvaluationRun: Sendable {
    /// Stages, layer, classifiers and seeds; its geometry is replaced by the
    /// first training recording's unless `options` gives one.
    public var evaluation: StageEvaluation
    /// The training dataset (folder, labels CSV or zip).
    public var train: String
    /// The test dataset; nil (or `train`) splits `train`.
    public var test: String?
    /// Fraction of a dataset without split marks held out for testing, in (0, 1).
    public var holdOut: Double
    /// Seed of the hold-out split.
    public var seed: UInt64
    /// Evaluate only this shard of the test recordings (nil: all).
    public var shard: Shard?
    /// How recordings are read (filters, leniency, geometry).
    public var options: EventReadOptions

    public init(evaluation: StageEvaluation, train: String, test: String?, holdOut: Double = 0.2, seed: UInt64 = 1,
                shard: Shard? = nil, options: EventReadOptions = EventReadOptions()) {
        self.evaluation = evaluation
        self.train = train
        self.test = test
        self.holdOut = holdOut
        self.seed = seed
        self.shard = shard
        self.options = options
    }

    /// Throws unless `fraction` is in (0, 1).
    public static func check(holdOut fraction: Double) throws {
        guard fraction > 0 && fraction < 1 else {
            throw EvaluationError.invalidOption(field: .holdOut, value: "\(fraction)", expected: "a fraction between 0 and 1")
        }
    }

    /// What a run measured.
    public struct Outcome: Sendable {
        public var report: StageReport
        /// Wall seconds of the whole run, loading included.
        public var wall: Double
        public var trainSet: Dataset
        /// The test recordings evaluated (the shard's, with a shard).
        public var testSet: Dataset
        /// The whole test set the shard was taken from.
        public var wholeTestSet: Dataset
    }

    /// Train and test sets: a dataset given only as `train` (or as both) is
    /// split by its split column or Train/Test folders, else by a seeded
    /// hold-out; a separate test dataset keeps its test-marked recordings
    /// if it has any, and the training dataset loses its own.
    public func datasets() throws -> (train: Dataset, test: Dataset) {
        try Self.check(holdOut: holdOut)
        let trainData = try Dataset.load(path: train)
        guard let test, test != train else { return trainData.split(holdOut: holdOut, seed: seed) }
        var testSet = try Dataset.load(path: test)
        if testSet.recordings.contains(where: { $0.split == .test }) {
            testSet = Dataset(source: testSet.source, recordings: testSet.recordings.filter { $0.split == .test })
        }
        return (trainData.excludingTest(), testSet)
    }

    /// Loads the datasets and runs the evaluation; `log` gets the plan and
    /// the evaluation's progress lines.
    public func run(log: (@Sendable (String) -> Void)? = nil) throws -> Outcome {
        let started = Date()
        let (trainSet, wholeTestSet) = try datasets()
        var testSet = wholeTestSet
        if let shard {
            testSet = wholeTestSet.shard(index: shard.index, count: shard.count)
            guard testSet.count > 0 else { throw EvaluationError.emptyShard(shard: "\(shard)", total: wholeTestSet.count) }
        }
        var evaluation = self.evaluation
        let options = self.options
        // The sensor of the recordings' headers (camera files), unless given.
        if options.geometry == nil, let first = trainSet.recordings.first {
            evaluation.geometry = try EventFileOpener.openSource(recording: first, options: options).geometry
        }
        log?("\(trainSet.count) training and \(testSet.count) test recordings, stages \(evaluation.stages.map(\.rawValue).joined(separator: ",")), "
             + "classifiers \(evaluation.classifiers.joined(separator: ",")), \(evaluation.seeds.count) seed(s)")
        evaluation.log = log
        let report = try evaluation.run(train: trainSet.recordings, test: testSet.recordings) { recording in
            try EventFileOpener.openSource(recording: recording, options: options)
        }
        return Outcome(report: report, wall: Date().timeIntervalSince(started),
                       trainSet: trainSet, testSet: testSet, wholeTestSet: wholeTestSet)
    }

    /// The shard file of `outcome` (a run with a shard). `network` is the
    /// network file evaluated (nil: trained per seed); `settings` the
    /// options that change the result, as text.
    public func shardFile(_ outcome: Outcome, network: String?, settings: String) throws -> EvaluateShard {
        var h = FNV1a()
        for (tag, set) in [("train", outcome.trainSet), ("test", outcome.wholeTestSet)] {
            h.add(tag)
            for r in set.recordings { h.add(r.name); h.add(r.label.map(String.init) ?? "-") }
        }
        return EvaluateShard(report: outcome.report, shard: shard!, total: outcome.wholeTestSet.count,
                             network: try network.map { "file digest " + (try FNV1a.file($0)) } ?? "trained per seed",
                             options: settings, inputs: h.hex, wall: outcome.wall)
    }
}
