import ArgumentParser
import FeastCore
import FeastEvents

/// `--border zero-pad|skip` (the CLI's spelling of ``BorderPolicy``).
enum BorderArgument: String, CaseIterable, ExpressibleByArgument {
    case zeroPad = "zero-pad", skip
    var policy: BorderPolicy { self == .zeroPad ? .zeroPad : .skip }
}

/// `--polarity-mode shared|per-polarity|channel` (``PolarityMode``).
enum PolarityModeArgument: String, CaseIterable, ExpressibleByArgument {
    case shared, perPolarity = "per-polarity", channel
    var mode: PolarityMode {
        switch self {
        case .shared: .shared
        case .perPolarity: .perPolarity
        case .channel: .polarityChannel
        }
    }
}

extension RoundingMode: ExpressibleByArgument {}
extension OverflowMode: ExpressibleByArgument {}
extension DecayKind: ExpressibleByArgument {}
extension WeightNormalisation: ExpressibleByArgument {}

/// `--arithmetic float|fixed`.
enum ArithmeticKind: String, ExpressibleByArgument, CaseIterable {
    case float, fixed
}

/// The layer flags of DESIGN.md's command-line contract (plus the other
/// fixed-point knobs), shared by every command that builds a layer.
/// Defaults are ``FeastParameters``' and ``FixedPointConfiguration``'s
/// (see their doc comments for the reasons).
struct LayerOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Neurons per population, N.")
    var neurons: Int = FeastParameters().neurons

    @Option(parsing: .unconditional, help: "Window radius R: the context is (2R+1)² pixels.")
    var radius: Int = FeastParameters().radius

    @Option(parsing: .unconditional, help: ArgumentHelp("Time-surface decay constant τ.", valueName: "microseconds"))
    var tau: Double = FeastParameters().tau

    @Option(parsing: .unconditional, help: "Learning rate η of the winner's weights.")
    var eta: Double = FeastParameters().eta

    @Option(name: .customLong("threshold-rise"), parsing: .unconditional, help: "Δclose: threshold rise of the winner.")
    var thresholdRise: Double = FeastParameters().thresholdRise

    @Option(name: .customLong("threshold-fall"), parsing: .unconditional, help: "Δopen: threshold fall of every neuron on a miss.")
    var thresholdFall: Double = FeastParameters().thresholdFall

    @Option(name: .customLong("initial-threshold"), parsing: .unconditional, help: "Threshold of every neuron before learning.")
    var initialThreshold: Double = FeastParameters().initialThreshold

    @Option(help: "Events whose window leaves the sensor: zero-pad (outside = never fired) or skip.")
    var border: BorderArgument = .zeroPad

    @Option(name: .customLong("polarity-mode"),
            help: "shared (one population), per-polarity (one population per polarity, 2N neurons), channel (ON and OFF windows in one context).")
    var polarityMode: PolarityModeArgument = .shared

    @Option(parsing: .unconditional, help: "Seed of the weight initialisation, the recording shuffle and stochastic rounding.")
    var seed: UInt64 = FeastParameters().seed

    @Option(help: "Arithmetic: float (float32) or fixed (integer words; see the fixed-point options).")
    var arithmetic: ArithmeticKind = .float

    // Fixed point: nil = FixedPointConfiguration's default (or automatic).
    @Option(name: .customLong("weight-bits"), parsing: .unconditional, help: "Fixed point: weight word, bits (default 8).")
    var weightBits: Int?
    @Option(name: .customLong("weight-fraction-bits"), parsing: .unconditional, help: "Fixed point: weight fractional bits (default weight bits − 1).")
    var weightFractionBits: Int?
    @Option(name: .customLong("context-bits"), parsing: .unconditional, help: "Fixed point: context word, bits (default 8).")
    var contextBits: Int?
    @Option(name: .customLong("context-fraction-bits"), parsing: .unconditional, help: "Fixed point: context fractional bits (default context bits − 1).")
    var contextFractionBits: Int?
    @Option(name: .customLong("threshold-bits"), parsing: .unconditional, help: "Fixed point: signed threshold word, bits (default 16).")
    var thresholdBits: Int?
    @Option(name: .customLong("threshold-fraction-bits"), parsing: .unconditional, help: "Fixed point: threshold fractional bits (default 14, at most threshold bits − 2).")
    var thresholdFractionBits: Int?
    @Option(name: .customLong("accumulator-bits"), parsing: .unconditional, help: "Fixed point: signed dot-product accumulator, bits (default 24).")
    var accumulatorBits: Int?
    @Option(help: "Fixed point: rounding of learning updates: truncate, nearest, stochastic (default).")
    var rounding: RoundingMode?
    @Option(name: .customLong("context-rounding"), help: "Fixed point: rounding of the context normaliser: truncate or nearest (default).")
    var contextRounding: RoundingMode?
    @Option(help: "Fixed point: overflow handling: saturate (default) or wrap.")
    var overflow: OverflowMode?
    @Option(help: "Fixed point: decay exp(−age/τ) by a lookup table (default) or by shifts (power-of-two half-life).")
    var decay: DecayKind?
    @Option(name: .customLong("decay-step-shift"), parsing: .unconditional, help: "Fixed point: decay table step 2^shift µs (default automatic).")
    var decayStepShift: Int?
    @Option(name: .customLong("eta-shift"), parsing: .unconditional, help: "Fixed point: learning rate η = 2^−shift (default round(−log2 η)).")
    var etaShift: Int?
    @Option(help: "Fixed point: weight normalisation: exact (default), newton or none.")
    var normalisation: WeightNormalisation?
    @Option(name: .customLong("timestamp-bits"), parsing: .unconditional, help: "Fixed point: width of the time-surface counter, bits (default 24).")
    var timestampBits: Int?

    /// The fixed-point flags given, by name (for "only with --arithmetic fixed").
    private var fixedFlagsGiven: [String] {
        var names = [String]()
        if weightBits != nil { names.append("--weight-bits") }
        if weightFractionBits != nil { names.append("--weight-fraction-bits") }
        if contextBits != nil { names.append("--context-bits") }
        if contextFractionBits != nil { names.append("--context-fraction-bits") }
        if thresholdBits != nil { names.append("--threshold-bits") }
        if thresholdFractionBits != nil { names.append("--threshold-fraction-bits") }
        if accumulatorBits != nil { names.append("--accumulator-bits") }
        if rounding != nil { names.append("--rounding") }
        if contextRounding != nil { names.append("--context-rounding") }
        if overflow != nil { names.append("--overflow") }
        if decay != nil { names.append("--decay") }
        if decayStepShift != nil { names.append("--decay-step-shift") }
        if etaShift != nil { names.append("--eta-shift") }
        if normalisation != nil { names.append("--normalisation") }
        if timestampBits != nil { names.append("--timestamp-bits") }
        return names
    }

    var parameters: FeastParameters {
        FeastParameters(neurons: neurons, radius: radius, tau: tau, eta: eta, thresholdRise: thresholdRise,
                        thresholdFall: thresholdFall, initialThreshold: initialThreshold, seed: seed,
                        borderPolicy: border.policy, polarityMode: polarityMode.mode)
    }

    /// The fixed-point configuration (nil for float), automatic fields resolved.
    var fixedPoint: FixedPointConfiguration? {
        guard arithmetic == .fixed else { return nil }
        var c = FixedPointConfiguration()
        if let b = weightBits { c.weightBits = b; c.weightFractionalBits = b - 1 }
        if let b = contextBits { c.contextBits = b; c.contextFractionalBits = b - 1 }
        if let b = thresholdBits { c.thresholdBits = b; c.thresholdFractionalBits = min(b - 2, c.weightFractionalBits + c.contextFractionalBits) }
        if let f = weightFractionBits { c.weightFractionalBits = f }
        if let f = contextFractionBits { c.contextFractionalBits = f }
        if let f = thresholdFractionBits { c.thresholdFractionalBits = f }
        if thresholdBits == nil && thresholdFractionBits == nil {
            c.thresholdFractionalBits = min(c.thresholdFractionalBits, c.weightFractionalBits + c.contextFractionalBits)
        }
        if let b = accumulatorBits { c.accumulatorBits = b }
        if let r = rounding { c.rounding = r }
        if let r = contextRounding { c.contextRounding = r }
        if let o = overflow { c.overflow = o }
        if let d = decay { c.decay = d }
        c.decayStepShift = decayStepShift
        c.etaShift = etaShift
        if let n = normalisation { c.normalisation = n }
        if let b = timestampBits { c.timestampBits = b }
        return c.resolved(for: parameters)
    }

    /// Checks every flag against a sensor of `geometry`; messages name the flag.
    func check(geometry: SensorGeometry) throws {
        if arithmetic == .float, let first = fixedFlagsGiven.first {
            throw ValidationError("\(first) applies to fixed-point arithmetic; add --arithmetic fixed")
        }
        do {
            try parameters.validate(geometry: geometry)
            try fixedPoint?.validate()
        } catch let error as FeastCoreError {
            throw FlagNames.validationError(error)
        }
    }

    /// Parse-time check; the window is checked against the real sensor when
    /// the layer is built (``makeLayer(geometry:)``).
    func validate() throws {
        guard (0...31).contains(radius) else { throw ValidationError("invalid --radius \(radius): expected 0…31") }
        var atParse = self
        atParse.radius = 0
        try atParse.check(geometry: .nmnist)
    }

    /// A fresh layer on a sensor of `geometry`.
    func makeLayer(geometry: SensorGeometry) throws -> AnyFeastLayer {
        try check(geometry: geometry)
        do {
            return try AnyFeastLayer(parameters: parameters, geometry: geometry, arithmetic: fixedPoint.map { .fixed($0) } ?? .float)
        } catch let error as FeastCoreError {
            throw FlagNames.validationError(error)
        }
    }
}
