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
        public var cv_accuracies: [Double]?
    }

    public var kind: String
    public var shard_index: Int
    public var shard_count: Int
    /// Test recordings in the whole run.
    public var shard_total: Int
    /// Digest of the network file, or "trained per seed".
    public var shard_network: String
    /// The evaluate arguments other than --shard, -o, --jobs, --json, --plots.
    public var shard_options: String
    /// Digest of the training and the whole test set's names and labels.
    public var shard_inputs: String
    public var classes: Int
    public var seeds: [UInt64]
    public var folds: Int?
    public var train_recordings: Int
    /// Test recordings of this shard.
    public var test_recordings: Int
    public var rows: [Row]
    public var seconds_training: Double
    public var seconds_features: Double
    public var seconds_classifiers: Double
    public var wall_seconds: Double

    public var shardItems: Int { test_recordings }

    public init(report: StageReport, shard: Shard, total: Int, network: String, options: String, inputs: String, wall: Double) {
        kind = Self.kind
        shard_index = shard.index
        shard_count = shard.count
        shard_total = total
        shard_network = network
        shard_options = options
        shard_inputs = inputs
        classes = report.classes
        seeds = report.seeds
        folds = report.folds
        train_recordings = report.trainCount
        test_recordings = report.testCount
        rows = report.results.map {
            Row(stage: $0.stage.rawValue, features: $0.features, classifier: $0.classifier,
                confusions: $0.confusions.map(\.counts), cv_accuracies: $0.crossValidation?.values)
        }
        seconds_training = report.timings.training
        seconds_features = report.timings.extraction
        seconds_classifiers = report.timings.classification
        wall_seconds = wall
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
            try differ("training set", "\(s.train_recordings) recordings", "\(first.train_recordings) recordings")
            try differ("table of results", s.rows.map { "\($0.stage) \($0.features) \($0.classifier)" }.joined(separator: "; "),
                       first.rows.map { "\($0.stage) \($0.features) \($0.classifier)" }.joined(separator: "; "))
            for (a, b) in zip(s.rows, first.rows) {
                try differ("cross-validation of \(a.stage) \(a.features) \(a.classifier)",
                           "\(a.cv_accuracies ?? [])", "\(b.cv_accuracies ?? [])")
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
                                           crossValidation: row.cv_accuracies.map(MeanSpread.init)))
        }
        var timings = StageTimings()
        for (_, s) in shards {
            timings.training += s.seconds_training
            timings.extraction += s.seconds_features
            timings.classification += s.seconds_classifiers
        }
        let report = StageReport(results: results, classes: first.classes, seeds: first.seeds, folds: first.folds,
                                 trainCount: first.train_recordings, testCount: shards.reduce(0) { $0 + $1.shard.test_recordings },
                                 training: [], timings: timings)
        return (report, shards.reduce(0) { $0 + $1.shard.wall_seconds })
    }
}
