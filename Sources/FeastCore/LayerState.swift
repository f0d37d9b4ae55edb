import FeastEvents

/// A layer's complete learnt state as plain arrays and scalars, for network
/// files and checkpoints. The time surface is not included: it is reset per
/// recording, and snapshots are taken between recordings.
///
/// Weights are row-major [population][neuron][k] (N×K per population).
/// Float layers restore from `weights`/`thresholds`; fixed-point layers from
/// `rawWeights` (weight LSBs) and `rawThresholds` (threshold LSBs), which are
/// empty for float.
public struct LayerState: Sendable, Codable, Equatable {
    /// Bumped when the meaning of a field changes.
    public static let currentFormatVersion = 1
    public var formatVersion = LayerState.currentFormatVersion
    public var parameters: FeastParameters
    public var geometry: SensorGeometry
    /// "float32" or "fixed".
    public var arithmetic: String
    /// The resolved fixed-point configuration (nil for float).
    public var fixedPoint: FixedPointConfiguration?
    public var populations: Int
    public var neurons: Int
    public var contextLength: Int
    public var weights: [Float]
    public var thresholds: [Float]
    public var rawWeights: [Int32]
    public var rawThresholds: [Int32]
    /// Stochastic-rounding generator state.
    public var randomState: UInt64
    public var counters: LayerCounters
    public var arithmeticCounters: ArithmeticCounters
}

extension FeastLayer {
    /// The layer's state (see ``LayerState``).
    public var state: LayerState {
        let k = contextLength
        var w = [Float](repeating: 0, count: populations * neurons * k)
        var raw: [Int32] = []
        let fixed = A.self == FixedPointArithmetic.self
        if fixed { raw = [Int32](repeating: 0, count: w.count) }
        let scale = arithmetic.weightScale
        for pop in 0..<populations {
            for n in 0..<neurons {
                for i in 0..<k {
                    let v = storage.weights[(pop * k + i) * stride + n]
                    let j = (pop * neurons + n) * k + i
                    w[j] = Float(Double(v) * scale)
                    if fixed { raw[j] = Int32(v) }
                }
            }
        }
        let count = populations * neurons
        let th = (0..<count).map { Float(arithmetic.realValue(threshold: storage.thresholds[$0])) }
        let rawTh = fixed ? (0..<count).map { Int32(truncatingIfNeeded: arithmetic.rawValue(threshold: storage.thresholds[$0])) } : []
        return LayerState(parameters: parameters, geometry: geometry, arithmetic: A.name,
                          fixedPoint: arithmetic.configuration as? FixedPointConfiguration,
                          populations: populations, neurons: neurons, contextLength: k,
                          weights: w, thresholds: th, rawWeights: raw, rawThresholds: rawTh,
                          randomState: arithmetic.randomState, counters: counters,
                          arithmeticCounters: arithmetic.counters)
    }

    /// Rebuilds a layer from a snapshot, bit for bit. Throws
    /// ``FeastCoreError/snapshotMismatch(field:expected:found:)`` for a
    /// snapshot of another arithmetic, a newer format, or arrays of the
    /// wrong size.
    public init(restoring s: LayerState) throws {
        func mismatch(_ f: String, _ e: Any, _ got: Any) -> FeastCoreError {
            .snapshotMismatch(field: f, expected: "\(e)", found: "\(got)")
        }
        guard s.formatVersion <= LayerState.currentFormatVersion else {
            throw mismatch("format_version", "≤ \(LayerState.currentFormatVersion)", s.formatVersion)
        }
        guard s.arithmetic == A.name else { throw mismatch("arithmetic", A.name, s.arithmetic) }
        let config: A.Configuration
        if let c = FloatArithmetic.Configuration() as? A.Configuration {
            config = c
        } else if let f = s.fixedPoint, let c = f as? A.Configuration {
            config = c
        } else {
            throw mismatch("fixed_point", "a fixed-point configuration", "none")
        }
        try self.init(parameters: s.parameters, geometry: s.geometry, arithmetic: config)
        let k = contextLength, count = populations * neurons
        guard s.populations == populations else { throw mismatch("populations", populations, s.populations) }
        guard s.neurons == neurons else { throw mismatch("neurons", neurons, s.neurons) }
        guard s.contextLength == k else { throw mismatch("context_length", k, s.contextLength) }
        let fixed = A.self == FixedPointArithmetic.self
        if fixed {
            guard s.rawWeights.count == count * k else { throw mismatch("raw_weights", "\(count * k) values", "\(s.rawWeights.count)") }
            guard s.rawThresholds.count == count else { throw mismatch("raw_thresholds", "\(count) values", "\(s.rawThresholds.count)") }
        } else {
            guard s.weights.count == count * k else { throw mismatch("weights", "\(count * k) values", "\(s.weights.count)") }
            guard s.thresholds.count == count else { throw mismatch("thresholds", "\(count) values", "\(s.thresholds.count)") }
        }
        for pop in 0..<populations {
            for n in 0..<neurons {
                for i in 0..<k {
                    let j = (pop * neurons + n) * k + i
                    storage.weights[(pop * k + i) * stride + n] = fixed ? Float(s.rawWeights[j]) : s.weights[j]
                }
            }
        }
        for i in 0..<count {
            storage.thresholds[i] = fixed ? arithmetic.threshold(raw: Int64(s.rawThresholds[i]))
                                          : arithmetic.threshold(raw: Int64(s.thresholds[i].bitPattern))
        }
        arithmetic.randomState = s.randomState
        arithmetic.counters = s.arithmeticCounters
        counters = s.counters
        repackWeights()
    }
}
