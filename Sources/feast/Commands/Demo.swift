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
    var trainPerClass: Int = DemoRun.defaultTrainPerClass

    @Option(help: "Synthetic test recordings per digit.")
    var testPerClass: Int = DemoRun.defaultTestPerClass

    @Option(help: ArgumentHelp("Classifiers, comma-separated specs (\(ClassifierRegistry.builtIn.names.joined(separator: ", "))).", valueName: "NAME,..."))
    var classifier: String = DemoRun.defaultClassifiers.joined(separator: ",")

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
        let demo = DemoRun(folder: out, seed: seed, trainPerClass: trainPerClass, testPerClass: testPerClass,
                           classifiers: classifier.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                           concurrency: jobs ?? defaultConcurrency)
        var bar: ProgressBar?
        let report = try demo.run(log: { Terminal.log("demo: \($0)") }, progress: { p in
            if bar == nil { bar = ProgressBar(title: "demo: train", total: p.recordings) }
            bar?.update(p.position.recording, status: "miss " + String(format: "%.2f%%", p.movingMissRate * 100))
        })
        bar?.finish()
        if json { try printJSON(report.json) } else { print(report.text) }
    }
}
