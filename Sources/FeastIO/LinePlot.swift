import Foundation

/// A line chart: several series, axes with ticks, grid and labels, a
/// legend, horizontal reference lines (e.g. the predicted miss rate) and an
/// optional logarithmic x axis. Render with ``render()`` or write a PNG.
public struct LinePlot: Sendable {
    /// One line: points `(x[i], y[i])` joined in order.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// nil: the next palette colour.
        public var colour: RGB?
        /// Draw a small square at every point (useful for few points).
        public var markers: Bool

        public init(name: String, x: [Double], y: [Double], colour: RGB? = nil, markers: Bool = false) {
            precondition(x.count == y.count, "a series needs as many x as y values")
            self.name = name
            self.x = x
            self.y = y
            self.colour = colour
            self.markers = markers
        }
    }

    /// A dashed horizontal line at `y`, labelled at its right end.
    public struct ReferenceLine: Sendable {
        public var y: Double
        public var label: String
        public var colour: RGB
        public init(y: Double, label: String, colour: RGB = RGB(120, 120, 120)) {
            self.y = y
            self.label = label
            self.colour = colour
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var referenceLines: [ReferenceLine]
    public var logX: Bool
    /// Fixed y range; nil fits the data and reference lines.
    public var yRange: ClosedRange<Double>?
    /// Image size in pixels.
    public var width: Int
    public var height: Int
    /// Font scale (2 = 10×14-pixel characters).
    public var fontScale: Int

    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [Series] = [],
                referenceLines: [ReferenceLine] = [], logX: Bool = false, yRange: ClosedRange<Double>? = nil,
                width: Int = 800, height: Int = 500, fontScale: Int = 2) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.referenceLines = referenceLines
        self.logX = logX
        self.yRange = yRange
        self.width = width
        self.height = height
        self.fontScale = fontScale
    }

    /// Writes the rendered plot as a PNG, atomically.
    public func write(to path: String) throws { try render().writePNG(to: path) }

    public func render() -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let s = fontScale
        let charH = BitmapFont.height(scale: s)
        let usable = series.map { item in
            zip(item.x, item.y).filter { $0.0.isFinite && $0.1.isFinite && (!logX || $0.0 > 0) }
        }
        let xs = usable.flatMap { $0.map(\.0) }
        let ys = usable.flatMap { $0.map(\.1) } + referenceLines.map(\.y)

        // Axis ranges and ticks.
        let xAxis = logX ? PlotAxis.logarithmic(xs.min() ?? 1, xs.max() ?? 10)
                         : PlotAxis.linear(xs.min() ?? 0, xs.max() ?? 1)
        let yAxis = yRange.map { r in (lo: r.lowerBound, hi: r.upperBound, ticks: PlotAxis.linear(r.lowerBound, r.upperBound).ticks.filter { r.contains($0) }) }
            ?? PlotAxis.linear(ys.min() ?? 0, ys.max() ?? 1)
        let xStep = xAxis.ticks.count > 1 ? xAxis.ticks[1] - xAxis.ticks[0] : 1
        let yStep = yAxis.ticks.count > 1 ? yAxis.ticks[1] - yAxis.ticks[0] : 1
        let yLabels = yAxis.ticks.map { PlotAxis.label($0, step: yStep) }
        let xLabels = xAxis.ticks.map { PlotAxis.label($0, step: logX ? $0 : xStep) }

        // Layout: margins fit the labels.
        let tickLength = 2 * s
        let left = 4 * s + (yLabel.isEmpty ? 0 : charH + 4 * s)
            + (yLabels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0) + tickLength + 2 * s
        let top = title.isEmpty ? 6 * s : charH + 8 * s
        let bottom = tickLength + 3 * s + charH + (xLabel.isEmpty ? 0 : charH + 5 * s) + 4 * s
        let right = 8 * s + max(BitmapFont.width(of: xLabels.last ?? "", scale: s) / 2, 0)
        let plotX = left, plotY = top
        let plotW = max(10, width - left - right), plotH = max(10, height - top - bottom)

        func px(_ x: Double) -> Int {
            let t = logX ? (log10(x) - log10(xAxis.lo)) / (log10(xAxis.hi) - log10(xAxis.lo))
                         : (x - xAxis.lo) / (xAxis.hi - xAxis.lo)
            return plotX + Int((t * Double(plotW - 1)).rounded())
        }
        func py(_ y: Double) -> Int {
            let t = (y - yAxis.lo) / (yAxis.hi - yAxis.lo)
            return plotY + plotH - 1 - Int((t * Double(plotH - 1)).rounded())
        }

        // Grid, ticks and tick labels.
        let grid = RGB(228, 228, 228)
        for (tick, label) in zip(yAxis.ticks, yLabels) {
            let y = py(tick)
            image.fillRect(x: plotX, y: y, width: plotW, height: 1, grid)
            image.fillRect(x: plotX - tickLength, y: y, width: tickLength, height: 1, .black)
            image.text(label, x: plotX - tickLength - 2 * s - BitmapFont.width(of: label, scale: s), y: y - charH / 2, scale: s)
        }
        for (tick, label) in zip(xAxis.ticks, xLabels) {
            let x = px(tick)
            image.fillRect(x: x, y: plotY, width: 1, height: plotH, grid)
            image.fillRect(x: x, y: plotY + plotH, width: 1, height: tickLength, .black)
            image.text(label, centreX: x, y: plotY + plotH + tickLength + 3 * s, scale: s)
        }
        if logX {
            // Minor ticks at 2..9 × each decade.
            var decade = xAxis.lo
            while decade < xAxis.hi {
                for m in 2...9 {
                    let x = px(decade * Double(m))
                    image.fillRect(x: x, y: plotY + plotH, width: 1, height: tickLength / 2 + 1, .black)
                }
                decade *= 10
            }
        }
        image.strokeRect(x: plotX - 1, y: plotY - 1, width: plotW + 2, height: plotH + 2, .black)

        // Titles.
        if !title.isEmpty { image.text(title, centreX: plotX + plotW / 2, y: 4 * s, scale: s) }
        if !xLabel.isEmpty {
            image.text(xLabel, centreX: plotX + plotW / 2, y: plotY + plotH + tickLength + 3 * s + charH + 5 * s, scale: s)
        }
        if !yLabel.isEmpty { image.verticalText(yLabel, x: 4 * s, centreY: plotY + plotH / 2, scale: s) }

        // Reference lines, then series on top.
        let references = referenceLines.filter { $0.y >= yAxis.lo && $0.y <= yAxis.hi }
        for ref in references {
            let y = py(ref.y)
            image.line(plotX, y, plotX + plotW - 1, y, ref.colour, thickness: max(1, s / 2 + 1), dash: 4 * s)
        }
        var colours: [RGB] = []
        for (index, item) in series.enumerated() {
            let colour = item.colour ?? RGB.palette[index % RGB.palette.count]
            colours.append(colour)
            let points = usable[index]
            var plotArea = RGBImageClip(image: image, x: plotX, y: plotY, width: plotW, height: plotH)
            for i in points.indices.dropFirst() {
                plotArea.line(px(points[i - 1].0), py(points[i - 1].1), px(points[i].0), py(points[i].1), colour, thickness: s)
            }
            if item.markers || points.count == 1 {
                for p in points { plotArea.fillRect(x: px(p.0) - s - 1, y: py(p.1) - s - 1, width: 2 * s + 3, height: 2 * s + 3, colour) }
            }
            image = plotArea.image
        }

        // Reference labels on top of the series, on a white patch.
        for ref in references {
            let y = py(ref.y)
            let w = BitmapFont.width(of: ref.label, scale: s)
            let labelY = y - charH - 3 * s >= plotY ? y - charH - 3 * s : y + 3 * s
            image.fillRect(x: plotX + plotW - w - 6 * s, y: labelY - s, width: w + 2 * s, height: charH + 2 * s, .white)
            image.text(ref.label, x: plotX + plotW - w - 5 * s, y: labelY, scale: s, ref.colour)
        }

        // Legend, in the corner hiding the fewest points.
        let named = series.indices.filter { !series[$0].name.isEmpty }
        if !named.isEmpty {
            let swatch = 8 * s
            let rowH = charH + 3 * s
            let textW = named.map { BitmapFont.width(of: series[$0].name, scale: s) }.max() ?? 0
            let boxW = swatch + 3 * s + textW + 6 * s
            let boxH = rowH * named.count + 3 * s
            // The corner that hides the fewest data points (top right wins ties).
            let corners = [(plotX + plotW - boxW - 4 * s, plotY + 4 * s), (plotX + 4 * s, plotY + 4 * s),
                           (plotX + plotW - boxW - 4 * s, plotY + plotH - boxH - 4 * s), (plotX + 4 * s, plotY + plotH - boxH - 4 * s)]
            let pixels = usable.flatMap { $0 }.map { (px($0.0), py($0.1)) }
            func hidden(_ corner: (Int, Int)) -> Int {
                pixels.filter { $0.0 >= corner.0 - 2 * s && $0.0 <= corner.0 + boxW + 2 * s && $0.1 >= corner.1 - 2 * s && $0.1 <= corner.1 + boxH + 2 * s }.count
            }
            let (boxX, boxY) = corners.min { hidden($0) < hidden($1) }!
            image.fillRect(x: boxX, y: boxY, width: boxW, height: boxH, .white)
            image.strokeRect(x: boxX, y: boxY, width: boxW, height: boxH, RGB(160, 160, 160))
            for (row, index) in named.enumerated() {
                let y = boxY + 3 * s + row * rowH
                image.fillRect(x: boxX + 3 * s, y: y + charH / 2 - s / 2, width: swatch, height: max(2, s), colours[index])
                image.text(series[index].name, x: boxX + 3 * s + swatch + 3 * s, y: y, scale: s)
            }
        }
        return image
    }
}

/// Drawing clipped to a rectangle of an image (so lines leaving the axes
/// do not scribble over labels).
struct RGBImageClip {
    var image: RGBImage
    let x: Int, y: Int, width: Int, height: Int

    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: RGB, thickness: Int) {
        var scratch = Scratch(clip: self)
        scratch.line(x0, y0, x1, y1, colour, thickness: thickness)
        image = scratch.clip.image
    }

    mutating func fillRect(x rx: Int, y ry: Int, width w: Int, height h: Int, _ colour: RGB) {
        let x0 = max(x, rx), y0 = max(y, ry)
        let x1 = min(x + width, rx + w), y1 = min(y + height, ry + h)
        guard x0 < x1, y0 < y1 else { return }
        image.fillRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0, colour)
    }

    /// Bresenham with a square pen, writing only inside the clip.
    private struct Scratch {
        var clip: RGBImageClip
        mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: RGB, thickness: Int) {
            var x = x0, y = y0
            let dx = abs(x1 - x0), dy = -abs(y1 - y0)
            let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
            var error = dx + dy
            let lo = -(thickness - 1) / 2
            while true {
                clip.fillRect(x: x + lo, y: y + lo, width: thickness, height: thickness, colour)
                if x == x1 && y == y1 { break }
                let e2 = 2 * error
                if e2 >= dy { error += dy; x += sx }
                if e2 <= dx { error += dx; y += sy }
            }
        }
    }
}
