import FeastCore
import Foundation

/// What `feast info NET.h5` prints about a network file: per layer its
/// configuration, what it was trained on and where its thresholds stand,
/// read from the file alone (no recordings needed).
///
/// Units: τ in µs; rates are fractions in 0…1; thresholds in score units
/// (a score is a dot product of unit vectors, so in −1…1).
public struct NetworkSummary: Encodable, Sendable {
    /// One layer of the network.
    public struct Layer: Encodable, Sendable {
        public var index: Int
        public var neurons: Int
        public var populations: Int
        /// As `--polarity-mode` spells it: shared, per-polarity, channel.
        public var polarityMode: String
        public var radius: Int
        /// Context entries per event: channels × (2R+1)².
        public var contextLength: Int
        public var inputChannels: Int
        public var tauUs: Double
        public var eta: Double
        public var thresholdRise: Double
        public var thresholdFall: Double
        public var seed: UInt64
        public var width: Int
        public var height: Int
        /// "float" or "fixed".
        public var arithmetic: String
        /// Weight, context, threshold and accumulator words (bits, with
        /// fractional bits), rounding and normalisation; nil for float.
        @ExplicitNull public var fixedPoint: String?
        /// Events that reached the winner search (learning and inference).
        public var events: Int64
        public var wins: Int64
        public var misses: Int64
        @ExplicitNull public var missRate: Double?
        /// Δclose / (Δclose + N·Δopen): the miss rate at equilibrium.
        public var predictedMissRate: Double
        public var thresholdMin: Double
        public var thresholdMean: Double
        public var thresholdMax: Double
        /// Whether the file holds this layer's training history.
        public var hasHistory: Bool
        /// From the history: neurons that never won; nil without one.
        @ExplicitNull public var deadNeurons: Int?
        /// From the history: max/min wins of the last epoch; nil without one
        /// or when a neuron never won in it.
        @ExplicitNull public var winRateSpread: Double?
        @ExplicitNull public var convergedAtEvent: Int64?
    }

    /// The file as named by the caller.
    public var file: String
    public var layers: [Layer]
    /// Where an interrupted training run resumes ("epoch E, recording R");
    /// nil for a finished one.
    @ExplicitNull public var resumesAt: String?
    /// For a `feast stream --learn` checkpoint: input events consumed.
    @ExplicitNull public var streamEventsConsumed: Int64?

    public init(file: String, network: NetworkFile) {
        self.file = file
        let monitors: [TrainingMonitor?] = [network.monitor] + network.deeperMonitors.map { $0 }
        layers = network.layers.enumerated().map { k, state in
            Layer(index: k, state: state, monitor: k < monitors.count ? monitors[k] : nil)
        }
        resumesAt = network.position.map { "epoch \($0.epoch), recording \($0.recording)" }
        streamEventsConsumed = network.streamEvents
    }

    /// Reads `path` (a network file written by `feast train`, `stream
    /// --learn` or a checkpoint) and summarises it.
    public static func read(path: String) throws -> NetworkSummary {
        NetworkSummary(file: path, network: try NetworkFile.read(from: path))
    }

    /// The human summary: a header line, then a block per layer.
    public var text: String {
        var out = "\(file): FEAST network, \(layers.count) layer\(layers.count == 1 ? "" : "s")"
        if let resumesAt { out += "; interrupted training resumes at \(resumesAt)" }
        if let streamEventsConsumed { out += "; stream checkpoint after \(streamEventsConsumed) input events" }
        out += "\n"
        for l in layers {
            let population = l.populations > 1 ? "\(l.populations)×\(l.neurons) neurons (\(l.polarityMode))" : "\(l.neurons) neurons (\(l.polarityMode))"
            let side = 2 * l.radius + 1
            out += "layer \(l.index): \(population), R = \(l.radius) (\(side)×\(side) window, \(l.contextLength) context entries), "
                + "τ = \(Self.number(l.tauUs)) µs, η = \(Self.number(l.eta)), Δclose = \(Self.number(l.thresholdRise)), "
                + "Δopen = \(Self.number(l.thresholdFall)), seed \(l.seed)\n"
            out += "  input: \(l.width)×\(l.height), \(l.inputChannels) channel\(l.inputChannels == 1 ? "" : "s"); arithmetic: "
                + (l.fixedPoint.map { "fixed point (\($0))" } ?? l.arithmetic) + "\n"
            let rate = l.missRate.map { String(format: "miss rate %.4f", $0) } ?? "no events yet"
            out += "  events: \(l.events) (\(l.wins) wins, \(l.misses) misses; \(rate), predicted at equilibrium "
                + String(format: "%.4f", l.predictedMissRate) + ")\n"
            out += String(format: "  thresholds: min %.4f, mean %.4f, max %.4f\n", l.thresholdMin, l.thresholdMean, l.thresholdMax)
            if l.hasHistory {
                let spread = l.winRateSpread.map { String(format: "%.3f", $0) } ?? "undefined (a neuron never won in it)"
                let converged = l.convergedAtEvent.map { "at event \($0)" } ?? "not detected"
                out += "  training history: \(l.deadNeurons ?? 0) dead neurons, last epoch's win-rate spread \(spread), convergence \(converged)\n"
            } else {
                out += "  training history: not recorded\n"
            }
        }
        return out
    }

    /// One JSON object `{"networks": [...]}` for several summaries
    /// (snake_case keys, `null` where undefined).
    public static func json(_ summaries: [NetworkSummary]) throws -> String {
        struct Networks: Encodable { var networks: [NetworkSummary] }
        return try FeastJSON.text(Networks(networks: summaries))
    }

    /// Shortest decimal that reads back as `value` (20000, not 20000.0).
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

extension NetworkSummary.Layer {
    init(index: Int, state: LayerState, monitor: TrainingMonitor?) {
        let p = state.parameters
        self.index = index
        neurons = state.neurons
        populations = state.populations
        polarityMode = HardwareWords.polarityName(p.polarityMode)
        radius = p.radius
        contextLength = state.contextLength
        inputChannels = p.inputChannels
        tauUs = p.tau
        eta = p.eta
        thresholdRise = p.thresholdRise
        thresholdFall = p.thresholdFall
        seed = p.seed
        width = state.geometry.width
        height = state.geometry.height
        arithmetic = state.arithmetic
        fixedPoint = state.fixedPoint.map { c in
            "weights \(c.weightBits) bits (\(c.weightFractionalBits) fractional), contexts \(c.contextBits) (\(c.contextFractionalBits)), "
                + "thresholds \(c.thresholdBits) (\(c.thresholdFractionalBits)), accumulator \(c.accumulatorBits), "
                + "\(c.rounding.rawValue) rounding, \(c.normalisation.rawValue) normalisation, \(c.decay.rawValue) decay"
        }
        events = state.counters.events
        wins = state.counters.wins
        misses = state.counters.misses
        missRate = events > 0 ? Double(misses) / Double(events) : nil
        predictedMissRate = p.predictedMissRate
        let t = state.thresholds.map(Double.init)
        thresholdMin = t.min() ?? 0
        thresholdMax = t.max() ?? 0
        thresholdMean = t.isEmpty ? 0 : t.reduce(0, +) / Double(t.count)
        hasHistory = monitor != nil
        deadNeurons = monitor.map { $0.wins.filter { $0 == 0 }.count }
        winRateSpread = monitor?.epochWinSpread
        convergedAtEvent = monitor?.convergedAtEvent
    }
}
