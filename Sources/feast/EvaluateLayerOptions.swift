import ArgumentParser
import FeastCore
import FeastLearning

/// Layer options of `feast evaluate` (DESIGN.md's layer options), spelled as
/// in the shared ``LayerOptions`` (whose argument types it reuses) but with
/// evaluate's own defaults, chosen by the sweeps in docs/accuracy.md:
/// ``LayerOptions`` carries `FeastParameters`' defaults (N = 16, shared) and
/// a `--seed` of its own, while evaluate's seeds come from `--seed/--seeds`.
struct EvaluateLayerOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Neurons per population.")
    var neurons: Int = EvaluateDefaults.parameters.neurons

    @Option(parsing: .unconditional, help: "Context radius R (window (2R+1)²).")
    var radius: Int = EvaluateDefaults.parameters.radius

    @Option(parsing: .unconditional, help: ArgumentHelp("Time-surface decay constant.", valueName: "MICROSECONDS"))
    var tau: Double = EvaluateDefaults.parameters.tau

    @Option(parsing: .unconditional, help: "Learning rate of the winner's weights.")
    var eta: Double = EvaluateDefaults.parameters.eta

    @Option(name: .customLong("threshold-rise"), parsing: .unconditional, help: "Δclose: the winner's threshold rise.")
    var thresholdRise: Double = EvaluateDefaults.parameters.thresholdRise

    @Option(name: .customLong("threshold-fall"), parsing: .unconditional, help: "Δopen: every threshold's fall on a miss.")
    var thresholdFall: Double = EvaluateDefaults.parameters.thresholdFall

    @Option(name: .customLong("initial-threshold"), parsing: .unconditional, help: "Threshold of every neuron before learning.")
    var initialThreshold: Double = EvaluateDefaults.parameters.initialThreshold

    @Option(help: "Events whose window leaves the sensor: zero-pad (outside = never fired) or skip.")
    var border: BorderArgument = .zeroPad

    @Option(name: .customLong("polarity-mode"),
            help: "shared (one population), per-polarity (one population per polarity, 2N neurons), channel (ON and OFF windows in one context).")
    var polarityMode: PolarityModeArgument = .perPolarity

    @Option(help: "Arithmetic: float (float32) or fixed (integer words).")
    var arithmetic: ArithmeticKind = .float

    @Option(name: .customLong("weight-bits"), parsing: .unconditional, help: "Fixed point: weight word length.")
    var weightBits: Int?
    @Option(name: .customLong("context-bits"), parsing: .unconditional, help: "Fixed point: context word length.")
    var contextBits: Int?
    @Option(name: .customLong("threshold-bits"), parsing: .unconditional, help: "Fixed point: threshold word length.")
    var thresholdBits: Int?
    @Option(name: .customLong("accumulator-bits"), parsing: .unconditional, help: "Fixed point: accumulator word length.")
    var accumulatorBits: Int?

    @Option(parsing: .unconditional, help: "Training passes over the training recordings.")
    var epochs: Int = 1

    /// Parse-time check of every layer flag (the window against the real
    /// sensor is checked when the layer is built); messages name the flag.
    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs \(epochs): expected an integer >= 1") }
        guard (0...31).contains(radius) else { throw ValidationError("invalid --radius \(radius): expected 0…31") }
        var p = try parameters()
        p.radius = 0
        do {
            try p.validate(geometry: .nmnist)
            if case .fixed(let c) = try layerArithmetic() { try c.resolved(for: p).validate() }
        } catch let error as FeastCoreError {
            throw FlagNames.validationError(error)
        }
    }

    /// The parameters (seed set later per evaluation seed).
    func parameters() throws -> FeastParameters {
        var p = EvaluateDefaults.parameters
        p.neurons = neurons
        p.radius = radius
        p.tau = tau
        p.eta = eta
        p.thresholdRise = thresholdRise
        p.thresholdFall = thresholdFall
        p.initialThreshold = initialThreshold
        p.borderPolicy = border.policy
        p.polarityMode = polarityMode.mode
        return p
    }

    func layerArithmetic() throws -> LayerArithmetic {
        switch arithmetic {
        case .float:
            guard weightBits == nil, contextBits == nil, thresholdBits == nil, accumulatorBits == nil else {
                throw ValidationError("--weight-bits, --context-bits, --threshold-bits and --accumulator-bits need --arithmetic fixed")
            }
            return .float
        case .fixed:
            var c = FixedPointConfiguration()
            if weightBits != nil || contextBits != nil || thresholdBits != nil || accumulatorBits != nil {
                c = FixedPointConfiguration(weightBits: weightBits ?? c.weightBits, contextBits: contextBits ?? c.contextBits,
                                            thresholdBits: thresholdBits ?? c.thresholdBits, accumulatorBits: accumulatorBits ?? c.accumulatorBits)
            }
            return .fixed(c)
        }
    }
}

/// The defaults of `feast evaluate`, from the sweeps in docs/accuracy.md.
enum EvaluateDefaults {
    static let parameters = StageEvaluation.defaultParameters
    static let classifiers = StageEvaluation.defaultClassifiers.joined(separator: ",")
}
