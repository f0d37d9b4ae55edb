import FeastLearning

/// The partial result of `feast evaluate --shard i/n -o PART.json`: for every
/// stage × features × classifier row, the test confusion counts of each seed
/// on this shard's test recordings (positions i, i+n, … of the whole test
/// set) and the cross-validation accuracies (within the training set, which
/// every shard uses whole, so they are the same in every shard), with what
/// `feast merge` checks. The shards' counts add up to the whole test set's,
/// so the merged report equals a single run's, times aside (the merge
/// reports the shards' summed times).
public struct EvaluateShard: JSONShard {
    public static let kind = "feast-evaluate-shard"
    public static let title = "feast evaluate shard"

    public struct Row: Codable, Equatable {
        public var stage: String
        public var features: String
        public var classifier: String
        /// Per seed, counts[true][predicted] on this shard's test recordings.
        public var confusions: [[[Int]]]
        public var cvAccuracies: [Double]?
    }

    public var kind: String
    public var shardIndex: Int
    public var shardCount: Int
    /// Test recordings in the whole run.
    public var shardTotal: Int
    /// Digest of the network file, or "trained per seed".
    public var shardNetwork: String
    /// The evaluate arguments other than --shard, -o, --jobs, --json, --plots.
    public var shardOptions: String
    /// Digest of the training and the whole test set's names and labels.
    public var shardInputs: String
    public var classes: Int
    public var seeds: [UInt64]
    public var folds: Int?
    public var trainRecordings: Int
    /// Test recordings of this shard.
    public var testRecordings: Int
    public var rows: [Row]
    public var secondsTraining: Double
    public var secondsFeatures: Double
    public var secondsClassifiers: Double
    public var wallSeconds: Double

    public var shardItems: Int { testRecordings }

    public init(report: StageReport, shard: Shard, total: Int, network: String, options: String, inputs: String, wall: Double) {
        kind = Self.kind
        shardIndex = shard.index
        shardCount = shard.count
        shardTotal = total
        shardNetwork = network
        shardOptions = options
        shardInputs = inputs
        classes = report.classes
        seeds = report.seeds
        folds = report.folds
        trainRecordings = report.trainCount
        testRecordings = report.testCount
        rows = report.results.map {
            Row(stage: $0.stage.rawValue, features: $0.features, classifier: $0.classifier,
                confusions: $0.confusions.map(\.counts), cvAccuracies: $0.crossValidation?.values)
        }
        secondsTraining = report.timings.training
        secondsFeatures = report.timings.extraction
        secondsClassifiers = report.timings.classification
        wallSeconds = wall
    }

    /// The whole run's report from shards already checked to be all the
    /// shards of one run (any order), and its wall time (the shards' sum).
    /// Throws when they disagree on what every shard computes alike (the
    /// rows, classes, seeds, training set and cross-validation).
    public static func merge(_ shards: [(file: String, shard: EvaluateShard)]) throws -> (report: StageReport, wall: Double) {
        let (firstFile, first) = shards[0]
        for (file, s) in shards.dropFirst() {
            func differ(_ what: String, _ a: String, _ b: String) throws {
                if a != b { throw MergeError.mismatch(file: file, first: firstFile, what: what, found: a, expected: b) }
            }
            try differ("number of classes", "\(s.classes)", "\(first.classes)")
            try differ("list of seeds", "\(s.seeds)", "\(first.seeds)")
            try differ("training set", "\(s.trainRecordings) recordings", "\(first.trainRecordings) recordings")
            try differ("table of results", s.rows.map { "\($0.stage) \($0.features) \($0.classifier)" }.joined(separator: "; "),
                       first.rows.map { "\($0.stage) \($0.features) \($0.classifier)" }.joined(separator: "; "))
            for (a, b) in zip(s.rows, first.rows) {
                try differ("cross-validation of \(a.stage) \(a.features) \(a.classifier)",
                           "\(a.cvAccuracies ?? [])", "\(b.cvAccuracies ?? [])")
                try differ("number of seeds in \(a.stage) \(a.features) \(a.classifier)", "\(a.confusions.count)", "\(first.seeds.count)")
            }
        }
        var results = [StageResult]()
        for (r, row) in first.rows.enumerated() {
            guard let stage = EvaluationStage(rawValue: row.stage) else {
                throw MergeError.unreadable(file: firstFile, reason: "unknown stage '\(row.stage)'")
            }
            var confusions = [ConfusionMatrix]()
            for seed in first.seeds.indices {
                var sum = ConfusionMatrix(classes: first.classes)
                for (file, s) in shards {
                    guard seed < s.rows[r].confusions.count else {
                        throw MergeError.incomplete(file: file, shard: s.meta.shard.description, expected: "\(first.seeds.count) seeds", found: "\(s.rows[r].confusions.count)")
                    }
                    do {
                        try sum.add(try ConfusionMatrix(counts: s.rows[r].confusions[seed]))
                    } catch {
                        throw MergeError.unreadable(file: file, reason: "row \(row.stage) \(row.features) \(row.classifier), seed \(first.seeds[seed]): \(error)")
                    }
                }
                confusions.append(sum)
            }
            results.append(try StageResult(stage: stage, features: row.features, classifier: row.classifier, confusions: confusions,
                                           crossValidation: row.cvAccuracies.map(MeanSpread.init)))
        }
        var timings = StageTimings()
        for (_, s) in shards {
            timings.training += s.secondsTraining
            timings.extraction += s.secondsFeatures
            timings.classification += s.secondsClassifiers
        }
        let report = StageReport(results: results, classes: first.classes, seeds: first.seeds, folds: first.folds,
                                 trainCount: first.trainRecordings, testCount: shards.reduce(0) { $0 + $1.shard.testRecordings },
                                 training: [], timings: timings)
        return (report, shards.reduce(0) { $0 + $1.shard.wallSeconds })
    }
}
