import FeastAnalysis
import Foundation

extension SizeReport {
    /// Accuracy and predictor against N (log scale), one colour per tau; the
    /// predictor is divided by its largest value so both share the 0…1 axis.
    /// The first tau's noise-neuron range is the black bar at the bottom and
    /// its recommendation the orange point.
    public func plot() -> LinePlot {
        var series: [LinePlot.Series] = []
        let palette: [RGB] = [RGB(31, 119, 180), RGB(214, 39, 40), RGB(44, 160, 44), RGB(148, 103, 189)]
        let top = max(points.map(\.predictor).max() ?? 1, 1e-12)
        for (i, (t, _)) in recommendations.enumerated() {
            let ps = points.filter { $0.tau == t }
            let label = recommendations.count > 1 ? String(format: " %.0fms", t / 1000) : ""
            let colour = palette[i % palette.count]
            if ps.contains(where: { $0.accuracy != nil }) {
                series.append(.init(name: "acc" + label, x: ps.map { Double($0.neurons) }, y: ps.map { $0.accuracy ?? .nan },
                                    colour: colour, markers: true))
            }
            series.append(.init(name: "pred" + label, x: ps.map { Double($0.neurons) }, y: ps.map { $0.predictor / top },
                                colour: colour.mixed(with: RGB(255, 255, 255), 0.5), markers: false))
        }
        let (t0, rec) = recommendations[0]
        let first = points.filter { $0.tau == t0 }
        let noisy = first.filter(\.noiseNeuron)
        if !noisy.isEmpty {
            series.append(.init(name: "noise neuron", x: noisy.map { Double($0.neurons) }, y: noisy.map { _ in 0.04 },
                                colour: RGB(0, 0, 0), markers: true))
        }
        if let r = first.first(where: { $0.neurons == rec.neurons }) {
            series.append(.init(name: "recommended", x: [Double(r.neurons)], y: [r.accuracy ?? r.predictor / top],
                                colour: RGB(255, 140, 0), markers: true))
        }
        return LinePlot(title: "Network size: accuracy, predictor (÷ max)", xLabel: "neurons N (log)", yLabel: "accuracy / predictor",
                        series: series, logX: true, yRange: 0...1)
    }
}
