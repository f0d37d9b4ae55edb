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
    /// history and position come from it) over recordings `0..<count`, then
    /// each of `deeper` in turn (a stacked network, ``FeastNetwork``): layer
    /// k+1 learns from the winners of layers 0…k, frozen, over the same
    /// recordings and epochs. `shouldStop` is polled before each recording;
    /// while layer 0 trains a stop saves the checkpoint, during a deeper
    /// layer it throws `CancellationError` and writes nothing (checkpoints
    /// cover layer 0 only).
    public func run(_ layer: AnyFeastLayer, deeper: [AnyFeastLayer] = [], resuming: NetworkFile? = nil, recordings count: Int,
                    open: (Int) throws -> any EventSource, progress: ((TrainingProgress) -> Void)? = nil,
                    shouldStop: () -> Bool = { false }) throws -> Outcome {
        try withoutActuallyEscaping(open) { open in
            try withoutActuallyEscaping(shouldStop) { shouldStop in
                var first = Visit(run: self, resuming: resuming, count: count, open: open, progress: progress, shouldStop: shouldStop,
                                  checkpoints: true)
                var trained: Trained
                switch try layer.read(first) {
                case .trained(let t): trained = t
                case .stopped(let position): return .stopped(at: position)
                }
                let wroteCheckpoint = trained.wroteCheckpoint
                var network = FeastNetwork(trained.layer)
                var monitors = [trained.monitor]
                var reports = [trained.report]
                for (k, next) in deeper.enumerated() {
                    let prefix = network
                    let layerProgress = progress.map { report in { (p: TrainingProgress) in var q = p; q.layer = k + 1; report(q) } }
                    let stacked: (Int) throws -> any EventSource = { StackedEventSource(try open($0), through: prefix) }
                    first = Visit(run: self, resuming: nil, count: count, open: stacked, progress: layerProgress, shouldStop: shouldStop,
                                  checkpoints: false)
                    guard case .trained(let t) = try next.read(first) else { throw CancellationError() }
                    trained = t
                    network = try FeastNetwork(layers: network.layers + [trained.layer])
                    monitors.append(trained.monitor)
                    reports.append(trained.report)
                }
                let file = NetworkFile(layers: network.layers.map(\.state), monitors: monitors)
                try file.write(to: output)
                // Only a checkpoint this run (re)wrote: a resumed-from file it never touched stays.
                if wroteCheckpoint { try? FileManager.default.removeItem(atPath: checkpointPath) }
                if let pictures {
                    try FileManager.default.createDirectory(atPath: pictures, withIntermediateDirectories: true)
                    try NetworkPictures.weights(file).writePNG(to: pictures + "/weights.png")
                    try NetworkPictures.history(file).writePNG(to: pictures + "/history.png")
                }
                var report = reports[0]
                report.deeperLayers = Array(reports.dropFirst())
                return .finished(report)
            }
        }
    }

    /// One layer trained, or where layer 0 stopped.
    private enum Result {
        case trained(Trained)
        case stopped(TrainingPosition)
    }

    private struct Trained {
        var layer: AnyFeastLayer
        var monitor: TrainingMonitor
        var report: TrainReport
        /// A checkpoint was written (to remove once the network is).
        var wroteCheckpoint: Bool
    }

    /// ``train(_:resuming:count:open:progress:shouldStop:checkpoints:)`` on the layer's own arithmetic.
    private struct Visit: FeastLayerVisitor {
        let run: TrainingRun, resuming: NetworkFile?, count: Int
        let open: (Int) throws -> any EventSource, progress: ((TrainingProgress) -> Void)?, shouldStop: () -> Bool
        let checkpoints: Bool
        func visit<A: FeastArithmetic>(_ layer: inout FeastLayer<A>) throws -> Result {
            try run.train(layer, resuming: resuming, count: count, open: open, progress: progress, shouldStop: shouldStop, checkpoints: checkpoints)
        }
    }

    /// The one training code path, specialised per arithmetic. With
    /// `checkpoints` (layer 0) a stop or the periodic trigger saves a
    /// checkpoint.
    private func train<A: FeastArithmetic>(_ layer: FeastLayer<A>, resuming: NetworkFile?, count: Int, open: (Int) throws -> any EventSource,
                                           progress: ((TrainingProgress) -> Void)?, shouldStop: () -> Bool, checkpoints: Bool) throws -> Result {
        var trainer: Trainer<A>
        if let resuming, let position = resuming.position, let saved = resuming.monitor {
            trainer = try Trainer<A>(resuming: TrainingCheckpoint(layer: resuming.layer, monitor: saved, position: position), epochs: epochs)
        } else {
            trainer = Trainer<A>(layer: layer, epochs: epochs, monitor: monitor)
        }
        var wroteCheckpoint = false
        let path = checkpointPath
        let summary = try trainer.run(recordingCount: count, open: open, progress: progress, shouldStop: shouldStop,
                                      checkpointEvery: checkpoints ? checkpointEvery : 0, checkpoint: { state in
            try NetworkFile(checkpoint: state).write(to: path)
            wroteCheckpoint = true
        })
        guard summary.completed else {
            guard checkpoints else { return .stopped(summary.position) }
            try NetworkFile(checkpoint: trainer.checkpoint).write(to: path)
            return .stopped(summary.position)
        }
        let report = TrainReport(summary: summary, neurons: layer.neurons, populations: layer.populations, arithmetic: A.name, network: output)
        return .trained(Trained(layer: AnyFeastLayer(trainer.layer), monitor: trainer.monitor, report: report, wroteCheckpoint: wroteCheckpoint))
    }
}
