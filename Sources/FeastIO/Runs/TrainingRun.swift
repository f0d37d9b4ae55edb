import FeastCore
import FeastEvents
import Foundation

/// One `feast train` run over a list of recordings: trains a layer (fresh,
/// or resumed from a checkpoint file), keeps a checkpoint on disk while it
/// runs, and on completion writes the network file (layer and history),
/// removes the checkpoint it wrote and, when asked, draws the pictures.
///
/// Invariants: the network file appears whole or not at all; a stopped run
/// leaves a checkpoint at ``checkpointPath`` from which a new run with the
/// same recordings and ``epochs`` gives the uninterrupted run's network,
/// bit for bit.
public struct TrainingRun: Sendable {
    /// Passes over the recordings (≥ 1).
    public var epochs: Int
    /// Moving miss-rate window and history interval of a fresh run.
    public var monitor: MonitorConfiguration
    /// The network file written at the end.
    public var output: String
    /// Where a stopped run and the periodic checkpoints save the state.
    public var checkpointPath: String
    /// Events between periodic checkpoints, at the next recording boundary (0: none).
    public var checkpointEvery: Int64
    /// Folder for weights.png and history.png, or nil for none.
    public var pictures: String?

    public init(epochs: Int, monitor: MonitorConfiguration, output: String, checkpointPath: String,
                checkpointEvery: Int64 = 0, pictures: String? = nil) {
        self.epochs = epochs
        self.monitor = monitor
        self.output = output
        self.checkpointPath = checkpointPath
        self.checkpointEvery = checkpointEvery
        self.pictures = pictures
    }

    /// How a run ended.
    public enum Outcome: Sendable {
        /// The network file is written; the report of the last epoch.
        case finished(TrainReport)
        /// Stopped between recordings: the checkpoint is saved at ``TrainingRun/checkpointPath``.
        case stopped(at: TrainingPosition)
    }

    /// Trains `layer` (ignored when `resuming` is a checkpoint: the layer,
    /// history and position come from it) over recordings `0..<count`.
    /// `shouldStop` is polled before each recording.
    public func run(_ layer: AnyFeastLayer, resuming: NetworkFile? = nil, recordings count: Int,
                    open: (Int) throws -> any EventSource, progress: ((TrainingProgress) -> Void)? = nil,
                    shouldStop: () -> Bool = { false }) throws -> Outcome {
        try withoutActuallyEscaping(open) { open in
            try withoutActuallyEscaping(shouldStop) { shouldStop in
                try layer.read(Visit(run: self, resuming: resuming, count: count, open: open, progress: progress, shouldStop: shouldStop))
            }
        }
    }

    /// ``train(_:resuming:count:open:progress:shouldStop:)`` on the layer's own arithmetic.
    private struct Visit: FeastLayerVisitor {
        let run: TrainingRun, resuming: NetworkFile?, count: Int
        let open: (Int) throws -> any EventSource, progress: ((TrainingProgress) -> Void)?, shouldStop: () -> Bool
        func visit<A: FeastArithmetic>(_ layer: inout FeastLayer<A>) throws -> Outcome {
            try run.train(layer, resuming: resuming, count: count, open: open, progress: progress, shouldStop: shouldStop)
        }
    }

    /// The one training code path, specialised per arithmetic.
    private func train<A: FeastArithmetic>(_ layer: FeastLayer<A>, resuming: NetworkFile?, count: Int, open: (Int) throws -> any EventSource,
                                           progress: ((TrainingProgress) -> Void)?, shouldStop: () -> Bool) throws -> Outcome {
        var trainer: Trainer<A>
        if let resuming, let position = resuming.position, let saved = resuming.monitor {
            trainer = try Trainer<A>(resuming: TrainingCheckpoint(layer: resuming.layer, monitor: saved, position: position), epochs: epochs)
        } else {
            trainer = Trainer<A>(layer: layer, epochs: epochs, monitor: monitor)
        }
        var wroteCheckpoint = false
        let path = checkpointPath
        let summary = try trainer.run(recordingCount: count, open: open, progress: progress, shouldStop: shouldStop,
                                      checkpointEvery: checkpointEvery, checkpoint: { state in
            try NetworkFile(checkpoint: state).write(to: path)
            wroteCheckpoint = true
        })
        guard summary.completed else {
            try NetworkFile(checkpoint: trainer.checkpoint).write(to: path)
            return .stopped(at: summary.position)
        }
        let network = NetworkFile(layer: trainer.layer.state, monitor: trainer.monitor)
        try network.write(to: output)
        // Only a checkpoint this run (re)wrote: a resumed-from file it never touched stays.
        if wroteCheckpoint { try? FileManager.default.removeItem(atPath: path) }
        if let pictures {
            try FileManager.default.createDirectory(atPath: pictures, withIntermediateDirectories: true)
            try NetworkPictures.weights(network).writePNG(to: pictures + "/weights.png")
            try NetworkPictures.history(network).writePNG(to: pictures + "/history.png")
        }
        return .finished(TrainReport(summary: summary, neurons: layer.neurons, populations: layer.populations, arithmetic: A.name, network: output))
    }
}
