import FeastCore

/// One row × column of the stage table: a classifier on one stage's features.
public struct StageResult: Sendable {
    public let stage: EvaluationStage
    /// Canonical feature spec (``FeatureSpec/description``).
    public let features: String
    /// Classifier spec as given (`logistic`, `knn:k=3`, …).
    public let classifier: String
    /// Test-set accuracy, one value per seed.
    public let test: MeanSpread
    /// k-fold cross-validation accuracy within the training set (pooled over
    /// folds), one value per seed; nil when CV was not asked for.
    public let crossValidation: MeanSpread?
    /// Test-set confusion counts summed over seeds (rows = true class).
    public let confusion: ConfusionMatrix
    /// Test-set confusion counts per seed: the counts of disjoint test sets
    /// (``feast evaluate --shard``) add up to those of their union.
    public let confusions: [ConfusionMatrix]

    /// A row whose test accuracies and summed counts come from `confusions`
    /// (one per seed).
    public init(stage: EvaluationStage, features: String, classifier: String, confusions: [ConfusionMatrix],
                crossValidation: MeanSpread?) throws {
        precondition(!confusions.isEmpty)
        self.stage = stage
        self.features = features
        self.classifier = classifier
        var sum = ConfusionMatrix(classes: confusions[0].classes)
        for m in confusions { try sum.add(m) }
        test = MeanSpread(confusions.map(\.accuracy))
        self.crossValidation = crossValidation
        confusion = sum
        self.confusions = confusions
    }
}

/// Wall-clock seconds spent per phase (summed over seeds).
public struct StageTimings: Sendable {
    public init() {}
    public var training = 0.0
    public var extraction = 0.0
    public var classification = 0.0
    public var total: Double { training + extraction + classification }
}

/// Everything a ``StageEvaluation`` measured.
public struct StageReport: Sendable {
    /// Rows in stage order, then feature order, then classifier order.
    public let results: [StageResult]
    public let classes: Int
    public let seeds: [UInt64]
    /// Cross-validation folds (nil = none).
    public let folds: Int?
    public let trainCount: Int
    public let testCount: Int
    /// Training summary per seed (empty when a trained network was given or
    /// no trained stage was asked for).
    public let training: [TrainingSummary]
    public let timings: StageTimings

    public init(results: [StageResult], classes: Int, seeds: [UInt64], folds: Int?, trainCount: Int, testCount: Int,
                training: [TrainingSummary], timings: StageTimings) {
        self.results = results
        self.classes = classes
        self.seeds = seeds
        self.folds = folds
        self.trainCount = trainCount
        self.testCount = testCount
        self.training = training
        self.timings = timings
    }

    /// How ``best`` was chosen.
    public enum Selection: String, Sendable {
        /// Highest mean cross-validation accuracy inside the training
        /// recordings; the test split is only scored afterwards.
        case crossValidation = "cv"
        /// No CV was run: highest mean test accuracy, so the test figure of
        /// the choice is optimistic.
        case testSplit = "test"
    }

    /// ``best``'s criterion: CV whenever every row has it.
    public var selection: Selection {
        !results.isEmpty && results.allSatisfy({ $0.crossValidation != nil }) ? .crossValidation : .testSplit
    }

    /// The best configuration by ``selection``: the highest mean CV
    /// accuracy (ties to the earlier row), never looking at the test split;
    /// without CV, the highest mean test accuracy (ties to the earlier row).
    public var best: StageResult? {
        let byCV = selection == .crossValidation
        var best: StageResult?
        for r in results {
            guard let b = best else { best = r; continue }
            let score = byCV ? r.crossValidation!.mean : r.test.mean
            let bestScore = byCV ? b.crossValidation!.mean : b.test.mean
            if score > bestScore { best = r }
        }
        return best
    }

    /// The 95 % Wilson interval of a row's mean test accuracy over the
    /// ``testCount`` test recordings (nil without test recordings).
    public func testInterval(_ result: StageResult) -> BinomialInterval? {
        testCount > 0 ? BinomialInterval(accuracy: result.test.mean, trials: testCount) : nil
    }

    /// The stage table: one row per stage × features, one column per
    /// classifier, cells `test` (and `cv` when measured) as mean ± spread.
    public var table: String {
        var classifiers = [String]()
        for r in results where !classifiers.contains(r.classifier) { classifiers.append(r.classifier) }
        var rows = [(String, String)]()
        for r in results where !rows.contains(where: { $0 == ("\(r.stage.rawValue)", r.features) }) {
            rows.append(("\(r.stage.rawValue)", r.features))
        }
        func cell(_ r: StageResult?) -> String {
            guard let r else { return "-" }
            var s = "test \(r.test)"
            if let cv = r.crossValidation { s += ", cv \(cv)" }
            return s
        }
        let header = ["stage", "features"] + classifiers
        var lines = [header]
        for (stage, features) in rows {
            let title = EvaluationStage(rawValue: stage)!.title
            lines.append(["\(stage) \(title)", features] + classifiers.map { c in
                cell(results.first { $0.stage.rawValue == stage && $0.features == features && $0.classifier == c })
            })
        }
        var widths = [Int](repeating: 0, count: header.count)
        for line in lines { for (i, c) in line.enumerated() { widths[i] = max(widths[i], c.count) } }
        return lines.map { line in
            line.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
