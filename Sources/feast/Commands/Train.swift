import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastIO

/// `feast train DATASET -o NET.h5`: learns a layer over the dataset's
/// training split and writes a network file (layer, history, summary).
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn a FEAST layer on a dataset's training split and write a network file.",
        discussion: """
            Trains on the recordings marked train (split column or Train/ folder), or on all \
            recordings when none is marked; each epoch visits them in a seeded shuffled order \
            with the time surface reset per recording. Ctrl-C saves a checkpoint (--checkpoint, \
            default NET.checkpoint.h5) and exits; --resume FILE continues it to the same network \
            an uninterrupted run gives. With --every N the checkpoint is also rewritten (atomically) \
            at the first recording boundary after every N events, so a run killed outright (kill -9, \
            a crash, a power cut) resumes from the last one, again to the same network, bit for bit; \
            the checkpoint is removed once the network is written. Figures are of the last epoch, \
            in the learning regime. With --layers L (or comma lists, --neurons 64,32) the layers are \
            trained one after the other: layer k+1 on the winners of layers 0…k, frozen, the winning \
            neuron as its input channel; checkpoints cover layer 0, and Ctrl-C during a deeper layer \
            stops without writing.
            """)

    @Argument(help: "Dataset: a folder of class sub-folders, a labels CSV or a zip archive.")
    var dataset: String

    @Option(name: [.short, .customLong("output")], help: "Network file to write (HDF5).")
    var output: String

    @Option(parsing: .unconditional, help: "Passes over the training recordings.")
    var epochs: Int = 1

    @OptionGroup(title: "Layer") var layerOptions: LayerOptions
    @OptionGroup var input: EventInputOptions

    @Option(help: ArgumentHelp("Also write weights.png and history.png into this folder.", valueName: "DIR"))
    var plots: String?

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Where Ctrl-C and --every save the checkpoint (default: NET.checkpoint.h5 beside -o).", valueName: "FILE"))
    var checkpoint: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Also checkpoint at the first recording boundary after every N events.", valueName: "N"))
    var every: Int?

    @Option(help: ArgumentHelp("Continue an interrupted run from its checkpoint (layer options come from it).", valueName: "FILE"))
    var resume: String?

    @Option(parsing: .unconditional, help: "Events in the moving miss-rate window.")
    var missWindow: Int = MonitorConfiguration().missWindow

    @Option(parsing: .unconditional, help: "Events between history rows.")
    var historyInterval: Int = MonitorConfiguration().historyInterval

    /// Test hook: behave as if Ctrl-C came after this many recordings.
    @Option(name: .customLong("stop-after-recordings"), parsing: .unconditional, help: .hidden)
    var stopAfterRecordings: Int?

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be ≥ 1, got \(epochs)") }
        guard missWindow >= 1 else { throw ValidationError("--miss-window must be ≥ 1") }
        guard historyInterval >= 1 else { throw ValidationError("--history-interval must be ≥ 1") }
        if let every, every < 1 { throw ValidationError("invalid --every \(every): expected a number of events ≥ 1") }
        if let resume, resume == output {
            throw ValidationError("--resume \(resume) and -o \(output) are the same file: the checkpoint would be replaced by the network")
        }
        if resume != nil, try layerOptions.resolvedLayers(FeastParameters()).count > 1 {
            throw ValidationError("--resume continues layer 0 from its checkpoint; a stacked run cannot be resumed: drop --layers and the comma lists")
        }
        if let checkpoint, checkpoint == output {
            throw ValidationError("--checkpoint \(checkpoint) and -o \(output) are the same file; give the checkpoint its own name")
        }
    }

    var checkpointPath: String {
        if let checkpoint { return checkpoint }
        let base = output.lowercased().hasSuffix(".h5") ? String(output.dropLast(3)) : output
        return base + ".checkpoint.h5"
    }

    func run() throws {
        let all = try Dataset.load(path: dataset)
        let marked = all.recordings.filter { $0.split == .train }
        let recordings = marked.isEmpty ? all.recordings : marked
        guard !recordings.isEmpty else { throw ValidationError("\(dataset): no recordings to train on") }
        let options = input.readOptions(format: nil)
        let open: (Int) throws -> any EventSource = { try EventFileOpener.openSource(recording: recordings[$0], options: options) }
        if !json {
            Terminal.log("training on \(recordings.count) recordings of \(dataset)" + (marked.isEmpty ? " (none marked train: all)" : " (train split)"))
        }
        Interrupt.install()

        let layer: AnyFeastLayer
        var deeper = [AnyFeastLayer]()
        var resumeFrom: NetworkFile?
        if let resume {
            let (file, restored) = try NetworkFile.loadLayer(from: resume, command: "train --resume")
            guard file.position != nil, file.monitor != nil else {
                throw ValidationError("\(resume): not a checkpoint (no training position and history); it is a finished network")
            }
            layer = restored
            resumeFrom = file
        } else {
            let geometry = try input.geometry?.geometry ?? open(0).geometry
            let layers = try layerOptions.makeLayers(geometry: geometry)
            layer = layers[0]
            deeper = Array(layers.dropFirst())
        }
        let training = TrainingRun(epochs: epochs, monitor: MonitorConfiguration(missWindow: missWindow, historyInterval: historyInterval),
                                   output: output, checkpointPath: checkpointPath, checkpointEvery: Int64(every ?? 0), pictures: plots)
        var bar = ProgressBar(title: "train", total: (1 + deeper.count) * epochs * recordings.count)
        var checks = 0
        let outcome: TrainingRun.Outcome
        do {
            outcome = try training.run(layer, deeper: deeper, resuming: resumeFrom, recordings: recordings.count, open: open, progress: { p in
                bar.update((p.layer * epochs + p.position.epoch) * p.recordings + p.position.recording,
                           status: "\(TrainReport.compact(p.eventsPerSecond)) ev/s  miss " + String(format: "%.2f%%", p.movingMissRate * 100))
            }, shouldStop: {
                // Polled once before each recording.
                defer { checks += 1 }
                return Interrupt.requested || checks == stopAfterRecordings
            })
        } catch is CancellationError {
            bar.finish()
            Terminal.log("interrupted while training a deeper layer: nothing written (checkpoints cover layer 0 only)")
            throw ExitCode(130)
        }
        bar.finish()
        switch outcome {
        case .stopped(let p):
            Terminal.log("""
                interrupted at epoch \(p.epoch + 1)/\(epochs), recording \(p.recording)/\(recordings.count): checkpoint saved to \(checkpointPath)
                continue with: feast train \(dataset) -o \(output) --epochs \(epochs) --resume \(checkpointPath)
                """)
            throw ExitCode(130)
        case .finished(let report):
            if json { try printJSON(report) } else { Terminal.log(report.text) }
        }
    }
}
