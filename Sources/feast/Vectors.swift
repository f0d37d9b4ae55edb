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
        let (_, any) = try NetworkFile.loadLayer(from: network)
        guard var layer = any.layer(as: FixedPointArithmetic.self) else {
            throw ValidationError("\(network): a float32 network; test vectors need fixed point (feast train --arithmetic fixed)")
        }
        var source = try EventFileOpener.openSource(path: file, options: input.readOptions(format: nil))
        var all = try source.readAll()
        if let events, all.count > events { all.removeSubrange(events...) }
        let text = Self.render(layer: &layer, events: all, learn: learn, network: network, input: file)
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

    /// The vectors file of `events` through `layer` (time surface reset first).
    static func render(layer: inout FeastLayer<FixedPointArithmetic>, events: ContiguousArray<Event>, learn: Bool,
                       network: String, input: String) -> String {
        let c = layer.arithmetic.configuration
        let p = layer.parameters
        let n = layer.neurons
        var s = """
            # feast test vectors v1
            # network: \(network)
            # input: \(input)
            # events: \(events.count)
            # learn: \(learn ? 1 : 0)

            """
        for (k, v) in HardwareWords.configurationLines(c, parameters: p) { s += "# \(k): \(v)\n" }
        s += """
            # score_bits: \(c.accumulatorBits)
            #
            # One line per event, space-separated fields:
            #   index t_us x y p population winner ctx=… score=… elig=… th_before=… th_after=…
            # index: event number from 0; t_us decimal µs (the layer keeps t mod 2^timestamp_bits);
            # p: 1 ON, 0 OFF; population: the neuron population the event used (0 unless per-polarity);
            # winner: global neuron index population*neurons+n, -1 miss, -2 not processed
            #   (outside the sensor or skipped at the border: the other fields are then absent).
            # ctx: context_length words (context_bits wide, unsigned, context_fraction_bits
            #   fractional), comma-separated, in window order: channel, then row dy = -R..R, then
            #   column dx = -R..R (entry (dy+R)*window_side + (dx+R)); after normalisation.
            # score: neurons words, the accumulator (score_bits wide, two's complement,
            #   score_fraction_bits fractional), neuron 0 first.
            # elig: hex mask, bit n = neuron n has score >= threshold (threshold word shifted left
            #   by threshold_to_score_shift); ceil(neurons/4) digits.
            # th_before, th_after: neurons threshold words (threshold_bits wide, two's complement,
            #   threshold_fraction_bits fractional). Learning: the winner rises by
            #   threshold_rise_steps, a miss lowers every threshold by threshold_fall_steps
            #   (saturating or wrapping as overflow says); inference: after = before.
            # The winner is the eligible neuron with the largest score, the lowest index on ties.

            """
        let maskDigits = HardwareWords.digits(n)
        layer.reset()
        for (i, e) in events.enumerated() {
            let tr = layer.step(e, learn: learn)
            s += "\(i) \(e.t) \(e.x) \(e.y) \(e.polarity) \(tr.population) \(tr.winner)"
            if tr.winner == -2 { s += "\n"; continue }
            s += " ctx=" + tr.contextRaw.map { HardwareWords.hex($0, bits: c.contextBits) }.joined(separator: ",")
            s += " score=" + tr.scoresRaw.map { HardwareWords.hex($0, bits: c.accumulatorBits) }.joined(separator: ",")
            var mask = [UInt8](repeating: 0, count: maskDigits)
            for (j, ok) in tr.eligible.enumerated() where ok { mask[maskDigits - 1 - j / 4] |= 1 << UInt8(j % 4) }
            s += " elig=" + mask.map { String($0, radix: 16) }.joined()
            s += " th_before=" + tr.thresholdsBeforeRaw.map { HardwareWords.hex($0, bits: c.thresholdBits) }.joined(separator: ",")
            s += " th_after=" + tr.thresholdsAfterRaw.map { HardwareWords.hex($0, bits: c.thresholdBits) }.joined(separator: ",")
            s += "\n"
        }
        return s
    }
}
