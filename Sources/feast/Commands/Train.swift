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
            in the learning regime.
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
        var resumeFrom: NetworkFile?
        if let resume {
            let (file, restored) = try NetworkFile.loadLayer(from: resume)
            guard file.position != nil, file.monitor != nil else {
                throw ValidationError("\(resume): not a checkpoint (no training position and history); it is a finished network")
            }
            layer = restored
            resumeFrom = file
        } else {
            let geometry = try input.geometry?.geometry ?? open(0).geometry
            layer = try layerOptions.makeLayer(geometry: geometry)
        }
        let monitorConfiguration = MonitorConfiguration(missWindow: missWindow, historyInterval: historyInterval)
        try layer.read(Training(command: self, count: recordings.count, open: open, resumeFrom: resumeFrom, monitor: monitorConfiguration))
    }

    /// ``train(_:recordings:open:resumeFrom:monitor:)`` on the layer's own arithmetic.
    private struct Training: FeastLayerVisitor {
        let command: Train, count: Int, open: (Int) throws -> any EventSource, resumeFrom: NetworkFile?, monitor: MonitorConfiguration
        func visit<A: FeastArithmetic>(_ layer: inout FeastLayer<A>) throws {
            try command.train(layer, recordings: count, open: open, resumeFrom: resumeFrom, monitor: monitor)
        }
    }

    /// The one training code path, specialised per arithmetic.
    private func train<A: FeastArithmetic>(_ layer: FeastLayer<A>, recordings count: Int, open: (Int) throws -> any EventSource,
                                           resumeFrom: NetworkFile?, monitor: MonitorConfiguration) throws {
        var trainer: Trainer<A>
        if let resumeFrom, let position = resumeFrom.position, let saved = resumeFrom.monitor {
            trainer = try Trainer<A>(resuming: TrainingCheckpoint(layer: resumeFrom.layer, monitor: saved, position: position), epochs: epochs)
        } else {
            trainer = Trainer<A>(layer: layer, epochs: epochs, monitor: monitor)
        }
        var bar = ProgressBar(title: "train", total: epochs * count)
        var checks = 0
        var wroteCheckpoint = false
        let path = checkpointPath
        let summary = try trainer.run(recordingCount: count, open: open, progress: { p in
            bar.update(p.position.epoch * count + p.position.recording,
                       status: "\(Self.compact(p.eventsPerSecond)) ev/s  miss " + String(format: "%.2f%%", p.movingMissRate * 100))
        }, shouldStop: {
            // Polled once before each recording.
            defer { checks += 1 }
            return Interrupt.requested || checks == stopAfterRecordings
        }, checkpointEvery: Int64(every ?? 0), checkpoint: { state in
            try NetworkFile(checkpoint: state).write(to: path)
            wroteCheckpoint = true
        })
        bar.finish()

        if !summary.completed {
            try NetworkFile(checkpoint: trainer.checkpoint).write(to: checkpointPath)
            let p = summary.position
            Terminal.log("""
                interrupted at epoch \(p.epoch + 1)/\(epochs), recording \(p.recording)/\(count): checkpoint saved to \(checkpointPath)
                continue with: feast train \(dataset) -o \(output) --epochs \(epochs) --resume \(checkpointPath)
                """)
            throw ExitCode(130)
        }
        let network = NetworkFile(layer: trainer.layer.state, monitor: trainer.monitor)
        try network.write(to: output)
        // Only a checkpoint this run (re)wrote: a --resume source it never touched stays.
        if wroteCheckpoint { try? FileManager.default.removeItem(atPath: path) }
        if let plots {
            try FileManager.default.createDirectory(atPath: plots, withIntermediateDirectories: true)
            try NetworkPictures.weights(network).writePNG(to: plots + "/weights.png")
            try NetworkPictures.history(network).writePNG(to: plots + "/history.png")
        }
        let report = TrainReport(summary: summary, neurons: layer.neurons, populations: layer.populations, arithmetic: A.name, network: output)
        if json {
            try printJSON(report)
        } else {
            Terminal.log(report.text)
        }
    }

    /// 12345 → "12.3k".
    static func compact(_ x: Double) -> String {
        x >= 1e6 ? String(format: "%.2fM", x / 1e6) : x >= 1e3 ? String(format: "%.1fk", x / 1e3) : String(format: "%.0f", x)
    }
}

/// `feast train --json`: DESIGN.md's keys (snake_case, fractions in 0…1,
/// null when undefined), plus the regime the figures come from.
struct TrainReport: Encodable {
    var summary: TrainingSummary
    var neurons: Int
    var populations: Int
    var arithmetic: String
    var network: String

    enum Keys: String, CodingKey {
        case events, eventsPerSecond = "events_per_second", missRate = "miss_rate", winRateSpread = "win_rate_spread"
        case predictedMissRate = "predicted_miss_rate", deadNeurons = "dead_neurons", convergedAtEvent = "converged_at_event"
        case regime, neurons, populations, arithmetic, network
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(summary.events, forKey: .events)
        try c.encode(summary.eventsPerSecond.rounded(), forKey: .eventsPerSecond)
        try c.encode(summary.missRate, forKey: .missRate)
        if let s = summary.winRateSpread { try c.encode(s, forKey: .winRateSpread) } else { try c.encodeNil(forKey: .winRateSpread) }
        try c.encode(summary.predictedMissRate, forKey: .predictedMissRate)
        try c.encode(summary.deadNeurons, forKey: .deadNeurons)
        if let e = summary.convergedAtEvent { try c.encode(e, forKey: .convergedAtEvent) } else { try c.encodeNil(forKey: .convergedAtEvent) }
        try c.encode("learning", forKey: .regime)
        try c.encode(neurons, forKey: .neurons)
        try c.encode(populations, forKey: .populations)
        try c.encode(arithmetic, forKey: .arithmetic)
        try c.encode(network, forKey: .network)
    }

    /// The human summary (stderr).
    var text: String {
        let s = summary
        let spread = s.winRateSpread.map { String(format: "%.3f", $0) } ?? "undefined (a neuron never won this epoch)"
        let converged = s.convergedAtEvent.map { "at event \($0)" } ?? "not detected"
        let relative = s.predictedMissRate > 0 ? String(format: " (%+.1f%% relative)", (s.missRate / s.predictedMissRate - 1) * 100) : ""
        return """
            wrote \(network): \(populations > 1 ? "\(populations)×" : "")\(neurons) neurons, \(arithmetic)
            last epoch, learning regime:
              miss rate         \(String(format: "%.4f", s.missRate)) vs predicted \(String(format: "%.4f", s.predictedMissRate))\(relative)
              win-rate spread   \(spread) (max/min wins per neuron)
              dead neurons      \(s.deadNeurons)
              converged         \(converged)
              events            \(s.events) at \(Train.compact(s.eventsPerSecond)) events/s
            """
    }
}
