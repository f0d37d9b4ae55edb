import FeastCore
import FeastEvents
import FeastLearning
import FeastSimulator
import Foundation

/// `feast demo`: simulates a small synthetic N-MNIST-style set, trains a
/// FEAST layer with ``StageEvaluation``'s defaults (with a monitor, for the
/// history picture), runs the stage evaluation with that layer as its
/// network and draws weights.png, history.png and confusion.png.
///
/// Writes `folder/data` (as `feast simulate`), `folder/network.h5` and the
/// three pictures; every file appears whole or not at all.
public struct DemoRun: Sendable {
    /// Synthetic training recordings per digit: small enough for about two minutes on two cores.
    public static let defaultTrainPerClass = 100
    /// Synthetic test recordings per digit.
    public static let defaultTestPerClass = 30
    /// Every fast built-in classifier (ELM is left out for time).
    public static let defaultClassifiers = ["logistic", "ridge", "centroid", "knn"]

    /// Output folder (created if missing).
    public var folder: String
    /// Seed of the data, the layer's initialisation and order, and the classifiers.
    public var seed: UInt64
    public var trainPerClass: Int
    public var testPerClass: Int
    /// Classifier specs of the evaluation.
    public var classifiers: [String]
    /// Worker threads.
    public var concurrency: Int

    public init(folder: String, seed: UInt64 = 1, trainPerClass: Int = DemoRun.defaultTrainPerClass, testPerClass: Int = DemoRun.defaultTestPerClass,
                classifiers: [String] = DemoRun.defaultClassifiers, concurrency: Int) {
        self.folder = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        self.seed = seed
        self.trainPerClass = trainPerClass
        self.testPerClass = testPerClass
        self.classifiers = classifiers
        self.concurrency = concurrency
    }

    /// The folder of the synthetic recordings.
    public var data: String { folder + "/data" }

    /// Runs the four phases; `log` gets one line per phase, `progress` the trainer's progress.
    public func run(log: @escaping @Sendable (String) -> Void = { _ in },
                    progress: ((TrainingProgress) -> Void)? = nil) throws -> DemoReport {
        let clock = ProcessClock()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        // 1. Synthetic recordings (the same files `feast simulate` writes).
        var seconds = DemoReport.Seconds()
        var phase = ProcessClock()
        let plan = SyntheticDatasetPlan(trainPerClass: trainPerClass, testPerClass: testPerClass, seed: seed)
        log("simulating \(plan.items.count) synthetic recordings (\(10 * trainPerClass) train, \(10 * testPerClass) test) into \(data)")
        try SyntheticDatasetWriter.write(plan: plan, to: data)
        seconds.simulate = phase.wall
        // labels.csv names exactly this plan's files (stale files of an
        // earlier, larger run in the same folder are ignored).
        let dataset = try Dataset.load(path: data + "/labels.csv")
        let train = dataset.recordings.filter { $0.split == .train }
        let test = dataset.recordings.filter { $0.split == .test }

        // 2. Train the layer with a monitor, for history.png (StageEvaluation
        // trains without one), then hand it to the evaluation as its network.
        phase = ProcessClock()
        var parameters = StageEvaluation.defaultParameters
        parameters.seed = seed
        let layer = try FeastLayer<FloatArithmetic>(parameters: parameters, geometry: .nmnist, arithmetic: FloatArithmetic.Configuration())
        var trainer = Trainer(layer: layer, epochs: 1, monitor: MonitorConfiguration())
        log("training a FEAST layer (\(DemoReport.describe(parameters))) on \(train.count) recordings")
        let summary = try trainer.run(recordingCount: train.count, open: { try train[$0].open() }, progress: progress)
        let network = NetworkFile(layer: trainer.layer.state, monitor: trainer.monitor)
        try network.write(to: folder + "/network.h5")
        seconds.training = phase.wall

        // 3. Stages a–d × classifiers: feast evaluate's pipeline.
        var evaluation = StageEvaluation(network: network.layer, classifiers: classifiers, seeds: [seed], concurrency: concurrency)
        evaluation.log = log
        let report = try evaluation.run(train: train, test: test)
        guard let headline = DemoReport.headline(report) else { throw EvaluationError.emptySet(which: "evaluated") }
        seconds.features = report.timings.extraction
        seconds.classifiers = report.timings.classification

        // 4. Pictures: train --plots' and evaluate --plots' code.
        phase = ProcessClock()
        try NetworkPictures.weights(network).writePNG(to: folder + "/weights.png")
        try NetworkPictures.history(network).writePNG(to: folder + "/history.png")
        log("wrote " + (try ConfusionPlot.write(best: headline, folder: folder)))
        seconds.pictures = phase.wall
        seconds.wall = clock.wall
        seconds.cpu = clock.cpu
        return DemoReport(folder: folder, data: data, seed: seed, summary: summary, report: report, seconds: seconds)
    }
}
