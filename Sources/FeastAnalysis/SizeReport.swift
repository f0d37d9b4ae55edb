import FeastCore
import Foundation

/// The rows of a size study, averaged over seeds, with the recommendation
/// and the predictor's rank correlation, as a table, CSV, JSON and a plot.
public struct SizeReport {
    public struct Point {
        public var neurons: Int
        public var tau: Double
        public var predictor: Double
        public var accuracy: Double?
        public var noiseNeuron: Bool
        public var noiseShare: Double
        public var centreWeight: Double
        public var isolatedShare: Double
        public var fisher: Double
        public var effectiveNeurons: Double
        public var missRate: Double
        public var seeds: Int
    }

    public let points: [Point]
    /// One recommendation per tau, in the order of `taus`.
    public let recommendations: [(tau: Double, recommendation: SizeRecommendation)]
    public let spearman: Double?
    public let wallSeconds: Double

    public init(rows: [SizeRow], taus: [Double], wallSeconds: Double) {
        var groups: [String: [SizeRow]] = [:]
        var order: [String] = []
        for r in rows {
            let key = "\(r.configuration.neurons)/\(r.configuration.tau)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(1, v.count)) }
        points = order.map { key in
            let g = groups[key]!
            let accuracies = g.compactMap(\.accuracy)
            return Point(neurons: g[0].configuration.neurons, tau: g[0].configuration.tau,
                         predictor: mean(g.map(\.predictor)),
                         accuracy: accuracies.isEmpty ? nil : mean(accuracies),
                         noiseNeuron: g.filter(\.noise.isNoiseNeuron).count * 2 > g.count,
                         noiseShare: mean(g.map(\.noise.eventShare)), centreWeight: mean(g.map(\.noise.centreWeight)),
                         isolatedShare: mean(g.map(\.isolatedEventShare)), fisher: mean(g.map(\.fisherRatio)),
                         effectiveNeurons: mean(g.map(\.effectiveNeurons)), missRate: mean(g.map(\.inferenceMissRate)),
                         seeds: g.count)
        }
        let points = self.points
        recommendations = taus.map { t in
            let sweep = points.filter { $0.tau == t }.map { ($0.neurons, $0.noiseNeuron, $0.isolatedShare) }
            return (t, SizeRecommendation(sweep: sweep))
        }
        let withAccuracy = points.filter { $0.accuracy != nil }
        spearman = withAccuracy.count >= 2 ? FeastAnalysis.spearman(withAccuracy.map(\.predictor), withAccuracy.map { $0.accuracy! }) : nil
        self.wallSeconds = wallSeconds
    }

    public var table: String {
        var lines = ["neurons  tau_us  predictor  fisher  eff_neurons  miss   noise_neuron  noise_share  centre_w  accuracy"]
        for p in points {
            lines.append(String(format: "%7d  %6.0f  %9.4f  %6.3f  %11.1f  %.3f  %-12@  %11.3f  %8.3f  %@",
                                p.neurons, p.tau, p.predictor, p.fisher, p.effectiveNeurons, p.missRate,
                                p.noiseNeuron ? "yes" : "no", p.noiseShare, p.centreWeight,
                                p.accuracy.map { String(format: "%.3f", $0) } ?? "-"))
        }
        lines.append("")
        for (t, r) in recommendations {
            lines.append(String(format: "recommended N at tau %.0f µs: %d (", t, r.neurons) + r.reason + ")")
        }
        lines.append("spearman(predictor, accuracy): " + (spearman.map { String(format: "%.3f", $0) } ?? "n/a (no accuracy)"))
        lines.append(String(format: "wall time: %.1f s", wallSeconds))
        return lines.joined(separator: "\n")
    }

    public var csv: String {
        var lines = ["neurons,tau_us,seeds,predictor,fisher_ratio,effective_neurons,miss_rate,noise_neuron,noise_share,centre_weight,isolated_share,accuracy"]
        for p in points {
            lines.append("\(p.neurons),\(p.tau),\(p.seeds),\(p.predictor),\(p.fisher),\(p.effectiveNeurons),\(p.missRate),\(p.noiseNeuron),\(p.noiseShare),\(p.centreWeight),\(p.isolatedShare),\(p.accuracy.map { "\($0)" } ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public struct JSONRow: Encodable {
        public var neurons: Int
        public var tau_us: Double
        public var predictor: Double
        public var noise_neuron: Bool
        public var noise_share: Double
        public var centre_weight: Double
        public var isolated_share: Double
        public var fisher_ratio: Double
        public var effective_neurons: Double
        public var miss_rate: Double
        /// `null` without a classifier.
        @ExplicitNull public var accuracy: Double?
        public var seeds: Int
    }

    public struct JSONReport: Encodable {
        public var recommended_neurons: Int
        public var reason: String
        public var estimate: Int
        @ExplicitNull public var observed_noise_neuron_from: Int?
        @ExplicitNull public var spearman: Double?
        public var rows: [JSONRow]
        public var wall_seconds: Double
    }

    public var json: JSONReport {
        let first = recommendations[0].recommendation
        return JSONReport(
            recommended_neurons: first.neurons, reason: first.reason, estimate: first.estimate,
            observed_noise_neuron_from: first.observedNoiseNeuronFrom, spearman: spearman,
            rows: points.map {
                JSONRow(neurons: $0.neurons, tau_us: $0.tau, predictor: $0.predictor, noise_neuron: $0.noiseNeuron,
                        noise_share: $0.noiseShare, centre_weight: $0.centreWeight, isolated_share: $0.isolatedShare,
                        fisher_ratio: $0.fisher, effective_neurons: $0.effectiveNeurons, miss_rate: $0.missRate,
                        accuracy: $0.accuracy, seeds: $0.seeds)
            },
            wall_seconds: wallSeconds)
    }
}
