import ArgumentParser
import FeastCore
import FeastEvents
import FeastLearning

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

/// The layer flags of DESIGN.md's command-line contract, declared once for
/// every command that builds a layer (train, evaluate, hw-report; sweep
/// takes ``LayerParameterOptions`` with its own word-length lists). A flag
/// not given takes the default the command supplies: ``FeastParameters``'
/// for train and hw-report, evaluate's from docs/accuracy.md's sweeps.
struct LayerOptions: ParsableArguments {
    @OptionGroup var parameters: LayerParameterOptions
    @OptionGroup var fixedPoint: FixedPointOptions

    @Option(parsing: .unconditional,
            help: "Stacked FEAST layers L: layer k+1 learns from layer k's winners, the winning neuron as its input channel (default: the longest of the --neurons, --radius, --tau lists, else 1).")
    var layers: Int?

    /// Every layer's parameters, layer 0 first: `defaults` with the flags
    /// given (a list gives one value per layer, a single value applies to
    /// all); deeper layers stacked on the layer before. Throws a usage
    /// error naming the flag for a list of the wrong length.
    func resolvedLayers(_ defaults: FeastParameters) throws -> [FeastParameters] {
        let lists = [("--neurons", parameters.neurons?.values.count), ("--radius", parameters.radius?.values.count),
                     ("--tau", parameters.tau?.values.count)]
        let depth = layers ?? lists.compactMap(\.1).max() ?? 1
        guard (1...16).contains(depth) else { throw ValidationError("invalid --layers \(depth): expected 1…16") }
        for case let (flag, count?) in lists where count != 1 && count != depth {
            throw ValidationError("\(flag) has \(count) values for \(depth) layer\(depth == 1 ? "" : "s"): give one value for every layer, or one per layer")
        }
        return try FlagNames.usage { try FeastNetwork.stackedParameters((0..<depth).map { parameters.resolved(defaults, layer: $0) }) }
    }

    /// Throws for more than one layer: `command` works on a single layer.
    func checkSingleLayer(_ command: String) throws {
        if try resolvedLayers(FeastParameters()).count > 1 {
            throw ValidationError("\(command) works on a single layer; drop --layers and give --neurons, --radius, --tau one value each")
        }
    }

    /// The layer's arithmetic, automatic fixed-point fields resolved for `parameters`.
    func arithmetic(for parameters: FeastParameters) -> LayerArithmetic {
        fixedPoint.configuration.map { .fixed($0.resolved(for: parameters)) } ?? .float
    }

    /// Checks every flag against a sensor of `geometry`; messages name the flag.
    func check(geometry: SensorGeometry, defaults: FeastParameters) throws {
        try fixedPoint.checkUsed()
        for p in try resolvedLayers(defaults) {
            do {
                try p.validate(geometry: geometry)
                try arithmetic(for: p).fixedPoint?.validate()
            } catch {
                throw FlagNames.validationError(error)
            }
        }
    }

    /// Parse-time check; the window is checked against the real sensor when
    /// the layer is built (``makeLayer(geometry:defaults:)``).
    func validate() throws {
        if let r = parameters.radius?.values.first(where: { !(0...31).contains($0) }) {
            throw ValidationError("invalid --radius \(r): expected 0…31")
        }
        var atParse = self
        atParse.parameters.radius = parameters.radius.map { LayerList(values: $0.values.map { _ in 0 }) }
        try atParse.check(geometry: .nmnist, defaults: FeastParameters())
    }

    /// A fresh layer on a sensor of `geometry` (layer 0 of a stack).
    func makeLayer(geometry: SensorGeometry, defaults: FeastParameters = FeastParameters()) throws -> AnyFeastLayer {
        try makeLayers(geometry: geometry, defaults: defaults)[0]
    }

    /// Every layer of the stack, fresh, on a sensor of `geometry`; each in
    /// the arithmetic the flags give (fixed point resolved per layer).
    func makeLayers(geometry: SensorGeometry, defaults: FeastParameters = FeastParameters()) throws -> [AnyFeastLayer] {
        try check(geometry: geometry, defaults: defaults)
        do {
            return try resolvedLayers(defaults).map { try AnyFeastLayer(parameters: $0, geometry: geometry, arithmetic: arithmetic(for: $0)) }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw FlagNames.validationError(error)
        }
    }
}

/// One value per stacked layer, comma-separated (`--neurons 64,32`), or one
/// value for every layer.
struct LayerList<Value: LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    var values: [Value]

    init(values: [Value]) { self.values = values }

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Value($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.map { $0! }
    }

    /// Layer `k`'s value (the single value for every layer).
    func value(layer k: Int) -> Value { values.count == 1 ? values[0] : values[k] }
}

/// The FEAST rule's parameters (``FeastParameters``); nil = the command's default.
struct LayerParameterOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Neurons per population, N (default 16; evaluate 128); a comma list gives one per stacked layer.", valueName: "N[,N...]"))
    var neurons: LayerList<Int>?

    @Option(parsing: .unconditional, help: ArgumentHelp("Time-surface decay constant τ (default 20000); a comma list gives one per stacked layer.", valueName: "microseconds[,...]"))
    var tau: LayerList<Double>?

    @OptionGroup var rule: LayerRuleOptions

    var radius: LayerList<Int>? {
        get { rule.radius }
        set { rule.radius = newValue }
    }

    var seed: UInt64? { rule.seed }

    /// `defaults` with the flags given (layer `k`'s values of the lists).
    func resolved(_ defaults: FeastParameters, layer k: Int = 0) -> FeastParameters {
        var p = rule.resolved(defaults, layer: k)
        if let neurons { p.neurons = neurons.value(layer: k) }
        if let tau { p.tau = tau.value(layer: k) }
        return p
    }
}

/// Every layer flag but N and τ, which `feast size` takes as lists.
struct LayerRuleOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Window radius R: the context is (2R+1)² pixels (default 5; evaluate 3); a comma list gives one per stacked layer.", valueName: "R[,R...]"))
    var radius: LayerList<Int>?

    @Option(parsing: .unconditional, help: "Learning rate η of the winner's weights (default 0.001).")
    var eta: Double?

    @Option(name: .customLong("threshold-rise"), parsing: .unconditional, help: "Δclose: threshold rise of the winner (default 0.001).")
    var thresholdRise: Double?

    @Option(name: .customLong("threshold-fall"), parsing: .unconditional, help: "Δopen: threshold fall of every neuron on a miss (default 0.003).")
    var thresholdFall: Double?

    @Option(name: .customLong("initial-threshold"), parsing: .unconditional, help: "Threshold of every neuron before learning (default 0).")
    var initialThreshold: Double?

    @Option(help: "Events whose window leaves the sensor: zero-pad (outside = never fired; default) or skip.")
    var border: BorderArgument?

    @Option(name: .customLong("polarity-mode"),
            help: "shared (one population; default), per-polarity (one population per polarity, 2N neurons; evaluate's default), channel (ON and OFF windows in one context). Layer 0 only: deeper layers take channels.")
    var polarityMode: PolarityModeArgument?

    @Option(parsing: .unconditional, help: "Seed of the weight initialisation, the recording shuffle, stochastic rounding and a hold-out split (default 1; evaluate: the first of --seeds).")
    var seed: UInt64?

    /// `defaults` with the flags given (layer `k`'s radius of a list).
    func resolved(_ defaults: FeastParameters, layer k: Int = 0) -> FeastParameters {
        var p = defaults
        if let radius { p.radius = radius.value(layer: k) }
        if let eta { p.eta = eta }
        if let thresholdRise { p.thresholdRise = thresholdRise }
        if let thresholdFall { p.thresholdFall = thresholdFall }
        if let initialThreshold { p.initialThreshold = initialThreshold }
        if let border { p.borderPolicy = border.policy }
        if let polarityMode { p.polarityMode = polarityMode.mode }
        if let seed { p.seed = seed }
        return p
    }
}

/// `--arithmetic` and the fixed-point words (``FixedPointConfiguration``);
/// nil = its default (or automatic).
struct FixedPointOptions: ParsableArguments {
    @Option(help: "Arithmetic: float (float32) or fixed (integer words; see the fixed-point options).")
    var arithmetic: ArithmeticKind = .float

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
    private var given: [String] {
        [("--weight-bits", weightBits != nil), ("--weight-fraction-bits", weightFractionBits != nil), ("--context-bits", contextBits != nil),
         ("--context-fraction-bits", contextFractionBits != nil), ("--threshold-bits", thresholdBits != nil),
         ("--threshold-fraction-bits", thresholdFractionBits != nil), ("--accumulator-bits", accumulatorBits != nil),
         ("--rounding", rounding != nil), ("--context-rounding", contextRounding != nil), ("--overflow", overflow != nil),
         ("--decay", decay != nil), ("--decay-step-shift", decayStepShift != nil), ("--eta-shift", etaShift != nil),
         ("--normalisation", normalisation != nil), ("--timestamp-bits", timestampBits != nil)].filter(\.1).map(\.0)
    }

    /// Throws when a fixed-point flag comes without `--arithmetic fixed`.
    func checkUsed() throws {
        if arithmetic == .float, let first = given.first {
            throw ValidationError("\(first) applies to fixed-point arithmetic; add --arithmetic fixed")
        }
    }

    /// The configuration the flags give (nil for float), automatic fields unresolved.
    var configuration: FixedPointConfiguration? {
        guard arithmetic == .fixed else { return nil }
        var c = FixedPointConfiguration(weightBits: weightBits, weightFractionalBits: weightFractionBits, contextBits: contextBits,
                                        contextFractionalBits: contextFractionBits, thresholdBits: thresholdBits,
                                        thresholdFractionalBits: thresholdFractionBits, accumulatorBits: accumulatorBits)
        if let r = rounding { c.rounding = r }
        if let r = contextRounding { c.contextRounding = r }
        if let o = overflow { c.overflow = o }
        if let d = decay { c.decay = d }
        c.decayStepShift = decayStepShift
        c.etaShift = etaShift
        if let n = normalisation { c.normalisation = n }
        if let b = timestampBits { c.timestampBits = b }
        return c
    }
}
