import FeastCore
import FeastEvents

/// Golden test vectors of a fixed-point layer, one line per event, for a
/// hardware testbench to replay bit for bit (format: docs/hardware.md and
/// the file's own header).
public enum TestVectors {
    /// The vectors file of `events` through `layer` (time surface reset first).
    public static func render(layer: inout FeastLayer<FixedPointArithmetic>, events: ContiguousArray<Event>, learn: Bool,
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
