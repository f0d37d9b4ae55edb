import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastIO

/// `feast vectors --network NET.h5 FILE -o vectors.txt`: golden test vectors
/// of a fixed-point layer, one line per event, for a hardware testbench to
/// replay bit for bit (format: docs/hardware.md and the file's own header).
struct Vectors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Golden test vectors of a fixed-point network: per event inputs, context, scores, winner and thresholds in hex.",
        discussion: """
            The recording is one input (the time surface starts empty). Inference by default; with \
            --learn the layer learns as it goes and the vectors show every threshold step. Also writes \
            the decay table as a $readmemh file beside the output (STEM.decay.mem). The same network, \
            input and flags give byte-identical files.
            """)

    @Option(help: "Network file (fixed-point, from feast train --arithmetic fixed).")
    var network: String

    @Argument(help: "Event file (.bin, .csv, .h5).")
    var file: String

    @Option(name: [.short, .customLong("output")], help: "Vectors file to write (- = stdout; then no decay table file).")
    var output: String

    @Option(help: "Only the first N events.")
    var events: Int?

    @Flag(help: "Learn while replaying (thresholds and weights change per event).")
    var learn = false

    @OptionGroup var input: EventInputOptions

    func validate() throws {
        if let events, events < 1 { throw ValidationError("--events must be ≥ 1, got \(events)") }
    }

    func run() throws {
        let (_, any) = try NetworkFile.loadLayer(from: network, command: "vectors")
        guard var layer = any.layer(as: FixedPointArithmetic.self) else {
            throw ValidationError("\(network): a float32 network; test vectors need fixed point (feast train --arithmetic fixed)")
        }
        var source = try EventFileOpener.openSource(path: file, options: input.readOptions(format: nil))
        var all = try source.readAll()
        if let events, all.count > events { all.removeSubrange(events...) }
        let text = TestVectors.render(layer: &layer, events: all, learn: learn, network: network, input: file)
        try HardwareFiles.write(text, to: output)
        if output != "-" {
            let table = HardwareWords.decayTable(layer.arithmetic)
            if !table.isEmpty {
                let c = layer.arithmetic.configuration
                let path = HardwareFiles.stem(output) + ".decay.mem"
                try HardwareFiles.write(HardwareFiles.readmemh(comment: [
                    "feast decay table: entry i = round(exp(-(i * 2^\(c.decayStepShift!) us) / tau) * 2^\(c.contextFractionalBits))",
                    "\(table.count) entries, \(c.contextBits)-bit unsigned words; ages >= \(table.count << c.decayStepShift!) us give 0",
                ], words: table, bits: c.contextBits), to: path)
                Terminal.log("wrote \(all.count) events to \(output), decay table (\(table.count) entries) to \(path)")
            } else {
                Terminal.log("wrote \(all.count) events to \(output) (decay by shifts: no table)")
            }
        }
    }
}
