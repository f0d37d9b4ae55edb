import FeastCore
import Foundation

/// `feast train`'s summary: DESIGN.md's keys through ``FeastJSON``
/// (snake_case, fractions in 0…1, `null` when undefined), plus the regime
/// the figures come from. Figures are of the last epoch, learning regime.
public struct TrainReport: Encodable, Sendable {
    public var events: Int64
    /// Rounded to whole events per second.
    public var eventsPerSecond: Double
    public var missRate: Double
    /// Max/min wins per neuron; nil when a neuron never won in the last epoch.
    @ExplicitNull public var winRateSpread: Double?
    public var predictedMissRate: Double
    public var deadNeurons: Int
    @ExplicitNull public var convergedAtEvent: Int64?
    /// Always "learning": training figures are taken while the layer adapts.
    public var regime = "learning"
    /// Neurons per population.
    public var neurons: Int
    public var populations: Int
    public var arithmetic: String
    /// The network file written.
    public var network: String
    /// Layers 1… of a stacked network, each with its own figures (trained
    /// after the one before, on its winners); empty for one layer.
    public var deeperLayers: [TrainReport] = []

    public init(summary s: TrainingSummary, neurons: Int, populations: Int, arithmetic: String, network: String) {
        events = s.events
        eventsPerSecond = s.eventsPerSecond.rounded()
        missRate = s.missRate
        winRateSpread = s.winRateSpread
        predictedMissRate = s.predictedMissRate
        deadNeurons = s.deadNeurons
        convergedAtEvent = s.convergedAtEvent
        self.neurons = neurons
        self.populations = populations
        self.arithmetic = arithmetic
        self.network = network
    }

    /// The human summary (every layer's, for a stack).
    public var text: String {
        guard !deeperLayers.isEmpty else { return layerText }
        var text = "wrote \(network): \(deeperLayers.count + 1) stacked layers\n"
        for (k, layer) in ([self] + deeperLayers).enumerated() {
            text += "layer \(k): " + layer.layerText.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
                .replacingOccurrences(of: "last epoch", with: "\(layer.populations > 1 ? "\(layer.populations)×" : "")\(layer.neurons) neurons, last epoch", options: [], range: nil) + "\n"
        }
        return String(text.dropLast())
    }

    /// One layer's summary.
    var layerText: String {
        let spread = winRateSpread.map { String(format: "%.3f", $0) } ?? "undefined (a neuron never won this epoch)"
        let converged = convergedAtEvent.map { "at event \($0)" } ?? "not detected"
        let relative = predictedMissRate > 0 ? String(format: " (%+.1f%% relative)", (missRate / predictedMissRate - 1) * 100) : ""
        return """
            wrote \(network): \(populations > 1 ? "\(populations)×" : "")\(neurons) neurons, \(arithmetic)
            last epoch, learning regime:
              miss rate         \(String(format: "%.4f", missRate)) vs predicted \(String(format: "%.4f", predictedMissRate))\(relative)
              win-rate spread   \(spread) (max/min wins per neuron)
              dead neurons      \(deadNeurons)
              converged         \(converged)
              events            \(events) at \(Self.compact(eventsPerSecond)) events/s
            """
    }

    /// 12345 → "12.3k".
    public static func compact(_ x: Double) -> String {
        x >= 1e6 ? String(format: "%.2fM", x / 1e6) : x >= 1e3 ? String(format: "%.1fk", x / 1e3) : String(format: "%.0f", x)
    }
}
