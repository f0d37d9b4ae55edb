
/// Fixed-width hexadecimal words as hardware memories hold them: unsigned
/// values as they are, signed values in two's complement at `bits`, always
/// ⌈bits/4⌉ lower-case digits (the `$readmemh` and test-vector spelling).
public enum HardwareWords {
    /// Hex digits for a `bits`-wide word.
    public static func digits(_ bits: Int) -> Int { (bits + 3) / 4 }

    /// `value` as a `bits`-wide word (two's complement when negative).
    /// The value must fit: the layer's overflow handling guarantees it.
    public static func hex(_ value: Int64, bits: Int) -> String {
        let mask: UInt64 = bits >= 64 ? .max : (UInt64(1) << UInt64(bits)) &- 1
        let word = UInt64(bitPattern: value) & mask
        let s = String(word, radix: 16)
        return String(repeating: "0", count: max(0, digits(bits) - s.count)) + s
    }

    /// Inverse of ``hex(_:bits:)``: sign-extends when `signed`.
    public static func value(hex: Substring, bits: Int, signed: Bool) -> Int64? {
        guard let word = UInt64(hex, radix: 16) else { return nil }
        if signed && bits < 64 && word >> UInt64(bits - 1) & 1 == 1 {
            return Int64(bitPattern: word | ~((UInt64(1) << UInt64(bits)) &- 1))
        }
        return Int64(bitPattern: word)
    }

    /// Smallest number of bits of a two's-complement word holding ±`magnitude`.
    public static func signedBits(forMagnitude magnitude: Int64) -> Int {
        magnitude <= 0 ? 1 : 64 - magnitude.leadingZeroBitCount + 1
    }

    /// The decay table a fixed-point layer reads, entry i = decay(age i·2^shift),
    /// in context LSBs (empty for ``DecayKind/shifts``). Read through the
    /// arithmetic itself so it is the ROM the layer really uses.
    public static func decayTable(_ a: FixedPointArithmetic) -> [Int64] {
        let c = a.configuration
        guard c.decay == .table, let n = c.decayTableEntries, let s = c.decayStepShift else { return [] }
        return (0..<n).map { Int64(a.decay(age: UInt32($0) << UInt32(s))) }
    }

    /// The command line's spelling (`--polarity-mode`).
    public static func polarityName(_ m: PolarityMode) -> String {
        switch m {
        case .shared: "shared"
        case .perPolarity: "per-polarity"
        case .polarityChannel: "channel"
        }
    }

    /// The configuration as `key value` pairs, in a fixed order (headers of
    /// test vectors, C `#define`s, hw-report). Units in the key names.
    public static func configurationLines(_ c: FixedPointConfiguration, parameters p: FeastParameters) -> [(String, String)] {
        var lines: [(String, String)] = [
            ("neurons", "\(p.neurons)"), ("populations", "\(p.populations)"), ("radius", "\(p.radius)"),
            ("window_side", "\(p.windowSide)"), ("context_length", "\(p.contextLength)"),
            ("polarity_mode", polarityName(p.polarityMode)), ("border", p.borderPolicy == .zeroPad ? "zero-pad" : "skip"), ("tau_us", "\(p.tau)"),
            ("weight_bits", "\(c.weightBits)"), ("weight_fraction_bits", "\(c.weightFractionalBits)"),
            ("context_bits", "\(c.contextBits)"), ("context_fraction_bits", "\(c.contextFractionalBits)"),
            ("threshold_bits", "\(c.thresholdBits)"), ("threshold_fraction_bits", "\(c.thresholdFractionalBits)"),
            ("accumulator_bits", "\(c.accumulatorBits)"),
            ("score_fraction_bits", "\(c.weightFractionalBits + c.contextFractionalBits)"),
            ("threshold_to_score_shift", "\(c.weightFractionalBits + c.contextFractionalBits - c.thresholdFractionalBits)"),
            ("rounding", c.rounding.rawValue), ("context_rounding", c.contextRounding.rawValue),
            ("overflow", c.overflow.rawValue), ("decay", c.decay.rawValue),
        ]
        if c.decay == .table {
            lines.append(("decay_step_shift", "\(c.decayStepShift ?? -1)"))
            lines.append(("decay_table_entries", "\(c.decayTableEntries ?? -1)"))
        } else {
            lines.append(("half_life_shift", "\(c.halfLifeShift ?? -1)"))
        }
        lines += [
            ("eta_shift", "\(c.etaShift ?? -1)"), ("threshold_rise_steps", "\(c.thresholdRiseSteps ?? -1)"),
            ("threshold_fall_steps", "\(c.thresholdFallSteps ?? -1)"), ("normalisation", c.normalisation.rawValue),
            ("timestamp_bits", "\(c.timestampBits)"), ("seed", "\(p.seed)"),
        ]
        return lines
    }
}
