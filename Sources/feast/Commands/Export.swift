import ArgumentParser
import Foundation
import FeastCore
import FeastIO

/// `feast export --network NET.h5 --format readmemh|c-header -o OUT`: a
/// fixed-point network's exact integer words for hardware and firmware.
struct Export: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case readmemh, cHeader = "c-header"
    }

    static let configuration = CommandConfiguration(
        abstract: "Export a fixed-point network's weights and thresholds as $readmemh hex files or a C header.",
        discussion: """
            readmemh: OUT is a base name; writes STEM.weights.mem, STEM.thresholds.mem and (table \
            decay) STEM.decay.mem, one word per line, two's complement at the configured width. \
            Weight address = (population*neurons + neuron)*context_length + k (k in window order). \
            c-header: OUT is a .h file with the configuration as #defines and const arrays holding \
            the same integers.
            """)

    @Option(help: "Network file (fixed-point).")
    var network: String

    @Option(help: "readmemh or c-header.")
    var format: Format

    @Option(name: [.short, .customLong("output")], help: "Output base name (readmemh) or header file (c-header).")
    var output: String

    @Option(help: "Prefix of C identifiers and macros (c-header).")
    var prefix: String = "feast"

    func validate() throws {
        guard prefix.first.map({ $0.isLetter || $0 == "_" }) == true,
              prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw ValidationError("--prefix must be a C identifier (letters, digits, _), got \"\(prefix)\"")
        }
    }

    func run() throws {
        let (_, any) = try NetworkFile.loadLayer(from: network, command: "export")
        guard let layer = any.layer(as: FixedPointArithmetic.self) else {
            throw ValidationError("\(network): a float32 network has no integer words; train with --arithmetic fixed")
        }
        let state = layer.state
        let c = layer.arithmetic.configuration
        let decay = HardwareWords.decayTable(layer.arithmetic)
        switch format {
        case .readmemh:
            let stem = HardwareFiles.stem(output)
            let dims = "\(state.populations) population(s) x \(state.neurons) neurons x \(state.contextLength) context entries"
            try HardwareFiles.write(HardwareFiles.readmemh(comment: [
                "feast weights from \(network): \(dims)",
                "\(c.weightBits)-bit unsigned, \(c.weightFractionalBits) fractional bits; address = (population*\(state.neurons) + neuron)*\(state.contextLength) + k",
            ], words: state.rawWeights.map(Int64.init), bits: c.weightBits), to: stem + ".weights.mem")
            try HardwareFiles.write(HardwareFiles.readmemh(comment: [
                "feast thresholds from \(network): \(state.populations * state.neurons) words, address = population*\(state.neurons) + neuron",
                "\(c.thresholdBits)-bit two's complement, \(c.thresholdFractionalBits) fractional bits",
            ], words: state.rawThresholds.map(Int64.init), bits: c.thresholdBits), to: stem + ".thresholds.mem")
            var written = [stem + ".weights.mem", stem + ".thresholds.mem"]
            if !decay.isEmpty {
                try HardwareFiles.write(HardwareFiles.readmemh(comment: [
                    "feast decay table: entry i = exp(-(i * 2^\(c.decayStepShift!) us) / tau) in \(c.contextBits)-bit words, \(c.contextFractionalBits) fractional bits",
                ], words: decay, bits: c.contextBits), to: stem + ".decay.mem")
                written.append(stem + ".decay.mem")
            }
            Terminal.log("wrote " + written.joined(separator: ", "))
        case .cHeader:
            try HardwareFiles.write(CHeader.render(state: state, configuration: c, decay: decay, prefix: prefix, source: network), to: output)
            Terminal.log("wrote \(output)")
        }
    }
}
