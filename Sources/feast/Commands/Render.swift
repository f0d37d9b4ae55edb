import ArgumentParser
import FeastIO

/// `feast render weights|history NET.h5 -o OUT.png`: the pictures of a network file.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a network file: its weight mosaic or its training history (PNG).",
        subcommands: [Weights.self, History.self])

    struct Weights: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each neuron's kernel as a tile, ON/OFF distinguishable, sorted by win rate, labelled.")

        @Argument(help: "Network file (HDF5) written by feast train.")
        var network: String

        @Option(name: [.short, .customLong("output")], help: "PNG to write.")
        var output: String

        func run() throws {
            try NetworkPictures.weights(try NetworkFile.read(from: network)).writePNG(to: output)
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moving miss rate with the predicted equilibrium, thresholds mean/min/max, win-rate spread.")

        @Argument(help: "Network file (HDF5) written by feast train.")
        var network: String

        @Option(name: [.short, .customLong("output")], help: "PNG to write.")
        var output: String

        func run() throws {
            let file = try NetworkFile.read(from: network)
            if file.monitor == nil { Terminal.warn("\(network): no training history; the plot is empty") }
            try NetworkPictures.history(file).writePNG(to: output)
        }
    }
}
