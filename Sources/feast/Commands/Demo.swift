import ArgumentParser
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning
import FeastSimulator
import Foundation

/// `feast demo`: the README's first command. Simulates a small synthetic
/// N-MNIST-style set, trains a FEAST layer with the project's defaults,
/// runs `feast evaluate`'s stage evaluation (``StageEvaluation``) on it and
/// draws the pictures `feast train --plots` and `feast evaluate --plots`
/// draw. The report goes to stdout, progress to stderr.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "End-to-end demo on synthetic data: simulate, train FEAST, evaluate every stage, draw the pictures.",
        discussion: """
            Writes DIR/data (synthetic recordings in the N-MNIST layout, as feast simulate), \
            DIR/network.h5 (the trained layer), DIR/weights.png, DIR/history.png and \
            DIR/confusion.png, and prints the stage table of feast evaluate. The layer and \
            classifier defaults are feast evaluate's. Then run the same on the real N-MNIST: \
            bash datasets/fetch-nmnist.sh; feast evaluate --train datasets/nmnist/Train.zip --test datasets/nmnist/Test.zip
            """)

    @Option(help: ArgumentHelp("Folder for the data, the network and the pictures (created if missing).", valueName: "DIR"))
    var out: String = "feast-demo"

    @Option(help: "Seed of the synthetic data, the layer's initialisation and training order, and the classifiers.")
    var seed: UInt64 = 1

    @Option(help: "Synthetic training recordings per digit.")
    var trainPerClass: Int = DemoDefaults.trainPerClass

    @Option(help: "Synthetic test recordings per digit.")
    var testPerClass: Int = DemoDefaults.testPerClass

    @Option(help: ArgumentHelp("Classifiers, comma-separated specs (\(ClassifierRegistry.builtIn.names.joined(separator: ", "))).", valueName: "NAME,..."))
    var classifier: String = DemoDefaults.classifiers

    @Option(help: "Worker threads (default: active processors).")
    var jobs: Int?

    @Flag(help: "Print one JSON object on stdout (stage results, accuracy, output folder, seconds).")
    var json = false

    func validate() throws {
        guard trainPerClass >= 1, testPerClass >= 1 else {
            throw ValidationError("--train-per-class and --test-per-class must be at least 1 (got \(trainPerClass) and \(testPerClass))")
        }
        guard trainPerClass <= 9999, testPerClass <= 9999 else { throw ValidationError("at most 9999 recordings per class and split") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): expected an integer >= 1") }
    }

    func run() throws {
        let clock = DemoClock()
        let folder = out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let concurrency = jobs ?? defaultConcurrency

        // 1. Synthetic recordings (the same files `feast simulate` writes).
        var seconds = DemoSeconds()
        var start = Date()
        let plan = SyntheticDatasetPlan(trainPerClass: trainPerClass, testPerClass: testPerClass, seed: seed)
        Terminal.log("demo: simulating \(plan.items.count) synthetic recordings (\(10 * trainPerClass) train, \(10 * testPerClass) test) into \(data)")
        try SyntheticDatasetWriter.write(plan: plan, to: data)
        seconds.simulate = Date().timeIntervalSince(start)
        // labels.csv names exactly this plan's files (stale files of an
        // earlier, larger run in the same folder are ignored).
        let dataset = try Dataset.load(path: data + "/labels.csv")
        let train = dataset.recordings.filter { $0.split == .train }
        let test = dataset.recordings.filter { $0.split == .test }

        // 2. Train the layer with a monitor, for history.png (StageEvaluation
        // trains without one), then hand it to the evaluation as its network.
        start = Date()
        var parameters = StageEvaluation.defaultParameters
        parameters.seed = seed
        let layer = try FeastLayer<FloatArithmetic>(parameters: parameters, geometry: .nmnist, arithmetic: FloatArithmetic.Configuration())
        var trainer = Trainer(layer: layer, epochs: 1, monitor: MonitorConfiguration())
        var bar = ProgressBar(title: "demo: train", total: train.count)
        Terminal.log("demo: training a FEAST layer (\(Self.describe(parameters))) on \(train.count) recordings")
        let summary = try trainer.run(recordingCount: train.count, open: { try train[$0].open() }, progress: { p in
            bar.update(p.position.recording, status: "miss " + String(format: "%.2f%%", p.movingMissRate * 100))
        })
        bar.finish()
        let network = NetworkFile(layer: trainer.layer.state, monitor: trainer.monitor)
        try network.write(to: folder + "/network.h5")
        seconds.training = Date().timeIntervalSince(start)

        // 3. Stages a–d × classifiers: feast evaluate's pipeline.
        var evaluation = StageEvaluation(network: network.layer, classifiers: classifier.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                                         seeds: [seed], concurrency: concurrency)
        evaluation.log = { Terminal.log("demo: \($0)") }
        let report = try evaluation.run(train: train, test: test)
        guard let best = report.best else { throw ValidationError("nothing was evaluated") }
        seconds.features = report.timings.extraction
        seconds.classifiers = report.timings.classification

        // 4. Pictures: train --plots' and evaluate --plots' code.
        start = Date()
        try NetworkPictures.weights(network).writePNG(to: folder + "/weights.png")
        try NetworkPictures.history(network).writePNG(to: folder + "/history.png")
        Terminal.log("evaluate: wrote " + (try ConfusionPlot.write(best: Self.headline(report) ?? best, folder: folder)))
        seconds.pictures = Date().timeIntervalSince(start)
        seconds.wall = clock.wall
        seconds.cpu = clock.cpu

        if json {
            try printJSON(DemoJSON(folder: folder, data: data, seed: seed, summary: summary, headline: Self.headline(report) ?? best,
                                   evaluation: StageReportJSON(report: report, best: best, wall: seconds.wall), seconds: seconds))
        } else {
            print(text(folder: folder, data: data, summary: summary, report: report, best: best, seconds: seconds))
        }
    }

    /// The human report.
    func text(folder: String, data: String, summary: TrainingSummary, report: StageReport, best: StageResult, seconds: DemoSeconds) -> String {
        var out = [String]()
        out.append("feast demo: synthetic N-MNIST-style digits (seed \(seed)) in \(data)")
        out.append("FEAST layer: \(Self.describe(StageEvaluation.defaultParameters)); one epoch over \(summary.events) events, "
                   + String(format: "miss rate %.4f (predicted %.4f), %d dead neurons", summary.missRate, summary.predictedMissRate, summary.deadNeurons))
        out.append("")
        // evaluate's report without its time line (the demo's own follows).
        let table = report.text(best: best, wall: 0).split(separator: "\n", omittingEmptySubsequences: false)
        out.append(table.filter { !$0.hasPrefix("time: ") }.joined(separator: "\n").trimmingCharacters(in: .newlines))
        out.append("")
        if let feast = Self.headline(report) {
            out.append(String(format: "accuracy: %.3f with trained FEAST (stage d, %@, %@) on %d synthetic test recordings; raw events (stage a): %@; untrained layer (stage b): %@",
                              feast.test.mean, feast.features, feast.classifier, report.testCount,
                              Self.accuracy(of: .a, like: feast, in: report), Self.accuracy(of: .b, like: feast, in: report)))
        }
        out.append("")
        out.append("written to \(folder)/:")
        out.append("  weights.png    the learnt kernels (ON and OFF populations, sorted by wins)")
        out.append("  history.png    convergence while learning: miss rate, thresholds, win-rate spread")
        out.append("  confusion.png  test confusion matrix of trained FEAST (stage d, \(Self.headline(report)?.classifier ?? best.classifier))")
        out.append("  network.h5     the trained layer (feast stream --network \(folder)/network.h5 ..., feast render)")
        out.append("  data/          the synthetic recordings (feast evaluate --train \(data))")
        out.append("")
        out.append(String(format: "demo time: %.1f s wall, %.1f s CPU (simulation %.1f s, training %.1f s, features %.1f s, classifiers %.1f s, pictures %.1f s)",
                          seconds.wall, seconds.cpu, seconds.simulate, seconds.training, seconds.features, seconds.classifiers, seconds.pictures))
        out.append("")
        out.append("The same on the real N-MNIST (Orchard et al. 2015; about 1.2 GB to download, 60 000 + 10 000 recordings):")
        out.append("  bash datasets/fetch-nmnist.sh")
        out.append("  feast evaluate --train datasets/nmnist/Train.zip --test datasets/nmnist/Test.zip --plots out/")
        return out.joined(separator: "\n")
    }

    /// The demo's accuracy: trained FEAST with pooling (stage d), first
    /// classifier; the best row when stage d is missing.
    static func headline(_ report: StageReport) -> StageResult? {
        report.results.first { $0.stage == .d } ?? report.best
    }

    /// Stage `stage`'s accuracy with `result`'s classifier (and features, if
    /// that stage has them), as text.
    static func accuracy(of stage: EvaluationStage, like result: StageResult, in report: StageReport) -> String {
        let rows = report.results.filter { $0.stage == stage && $0.classifier == result.classifier }
        guard let row = rows.first(where: { $0.features == result.features }) ?? rows.first else { return "-" }
        return String(format: "%.3f", row.test.mean)
    }

    /// "2×128 neurons (one population per polarity), R = 5, τ = 20 ms".
    static func describe(_ p: FeastParameters) -> String {
        let populations = p.polarityMode == .perPolarity ? "2×\(p.neurons) neurons (one population per polarity)" : "\(p.neurons) neurons"
        return "\(populations), R = \(p.radius), τ = \(String(format: "%g", p.tau / 1000)) ms"
    }
}

/// The demo's defaults: small enough for two minutes on two cores.
enum DemoDefaults {
    static let trainPerClass = 100
    static let testPerClass = 30
    /// Every fast built-in classifier (ELM is left out for time).
    static let classifiers = "logistic,ridge,centroid,knn"
}

/// Seconds per phase, and the process's wall and CPU time.
struct DemoSeconds: Encodable {
    var simulate = 0.0
    var training = 0.0
    var features = 0.0
    var classifiers = 0.0
    var pictures = 0.0
    var wall = 0.0
    /// User + system CPU seconds of the whole process (all threads).
    var cpu = 0.0
}

/// Wall and CPU time since creation.
struct DemoClock {
    private let started = Date()
    private let cpuAtStart = DemoClock.processCPU()

    var wall: Double { Date().timeIntervalSince(started) }
    var cpu: Double { DemoClock.processCPU() - cpuAtStart }

    static func processCPU() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)   // Glibc imports RUSAGE_SELF as an enum
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}

/// `feast demo --json` (snake_case keys, fractions in 0…1): evaluate's
/// stage results plus where the outputs went and the time taken.
struct DemoJSON: Encodable {
    var output: String
    var data: String
    var network: String
    var pictures: [String]
    var seed: UInt64
    /// Trained FEAST's (stage d, first classifier).
    var accuracy: Double
    var bestAccuracy: Double
    var best: StageReportJSON.Best
    var results: [StageReportJSON.Row]
    /// Of trained FEAST's row, like confusion.png.
    var perClass: [Double?]
    var confusion: [[Int]]
    var trainRecordings: Int
    var testRecordings: Int
    var trainingEvents: Int64
    var missRate: Double
    var predictedMissRate: Double
    var seconds: DemoSeconds

    enum CodingKeys: String, CodingKey {
        case output, data, network, pictures, seed, accuracy, best, results, confusion, seconds
        case bestAccuracy = "best_accuracy", perClass = "per_class", trainRecordings = "train_recordings", testRecordings = "test_recordings"
        case trainingEvents = "training_events", missRate = "miss_rate", predictedMissRate = "predicted_miss_rate"
    }

    init(folder: String, data: String, seed: UInt64, summary: TrainingSummary, headline: StageResult, evaluation e: StageReportJSON, seconds: DemoSeconds) {
        output = folder
        self.data = data
        network = folder + "/network.h5"
        pictures = ["weights.png", "history.png", "confusion.png"].map { folder + "/" + $0 }
        self.seed = seed
        accuracy = headline.test.mean
        bestAccuracy = e.accuracy
        best = e.best
        results = e.results
        perClass = headline.confusion.perClassAccuracy
        confusion = headline.confusion.counts
        trainRecordings = e.trainRecordings
        testRecordings = e.testRecordings
        trainingEvents = summary.events
        missRate = summary.missRate
        predictedMissRate = summary.predictedMissRate
        self.seconds = seconds
    }
}
