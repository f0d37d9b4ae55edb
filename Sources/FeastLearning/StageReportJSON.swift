import Foundation

/// The JSON report of `feast evaluate` (keys snake_case through ``FeastJSON``,
/// fractions in 0…1).
public struct StageReportJSON: Encodable {
    public struct Row: Encodable {
        public var stage: String
        public var features: String
        public var classifier: String
        /// Mean test accuracy over seeds.
        public var accuracy: Double
        public var accuracySpread: Double
        public var testAccuracies: [Double]
        public var cvMean: Double?
        public var cvSpread: Double?
        public var cvAccuracies: [Double]?

        public enum CodingKeys: String, CodingKey {
            case stage, features, classifier, accuracy
            case accuracySpread = "accuracy_spread", testAccuracies = "test_accuracies"
            case cvMean = "cv_mean", cvSpread = "cv_spread", cvAccuracies = "cv_accuracies"
        }
    }
    public struct Best: Encodable { var stage: String; var features: String; var classifier: String }
    public struct Seconds: Encodable { var training: Double; var features: Double; var classifiers: Double; var wall: Double }

    public var accuracy: Double
    public var best: Best
    public var results: [Row]
    public var perClass: [Double?]
    public var confusion: [[Int]]
    public var classes: Int
    public var trainRecordings: Int
    public var testRecordings: Int
    public var seeds: [UInt64]
    public var folds: Int?
    /// How `best` was chosen: "cv" (inside the training recordings) or "test".
    public var selectedBy: String
    /// 95 % Wilson interval of the best row's test accuracy over the test recordings.
    public var testInterval: [Double]?
    public var seconds: Seconds

    public enum CodingKeys: String, CodingKey {
        case accuracy, best, results, confusion, classes, seeds, folds, seconds
        case perClass = "per_class", trainRecordings = "train_recordings", testRecordings = "test_recordings"
        case selectedBy = "selected_by", testInterval = "test_interval"
    }

    public init(report: StageReport, best: StageResult, wall: Double) {
        accuracy = best.test.mean
        self.best = Best(stage: best.stage.rawValue, features: best.features, classifier: best.classifier)
        results = report.results.map {
            Row(stage: $0.stage.rawValue, features: $0.features, classifier: $0.classifier, accuracy: $0.test.mean,
                accuracySpread: $0.test.spread, testAccuracies: $0.test.values, cvMean: $0.crossValidation?.mean,
                cvSpread: $0.crossValidation?.spread, cvAccuracies: $0.crossValidation?.values)
        }
        perClass = best.confusion.perClassAccuracy
        confusion = best.confusion.counts
        classes = report.classes
        trainRecordings = report.trainCount
        testRecordings = report.testCount
        seeds = report.seeds
        folds = report.folds
        selectedBy = report.selection.rawValue
        testInterval = report.testInterval(best).map { [$0.lower, $0.upper] }
        seconds = Seconds(training: report.timings.training, features: report.timings.extraction,
                          classifiers: report.timings.classification, wall: wall)
    }
}
