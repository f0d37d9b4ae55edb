/// Tiles of `k × k` kernels (FEAST neuron weights) in a grid with gaps,
/// each optionally labelled: what a layer has learned, at a glance.
///
/// Each tile's values are channel-major: `channels × k × k`, row-major
/// within a channel (`[c][y][x]`). With two channels (ON then OFF):
/// ``TileStyle/difference`` draws ON − OFF in one `k × k` tile on the
/// diverging map (red = ON, blue = OFF), ``TileStyle/sideBySide`` draws the
/// ON and OFF panels next to each other.
public struct Mosaic: Sendable {
    public enum TileStyle: Sendable { case difference, sideBySide }

    public var tiles: [[Float]]
    public var kernelSize: Int
    public var channels: Int
    public var style: TileStyle
    /// Tiles per row; nil = about square.
    public var columns: Int?
    /// Screen pixels per kernel element.
    public var pixelScale: Int
    /// Pixels between tiles.
    public var gap: Int
    /// One label per tile (drawn under it), or empty.
    public var labels: [String]
    public var title: String
    /// Scale each tile to its own largest magnitude (shows the shape of
    /// every kernel), or all tiles to the global one (compares strengths).
    public var normalisePerTile: Bool
    /// nil = diverging when any value is negative or there are two
    /// channels, else sequential.
    public var colourMap: ColourMap?
    public var fontScale: Int

    public init(tiles: [[Float]], kernelSize: Int, channels: Int = 1, style: TileStyle = .difference, columns: Int? = nil,
                pixelScale: Int = 8, gap: Int = 6, labels: [String] = [], title: String = "",
                normalisePerTile: Bool = true, colourMap: ColourMap? = nil, fontScale: Int = 1) {
        precondition(kernelSize > 0 && (channels == 1 || channels == 2), "kernels are k × k with 1 or 2 channels")
        precondition(tiles.allSatisfy { $0.count == channels * kernelSize * kernelSize }, "each tile needs channels × k × k values")
        self.tiles = tiles
        self.kernelSize = kernelSize
        self.channels = channels
        self.style = style
        self.columns = columns
        self.pixelScale = pixelScale
        self.gap = gap
        self.labels = labels
        self.title = title
        self.normalisePerTile = normalisePerTile
        self.colourMap = colourMap
        self.fontScale = fontScale
    }

    /// Writes the rendered mosaic as a PNG, atomically.
    public func write(to path: String) throws { try render().writePNG(to: path) }

    public func render() -> RGBImage {
        let k = kernelSize, s = fontScale
        let n = max(1, tiles.count)
        var perRow = columns ?? 1
        if columns == nil { while perRow * perRow < n { perRow += 1 } }
        let gridRows = (n + perRow - 1) / perRow
        let panels = (channels == 2 && style == .sideBySide) ? 2 : 1
        let panelGap = panels == 2 ? max(1, pixelScale / 2) : 0
        let tileW = panels * k * pixelScale + panelGap, tileH = k * pixelScale
        let labelH = labels.isEmpty ? 0 : BitmapFont.height(scale: s) + 3 * s
        let titleH = title.isEmpty ? 0 : BitmapFont.height(scale: s) + 6 * s
        let width = max(perRow * (tileW + gap) + gap, BitmapFont.width(of: title, scale: s) + 2 * gap)
        let height = titleH + gridRows * (tileH + labelH + gap) + gap
        var image = RGBImage(width: width, height: height, background: RGB(250, 250, 250))
        if !title.isEmpty { image.text(title, centreX: width / 2, y: gap, scale: s) }

        let anyNegative = tiles.contains { $0.contains { $0 < 0 } }
        let map = colourMap ?? ((anyNegative || channels == 2) ? .diverging : .sequential)
        let globalMax = tiles.map { tileScale($0) }.max() ?? 1

        for (index, tile) in tiles.enumerated() {
            let gx = gap + (index % perRow) * (tileW + gap)
            let gy = titleH + gap + (index / perRow) * (tileH + labelH + gap)
            let scale = normalisePerTile ? tileScale(tile) : globalMax
            let norm = scale > 0 ? 1 / scale : 0
            for panel in 0..<panels {
                for y in 0..<k {
                    for x in 0..<k {
                        let value: Float
                        if channels == 1 {
                            value = tile[y * k + x]
                        } else if panels == 2 {
                            // Side by side: OFF drawn negative so it reads blue.
                            let v = tile[panel * k * k + y * k + x]
                            value = panel == 0 ? v : -v
                        } else {
                            value = tile[y * k + x] - tile[k * k + y * k + x]
                        }
                        let colour = map.colour(Double(value * norm))
                        image.fillRect(x: gx + panel * (k * pixelScale + panelGap) + x * pixelScale,
                                       y: gy + y * pixelScale, width: pixelScale, height: pixelScale, colour)
                    }
                }
            }
            if panels == 2 {
                image.fillRect(x: gx + k * pixelScale, y: gy, width: panelGap, height: tileH, RGB(170, 170, 170))
            }
            image.strokeRect(x: gx - 1, y: gy - 1, width: tileW + 2, height: tileH + 2, RGB(170, 170, 170))
            if index < labels.count {
                image.text(labels[index], centreX: gx + tileW / 2, y: gy + tileH + 2 * s, scale: s, RGB(60, 60, 60))
            }
        }
        return image
    }

    /// Largest magnitude shown in a tile (of the values actually drawn).
    private func tileScale(_ tile: [Float]) -> Float {
        let k2 = kernelSize * kernelSize
        if channels == 2 && style == .difference {
            var m: Float = 0
            for i in 0..<k2 { m = max(m, abs(tile[i] - tile[k2 + i])) }
            return m
        }
        return tile.reduce(0) { max($0, abs($1)) }
    }
}
