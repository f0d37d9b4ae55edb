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

    @OptionGroup var workers: WorkerOptions

    @Flag(help: "Print one JSON object on stdout (stage results, accuracy, output folder, seconds).")
    var json = false

    func validate() throws {
        guard trainPerClass >= 1, testPerClass >= 1 else {
            throw ValidationError("--train-per-class and --test-per-class must be at least 1 (got \(trainPerClass) and \(testPerClass))")
        }
        guard trainPerClass <= 9999, testPerClass <= 9999 else { throw ValidationError("at most 9999 recordings per class and split") }
    }

    func run() throws {
        let demo = DemoRun(folder: out, seed: seed, trainPerClass: trainPerClass, testPerClass: testPerClass,
                           classifiers: classifier.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                           concurrency: workers.concurrency)
        var bar: ProgressBar?
        let report = try demo.run(log: { Terminal.log("demo: \($0)") }, progress: { p in
            if bar == nil { bar = ProgressBar(title: "demo: train", total: p.recordings) }
            bar?.update(p.position.recording, status: "miss " + String(format: "%.2f%%", p.movingMissRate * 100))
        })
        bar?.finish()
        if json { try printJSON(report.json) } else { print(report.text) }
    }
}

extension DemoReport {
    /// The human report.
    var text: String {
        let best = DemoReport.headline(report)!
        var out = [String]()
        out.append("feast demo: synthetic N-MNIST-style digits (seed \(seed)) in \(data)")
        out.append("FEAST layer: \(DemoReport.describe(StageEvaluation.defaultParameters)); one epoch over \(summary.events) events, "
                   + String(format: "miss rate %.4f (predicted %.4f), %d dead neurons", summary.missRate, summary.predictedMissRate, summary.deadNeurons))
        out.append("")
        // evaluate's report without its time line (the demo's own follows).
        let table = report.text(best: report.best ?? best, wall: 0).split(separator: "\n", omittingEmptySubsequences: false)
        out.append(table.filter { !$0.hasPrefix("time: ") }.joined(separator: "\n").trimmingCharacters(in: .newlines))
        out.append("")
        if let feast = report.results.first(where: { $0.stage == .d }) ?? report.best {
            out.append(String(format: "accuracy: %.3f with trained FEAST (stage d, %@, %@) on %d synthetic test recordings; raw events (stage a): %@; untrained layer (stage b): %@",
                              feast.test.mean, feast.features, feast.classifier, report.testCount,
                              accuracy(of: .a, like: feast), accuracy(of: .b, like: feast)))
        }
        out.append("")
        out.append("written to \(folder)/:")
        out.append("  weights.png    the learnt kernels (ON and OFF populations, sorted by wins)")
        out.append("  history.png    convergence while learning: miss rate, thresholds, win-rate spread")
        out.append("  confusion.png  test confusion matrix of trained FEAST (stage d, \(best.classifier))")
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
}
