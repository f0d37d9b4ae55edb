import Foundation
import FeastCore


/// The two pictures of a network file: the weight mosaic and the training
/// history. Shared by `feast render` and `feast train --plots`.
public enum NetworkPictures {
    /// Each neuron's kernel as a tile, sorted by wins (most first) and
    /// labelled `#neuron share%` when the file has a history.
    ///
    /// - shared: one (2R+1)² kernel per neuron on a sequential map;
    /// - channel: ON (red) and OFF (blue) windows side by side per tile;
    /// - per-polarity: the ON population (red) beside the OFF one (blue).
    public static func weights(_ network: NetworkFile) -> RGBImage {
        let s = network.layer
        let p = s.parameters
        let side = p.windowSide, k2 = side * side, k = s.contextLength
        let wins = network.monitor?.wins
        let totalWins = max(1, wins?.reduce(0, +) ?? 0)
        let header = "\(s.populations > 1 ? "2x" : "")\(s.neurons) neurons  R=\(p.radius)  \(modeName(p.polarityMode))  \(arithmetic(s))"
        let order = wins == nil ? "index order (no history)" : "sorted by wins (label: neuron, share of wins)"

        // The centre pixel is the event itself, always 1 before
        // normalisation, and would dominate every tile: show it clipped to
        // the largest surrounding weight so the kernel's shape is visible.
        func clipCentre(_ window: [Float]) -> [Float] {
            var w = window
            let centre = p.radius * side + p.radius
            var m: Float = 0
            for (i, v) in w.enumerated() where i != centre { m = max(m, v) }
            w[centre] = min(w[centre], m)
            return w
        }
        func tile(_ global: Int) -> [Float] {
            let t = Array(s.weights[(global * k)..<((global + 1) * k)])
            return k == k2 ? clipCentre(t) : clipCentre(Array(t[0..<k2])) + clipCentre(Array(t[k2..<k]))
        }
        func label(_ global: Int) -> String {
            guard let wins else { return "#\(global)" }
            return "#\(global) " + String(format: "%.1f%%", Double(wins[global]) / Double(totalWins) * 100)
        }
        func sorted(_ globals: [Int]) -> [Int] {
            guard let wins else { return globals }
            return globals.sorted { wins[$0] != wins[$1] ? wins[$0] > wins[$1] : $0 < $1 }
        }

        switch p.polarityMode {
        case .shared:
            let ids = sorted(Array(0..<s.neurons))
            return Mosaic(tiles: ids.map(tile), kernelSize: side, pixelScale: 10, gap: 10, labels: ids.map(label),
                          title: "FEAST weights: \(header)", colourMap: .sequential).render()
                .withCaption(order + "; colour: weight / tile max (dark 0, yellow max); centre clipped")
        case .polarityChannel:
            let ids = sorted(Array(0..<s.neurons))
            // Stored OFF window then ON window; Mosaic wants ON then OFF.
            let tiles = ids.map { id -> [Float] in
                let t = tile(id)
                return Array(t[k2..<(2 * k2)]) + Array(t[0..<k2])
            }
            return Mosaic(tiles: tiles, kernelSize: side, channels: 2, style: .sideBySide, pixelScale: 8, gap: 10,
                          labels: ids.map(label), title: "FEAST weights: \(header)").render()
                .withCaption(order + "; each tile: ON window (red) | OFF window (blue)")
        case .perPolarity:
            // Population 1 is ON, 0 is OFF (global index = polarity · N + n).
            func population(_ pop: Int, _ name: String, sign: Float) -> RGBImage {
                let ids = sorted(Array((pop * s.neurons)..<((pop + 1) * s.neurons)))
                return Mosaic(tiles: ids.map { tile($0).map { $0 * sign } }, kernelSize: side, pixelScale: 10, gap: 10,
                              labels: ids.map(label), title: name, colourMap: .diverging).render()
            }
            let on = population(1, "ON population", sign: 1), off = population(0, "OFF population", sign: -1)
            let titleH = 24
            var image = RGBImage(width: on.width + off.width + 20, height: max(on.height, off.height) + titleH, background: RGB(250, 250, 250))
            image.text("FEAST weights: \(header)", centreX: image.width / 2, y: 6)
            image.draw(on, x: 0, y: titleH)
            image.draw(off, x: on.width + 20, y: titleH)
            return image.withCaption(order + "; ON weights red, OFF weights blue")
        }
    }

    /// "float32", or the fixed-point word lengths.
    private static func arithmetic(_ s: LayerState) -> String {
        guard let f = s.fixedPoint else { return s.arithmetic }
        return "fixed point: weights \(f.weightBits) bit, context \(f.contextBits), threshold \(f.thresholdBits), accumulator \(f.accumulatorBits)"
    }

    private static func modeName(_ m: PolarityMode) -> String {
        switch m {
        case .shared: "shared polarity"
        case .perPolarity: "per-polarity"
        case .polarityChannel: "polarity channel"
        }
    }

    /// Three panels over training events: moving miss rate with the
    /// predicted equilibrium, threshold mean/min/max, and the win-rate
    /// spread of the current epoch (max/min wins per neuron).
    public static func history(_ network: NetworkFile, width: Int = 900) -> RGBImage {
        let rows = network.monitor?.history ?? []
        let x = rows.map { Double($0.event) }
        let predicted = network.monitor?.predictedMissRate ?? network.layer.parameters.predictedMissRate
        let panelH = 300
        var panels = [RGBImage]()

        // The 1000-event window is noisy at a 2 % rate (about 20 misses per
        // window): draw it light, with a running mean over ~10 rows on top.
        let raw = rows.map(\.movingMissRate)
        let span = max(1, min(10, rows.count / 20))
        var smooth = [Double](), sum = 0.0
        for (i, v) in raw.enumerated() {
            sum += v
            if i >= span { sum -= raw[i - span] }
            smooth.append(sum / Double(min(i + 1, span)))
        }
        let eventsPerRow = network.monitor?.configuration.historyInterval ?? 0
        var miss = LinePlot(title: "Miss rate while learning", xLabel: "training event", yLabel: "miss rate",
                            series: [.init(name: "last \(network.monitor?.configuration.missWindow ?? 0) events", x: x, y: raw, colour: RGB(170, 200, 230)),
                                     .init(name: "mean of \(span * eventsPerRow)", x: x, y: smooth, colour: RGB(20, 60, 140)),
                                     .init(name: String(format: "predicted %.4f", predicted), x: [x.first ?? 0, x.last ?? 1],
                                           y: [predicted, predicted], colour: RGB(200, 30, 30))],
                            width: width, height: panelH)
        // Early rows (every neuron eligible, then all thresholds high) can
        // reach 1; keep the equilibrium readable.
        let tail = rows.suffix(max(1, rows.count * 3 / 4)).map(\.movingMissRate)
        let top = max(predicted * 3, (tail.max() ?? predicted) * 1.1)
        miss.yRange = 0...max(top, 1e-6)
        panels.append(miss.render())

        let th = LinePlot(title: "Thresholds", xLabel: "training event", yLabel: "threshold",
                          series: [.init(name: "max", x: x, y: rows.map(\.thresholdMax), colour: RGB(200, 30, 30)),
                                   .init(name: "mean", x: x, y: rows.map(\.thresholdMean), colour: RGB(20, 20, 20)),
                                   .init(name: "min", x: x, y: rows.map(\.thresholdMin), colour: RGB(33, 102, 172))],
                          width: width, height: panelH)
        panels.append(th.render())

        let spreadRows = rows.filter { $0.winSpread != nil }
        var spread = LinePlot(title: "Win-rate spread in the epoch (max/min wins per neuron; 1 = equal)", xLabel: "training event",
                              yLabel: "max/min", series: [.init(name: "spread", x: spreadRows.map { Double($0.event) },
                                                               y: spreadRows.map { $0.winSpread! }, colour: RGB(60, 140, 60))],
                              referenceLines: [.init(y: 1, label: "1")], width: width, height: panelH)
        let spreadTail = spreadRows.suffix(max(1, spreadRows.count / 2)).map { $0.winSpread! }
        spread.yRange = 0...max(2, min(10, (spreadTail.max() ?? 2) * 1.2))
        panels.append(spread.render())

        var image = RGBImage(width: width, height: panels.count * panelH, background: .white)
        for (i, panel) in panels.enumerated() { image.draw(panel, x: 0, y: i * panelH) }
        if rows.isEmpty {
            image.text("no training history in this network file", centreX: width / 2, y: panelH / 2, scale: 2, RGB(200, 30, 30))
        }
        return image
    }
}

extension RGBImage {
    /// A copy with one line of small grey text added below.
    public func withCaption(_ caption: String) -> RGBImage {
        let w = Swift.max(width, BitmapFont.width(of: caption) + 20)
        var image = RGBImage(width: w, height: height + 16, background: RGB(250, 250, 250))
        image.draw(self, x: 0, y: 0)
        image.text(caption, x: 10, y: height + 4, scale: 1, RGB(90, 90, 90))
        return image
    }
}
