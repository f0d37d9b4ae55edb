import FeastEvents

/// What happens to an event whose (2R+1)² window leaves the sensor.
public enum BorderPolicy: String, Sendable, Codable, CaseIterable {
    /// Pixels outside the sensor count as never fired (context 0). Default:
    /// every event gets a feature, and N-MNIST digits touch the border.
    case zeroPad
    /// The event updates the time surface but produces no output (neuron −2).
    case skip
}

/// How polarity enters the layer.
public enum PolarityMode: String, Sendable, Codable, CaseIterable {
    /// One population and one time surface for both polarities. Default: the
    /// paper's simplest layer, and the one the equilibrium formula describes.
    case shared
    /// One population and one time surface per polarity (2N neurons; global
    /// neuron index = polarity · N + n). Each population has its own equilibrium.
    case perPolarity
    /// One population; one time surface per channel and a context of all
    /// channels' windows in channel order (K = C·(2R+1)²). For a sensor
    /// C = 2 (OFF window then ON window); in a stacked network (``FeastNetwork``)
    /// a deeper layer's channels are the previous layer's neurons, the
    /// event's `polarity` carrying the winner (C = ``FeastParameters/inputChannels``).
    case polarityChannel
}

/// The FEAST layer's parameters, each with a default and the reason for it.
/// Times are in microseconds.
public struct FeastParameters: Sendable, Codable, Equatable, Hashable {
    /// Neurons per population, N. Default 16: the paper's smallest useful
    /// layer for N-MNIST and cheap enough for quick runs.
    public var neurons: Int = 16
    /// Window radius R: the context is (2R+1)² pixels. Default 5 (11×11), the
    /// paper's choice for 34×34 N-MNIST: about a stroke width and a bit.
    public var radius: Int = 5
    /// Decay time constant τ of the time surface, µs. Default 20 000 µs:
    /// about one fifth of an N-MNIST saccade (~100 ms), so a context shows
    /// the recent stroke and forgets the previous saccade.
    public var tau: Double = 20_000
    /// Learning rate η of the winner's weights. Default 0.001: slow enough
    /// that a weight averages ~1000 contexts (one recording's worth).
    public var eta: Double = 0.001
    /// Δclose: threshold rise of the winner. Default 0.001 (paper's order).
    public var thresholdRise: Double = 0.001
    /// Δopen: threshold fall of every neuron on a miss. Default 0.003, so the
    /// equilibrium miss rate Δclose/(Δclose + N·Δopen) is 2 % at N = 16.
    public var thresholdFall: Double = 0.003
    /// Threshold of every neuron before learning. Default 0: every neuron is
    /// eligible at first (scores of non-negative unit vectors are ≥ 0), so
    /// learning starts at once and thresholds rise to where they belong.
    public var initialThreshold: Double = 0
    /// Seed of the weight initialisation (uniform [0, 1) entries, then
    /// normalised), the shuffle and stochastic rounding. Default 1.
    public var seed: UInt64 = 1
    /// Default ``BorderPolicy/zeroPad``.
    public var borderPolicy: BorderPolicy = .zeroPad
    /// Default ``PolarityMode/shared``.
    public var polarityMode: PolarityMode = .shared
    /// Channels C of ``PolarityMode/polarityChannel`` (unused otherwise):
    /// an event's `polarity` is its channel, 0…C−1. Default 2, a sensor's
    /// OFF and ON; a stacked layer takes the previous layer's neurons (≤ 256,
    /// the range of `Event.polarity`).
    public var inputChannels: Int = 2

    public init(neurons: Int = 16, radius: Int = 5, tau: Double = 20_000, eta: Double = 0.001,
                thresholdRise: Double = 0.001, thresholdFall: Double = 0.003, initialThreshold: Double = 0,
                seed: UInt64 = 1, borderPolicy: BorderPolicy = .zeroPad, polarityMode: PolarityMode = .shared,
                inputChannels: Int = 2) {
        self.neurons = neurons
        self.radius = radius
        self.tau = tau
        self.eta = eta
        self.thresholdRise = thresholdRise
        self.thresholdFall = thresholdFall
        self.initialThreshold = initialThreshold
        self.seed = seed
        self.borderPolicy = borderPolicy
        self.polarityMode = polarityMode
        self.inputChannels = inputChannels
    }

    /// Window side 2R+1.
    @inlinable public var windowSide: Int { 2 * radius + 1 }
    /// Context channels: ``inputChannels`` for ``PolarityMode/polarityChannel``, else 1.
    @inlinable public var channels: Int { polarityMode == .polarityChannel ? inputChannels : 1 }
    /// Context length K = channels · (2R+1)².
    @inlinable public var contextLength: Int { channels * windowSide * windowSide }
    /// Populations: 2 for ``PolarityMode/perPolarity``, else 1.
    @inlinable public var populations: Int { polarityMode == .perPolarity ? 2 : 1 }
    /// Time surfaces: one per polarity (per channel) unless ``PolarityMode/shared``.
    @inlinable public var surfaces: Int {
        switch polarityMode {
        case .shared: 1
        case .perPolarity: 2
        case .polarityChannel: inputChannels
        }
    }

    /// The equilibrium miss rate Δclose / (Δclose + N·Δopen) of one
    /// population while learning (see DESIGN.md, "FEAST in one paragraph").
    public var predictedMissRate: Double {
        Self.predictedMissRate(rise: thresholdRise, fall: thresholdFall, neurons: neurons)
    }

    /// Δclose / (Δclose + N·Δopen); 0 when both steps are 0.
    public static func predictedMissRate(rise: Double, fall: Double, neurons: Int) -> Double {
        let d = rise + Double(neurons) * fall
        return d > 0 ? rise / d : 0
    }

    /// The fields a user sets, named as errors name them (a command line
    /// maps them to its own spelling, e.g. `--threshold-rise`).
    public enum Field: String, Sendable, CaseIterable {
        case neurons, radius, tau, eta
        case thresholdRise = "threshold rise", thresholdFall = "threshold fall", initialThreshold = "initial threshold"
        case inputChannels = "input channels"
    }

    /// Throws ``FeastCoreError/invalidParameter(field:value:expected:)`` for
    /// the first parameter that cannot work on a sensor of `geometry`.
    public func validate(geometry: SensorGeometry) throws {
        func bad(_ field: Field, _ value: Any, _ expected: String) -> FeastCoreError {
            .invalidParameter(field: field, value: "\(value)", expected: expected)
        }
        guard neurons >= 1, neurons <= 65_536 else { throw bad(.neurons, neurons, "1…65536") }
        let maxRadius = (min(geometry.width, geometry.height) - 1) / 2
        guard radius >= 0, radius <= maxRadius, radius <= 31 else {
            throw bad(.radius, radius, "0…\(min(maxRadius, 31)) (the (2R+1)² window must fit the \(geometry) sensor)")
        }
        guard tau.isFinite, tau > 0 else { throw bad(.tau, tau, "a positive number of microseconds") }
        guard eta.isFinite, eta > 0, eta <= 1 else { throw bad(.eta, eta, "a learning rate in (0, 1]") }
        guard thresholdRise.isFinite, thresholdRise >= 0 else { throw bad(.thresholdRise, thresholdRise, "a finite value ≥ 0") }
        guard thresholdFall.isFinite, thresholdFall >= 0 else { throw bad(.thresholdFall, thresholdFall, "a finite value ≥ 0") }
        guard initialThreshold.isFinite, abs(initialThreshold) <= 1e6 else {
            throw bad(.initialThreshold, initialThreshold, "a finite value")
        }
        guard (2...256).contains(inputChannels) else {
            throw bad(.inputChannels, inputChannels, "2…256 (an event's polarity byte is its channel)")
        }
    }
}

extension FeastParameters {
    enum CodingKeys: String, CodingKey {
        case neurons, radius, tau, eta, thresholdRise, thresholdFall, initialThreshold, seed, borderPolicy, polarityMode, inputChannels
    }

    /// Files written before stacked layers have no `inputChannels`: 2.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(neurons: try c.decode(Int.self, forKey: .neurons), radius: try c.decode(Int.self, forKey: .radius),
                  tau: try c.decode(Double.self, forKey: .tau), eta: try c.decode(Double.self, forKey: .eta),
                  thresholdRise: try c.decode(Double.self, forKey: .thresholdRise),
                  thresholdFall: try c.decode(Double.self, forKey: .thresholdFall),
                  initialThreshold: try c.decode(Double.self, forKey: .initialThreshold), seed: try c.decode(UInt64.self, forKey: .seed),
                  borderPolicy: try c.decode(BorderPolicy.self, forKey: .borderPolicy),
                  polarityMode: try c.decode(PolarityMode.self, forKey: .polarityMode),
                  inputChannels: try c.decodeIfPresent(Int.self, forKey: .inputChannels) ?? 2)
    }

    /// `inputChannels` is written only when it is not the default 2, so a
    /// single-layer network file keeps the bytes it had before stacking.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(neurons, forKey: .neurons)
        try c.encode(radius, forKey: .radius)
        try c.encode(tau, forKey: .tau)
        try c.encode(eta, forKey: .eta)
        try c.encode(thresholdRise, forKey: .thresholdRise)
        try c.encode(thresholdFall, forKey: .thresholdFall)
        try c.encode(initialThreshold, forKey: .initialThreshold)
        try c.encode(seed, forKey: .seed)
        try c.encode(borderPolicy, forKey: .borderPolicy)
        try c.encode(polarityMode, forKey: .polarityMode)
        if inputChannels != 2 { try c.encode(inputChannels, forKey: .inputChannels) }
    }
}
