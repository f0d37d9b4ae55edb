import FeastCore
import FeastLearning
import Foundation

/// What ``DemoRun`` did: the training summary, the stage table, where the
/// files went and the time each phase took.
public struct DemoReport: Sendable {
    public var folder: String
    public var data: String
    public var seed: UInt64
    public var summary: TrainingSummary
    public var report: StageReport
    public var seconds: Seconds

    /// Seconds per phase, and the process's wall and CPU time.
    public struct Seconds: Encodable, Sendable {
        public var simulate = 0.0
        public var training = 0.0
        public var features = 0.0
        public var classifiers = 0.0
        public var pictures = 0.0
        public var wall = 0.0
        /// User + system CPU seconds of the whole process (all threads).
        public var cpu = 0.0
    }

    /// The demo's accuracy: trained FEAST with pooling (stage d), first
    /// classifier; the best row when stage d is missing.
    public static func headline(_ report: StageReport) -> StageResult? {
        report.results.first { $0.stage == .d } ?? report.best
    }

    /// "2×128 neurons (one population per polarity), R = 5, τ = 20 ms".
    public static func describe(_ p: FeastParameters) -> String {
        let populations = p.polarityMode == .perPolarity ? "2×\(p.neurons) neurons (one population per polarity)" : "\(p.neurons) neurons"
        return "\(populations), R = \(p.radius), τ = \(String(format: "%g", p.tau / 1000)) ms"
    }

    /// Stage `stage`'s accuracy with `result`'s classifier (and features, if
    /// that stage has them), as text.
    public func accuracy(of stage: EvaluationStage, like result: StageResult) -> String {
        let rows = report.results.filter { $0.stage == stage && $0.classifier == result.classifier }
        guard let row = rows.first(where: { $0.features == result.features }) ?? rows.first else { return "-" }
        return String(format: "%.3f", row.test.mean)
    }

    /// `feast demo --json` (snake_case through ``FeastJSON``, fractions in
    /// 0…1): evaluate's stage results plus where the outputs went and the time taken.
    public var json: JSON { JSON(self) }

    public struct JSON: Encodable {
        public var output: String
        public var data: String
        public var network: String
        public var pictures: [String]
        public var seed: UInt64
        /// Trained FEAST's (stage d, first classifier).
        public var accuracy: Double
        public var bestAccuracy: Double
        public var best: StageReportJSON.Best
        public var results: [StageReportJSON.Row]
        /// Of trained FEAST's row, like confusion.png.
        public var perClass: [Double?]
        public var confusion: [[Int]]
        public var trainRecordings: Int
        public var testRecordings: Int
        public var trainingEvents: Int64
        public var missRate: Double
        public var predictedMissRate: Double
        public var seconds: Seconds

        init(_ d: DemoReport) {
            let headline = DemoReport.headline(d.report)!
            let e = StageReportJSON(report: d.report, best: d.report.best ?? headline, wall: d.seconds.wall)
            output = d.folder
            data = d.data
            network = d.folder + "/network.h5"
            pictures = ["weights.png", "history.png", "confusion.png"].map { d.folder + "/" + $0 }
            seed = d.seed
            accuracy = headline.test.mean
            bestAccuracy = e.accuracy
            best = e.best
            results = e.results
            perClass = headline.confusion.perClassAccuracy
            confusion = headline.confusion.counts
            trainRecordings = e.trainRecordings
            testRecordings = e.testRecordings
            trainingEvents = d.summary.events
            missRate = d.summary.missRate
            predictedMissRate = d.summary.predictedMissRate
            seconds = d.seconds
        }
    }
}
