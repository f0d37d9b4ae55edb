import Foundation

/// A matrix drawn as coloured cells with optional numbers in them, row and
/// column labels and a title: e.g. a confusion matrix (rows = true class,
/// columns = predicted class).
public struct Heatmap: Sendable {
    /// Row-major `rows × columns` values.
    public var values: [Double]
    public var rows: Int
    public var columns: Int
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var title: String
    /// Caption of the row axis (left) and column axis (top).
    public var rowAxisLabel: String
    public var columnAxisLabel: String
    public var colourMap: ColourMap
    /// Value mapped to the ends of the colour map; nil = data min...max.
    public var range: ClosedRange<Double>?
    public var showValues: Bool
    /// Decimals for printed values; nil = none for integral data, else 2.
    public var decimals: Int?
    /// Cell edge in pixels.
    public var cellSize: Int
    public var fontScale: Int

    public init(values: [Double], rows: Int, columns: Int, rowLabels: [String] = [], columnLabels: [String] = [],
                title: String = "", rowAxisLabel: String = "", columnAxisLabel: String = "",
                colourMap: ColourMap = .blues, range: ClosedRange<Double>? = nil, showValues: Bool = true,
                decimals: Int? = nil, cellSize: Int = 44, fontScale: Int = 2) {
        precondition(values.count == rows * columns && rows > 0 && columns > 0, "values must fill rows × columns")
        self.values = values
        self.rows = rows
        self.columns = columns
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.title = title
        self.rowAxisLabel = rowAxisLabel
        self.columnAxisLabel = columnAxisLabel
        self.colourMap = colourMap
        self.range = range
        self.showValues = showValues
        self.decimals = decimals
        self.cellSize = cellSize
        self.fontScale = fontScale
    }

    /// Writes the rendered heatmap as a PNG, atomically.
    public func write(to path: String) throws { try render().writePNG(to: path) }

    /// The text printed in a cell.
    func cellText(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let places = decimals ?? (values.allSatisfy { $0.rounded() == $0 || !$0.isFinite } ? 0 : 2)
        return String(format: "%.\(places)f", v)
    }

    public func render() -> RGBImage {
        let s = fontScale
        let charH = BitmapFont.height(scale: s)
        let finite = values.filter(\.isFinite)
        let lo = range?.lowerBound ?? finite.min() ?? 0
        let hi = range?.upperBound ?? finite.max() ?? 1
        // Shrink the font inside cells when the numbers would not fit.
        let widest = values.map { BitmapFont.width(of: cellText($0), scale: 1) }.max() ?? 0
        var cellScale = s
        while cellScale > 1 && widest * cellScale > cellSize - 4 { cellScale -= 1 }

        let rowLabelW = (rowLabels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0)
        let left = 6 * s + (rowAxisLabel.isEmpty ? 0 : charH + 6 * s) + rowLabelW + (rowLabelW > 0 ? 4 * s : 0)
        var top = 6 * s
        if !title.isEmpty { top += charH + 6 * s }
        if !columnAxisLabel.isEmpty { top += charH + 4 * s }
        if !columnLabels.isEmpty { top += charH + 4 * s }
        let gridW = columns * cellSize, gridH = rows * cellSize
        let titleW = max(BitmapFont.width(of: title, scale: s), BitmapFont.width(of: columnAxisLabel, scale: s))
        let width = max(left + gridW + 8 * s, titleW + 12 * s)
        let height = top + gridH + 8 * s
        var image = RGBImage(width: width, height: height)

        var y = 6 * s
        if !title.isEmpty {
            image.text(title, centreX: width / 2, y: y, scale: s)
            y += charH + 6 * s
        }
        if !columnAxisLabel.isEmpty {
            image.text(columnAxisLabel, centreX: left + gridW / 2, y: y, scale: s, RGB(80, 80, 80))
            y += charH + 4 * s
        }
        for (c, label) in columnLabels.prefix(columns).enumerated() {
            image.text(label, centreX: left + c * cellSize + cellSize / 2, y: y, scale: s)
        }
        if !rowAxisLabel.isEmpty {
            image.verticalText(rowAxisLabel, x: 6 * s, centreY: top + gridH / 2, scale: s, RGB(80, 80, 80))
        }
        for (r, label) in rowLabels.prefix(rows).enumerated() {
            let w = BitmapFont.width(of: label, scale: s)
            image.text(label, x: left - 4 * s - w, y: top + r * cellSize + (cellSize - charH) / 2, scale: s)
        }
        for r in 0..<rows {
            for c in 0..<columns {
                let v = values[r * columns + c]
                let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
                let colour = colourMap == .diverging ? colourMap.colour(2 * t - 1) : colourMap.colour(t)
                let x0 = left + c * cellSize, y0 = top + r * cellSize
                image.fillRect(x: x0, y: y0, width: cellSize, height: cellSize, v.isFinite ? colour : RGB.lightGray)
                if showValues {
                    let ink: RGB = colour.luminance < 0.5 ? .white : .black
                    image.text(cellText(v), centreX: x0 + cellSize / 2, y: y0 + (cellSize - BitmapFont.height(scale: cellScale)) / 2,
                               scale: cellScale, ink)
                }
            }
        }
        // Thin separators keep equal neighbouring cells distinguishable.
        for c in 0...columns { image.fillRect(x: left + c * cellSize, y: top, width: 1, height: gridH + 1, RGB(200, 200, 200)) }
        for r in 0...rows { image.fillRect(x: left, y: top + r * cellSize, width: gridW + 1, height: 1, RGB(200, 200, 200)) }
        return image
    }
}
