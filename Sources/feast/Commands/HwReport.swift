import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastAnalysis
import FeastIO

/// `feast hw-report`: what a FEAST layer costs in hardware: memory bits,
/// multiply-accumulates per event and, measured on data, the accumulator
/// width the scores really need.
struct HwReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hw-report",
        abstract: "Memory, MACs per event and the accumulator width actually needed by a FEAST layer.",
        discussion: """
            Memory: weights = populations·N·K·weight bits (K = channels·(2R+1)²), thresholds = \
            populations·N·threshold bits, time surface = surfaces·W·H·timestamp bits, decay table = \
            entries·context bits. MACs per event: N·K for a dense dot product; with --data also the \
            mean over the nonzero context entries (an event-driven datapath skips zeros). \
            --data runs the layer in inference over the dataset's test split (all recordings when \
            none is marked test; --recordings limits) and reports the largest accumulator value and \
            overflow counts. A float network with --arithmetic fixed is quantised first. Float \
            layers are costed as 32-bit words.
            """)

    @Option(help: "Network file (else the layer options describe the layer).")
    var network: String?

    @OptionGroup(title: "Layer") var layerOptions: LayerOptions

    @Option(help: "Dataset (or one event file) to measure the accumulator on.")
    var data: String?

    @Option(help: "Measure on at most this many recordings.")
    var recordings: Int?

    @OptionGroup var input: EventInputOptions

    @Flag(help: "Print the report as one JSON object on stdout.")
    var json = false

    func validate() throws {
        if let recordings, recordings < 1 { throw ValidationError("--recordings must be ≥ 1, got \(recordings)") }
        try layerOptions.checkSingleLayer("feast hw-report")
    }

    func run() throws {
        var layer: AnyFeastLayer
        if let network {
            let (_, loaded) = try NetworkFile.loadLayer(from: network, command: "hw-report")
            layer = loaded
            if let f = loaded.layer(as: FloatArithmetic.self), let fixed = layerOptions.arithmetic(for: f.parameters).fixedPoint {
                layer = AnyFeastLayer(try FeastLayer<FixedPointArithmetic>(quantising: f.state, configuration: fixed))
            } else if loaded.layer(as: FixedPointArithmetic.self) != nil, layerOptions.fixedPoint.arithmetic == .fixed {
                Terminal.warn("\(network) is already fixed point: its own configuration is reported, the fixed-point flags are ignored")
            }
        } else {
            layer = try layerOptions.makeLayer(geometry: input.geometry?.geometry ?? .nmnist)
        }
        var report = HardwareReport(layer: layer)
        if let data {
            var files: [Recording]
            if InputRecordings.isDataset(data, format: nil) {
                let all = try Dataset.load(path: data).recordings
                let tests = all.filter { $0.split == .test }
                files = tests.isEmpty ? all : tests
            } else {
                files = [Recording(name: data, label: nil, split: nil, location: .file(data))]
            }
            if let recordings { files = Array(files.prefix(recordings)) }
            guard let fixed = layer.layer(as: FixedPointArithmetic.self) else {
                throw ValidationError("--data measures fixed-point accumulators; give --arithmetic fixed (and bit widths)")
            }
            let options = input.readOptions(format: nil, network: layer.geometry)
            var bar = ProgressBar(title: "hw-report", total: files.count)
            report.measured = try HardwareReport.measure(fixed, recordings: files.count,
                                                         open: { try EventFileOpener.openSource(recording: files[$0], options: options) },
                                                         progress: { bar.update($0) })
            bar.finish()
        }
        if json {
            try printJSON(report)
        } else {
            FileHandle.standardOutput.write(Data(report.text.utf8))
        }
    }

}

