/// An sRGB colour, 8 bits per channel.
public struct RGB: Sendable, Hashable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    public static let gray = RGB(128, 128, 128)
    public static let lightGray = RGB(225, 225, 225)
    /// A qualitative palette for line series (colour-blind friendly,
    /// Okabe–Ito order).
    public static let palette: [RGB] = [
        RGB(0, 114, 178), RGB(213, 94, 0), RGB(0, 158, 115), RGB(204, 121, 167),
        RGB(230, 159, 0), RGB(86, 180, 233), RGB(0, 0, 0), RGB(240, 228, 66),
    ]

    /// Linear mix: `t = 0` gives `self`, `t = 1` gives `other`.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        let t = min(1, max(0, t))
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
        return RGB(channel(r, other.r), channel(g, other.g), channel(b, other.b))
    }

    /// Relative luminance in 0...1 (for choosing black or white text).
    public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }
}

/// An RGB raster image, row-major, 3 bytes per pixel, origin top-left,
/// with the drawing primitives plots need. Drawing outside the image is
/// clipped silently.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width × height × 3` bytes: r, g, b of each pixel, rows top to bottom.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB = .white) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = background.r
            pixels[3 * i + 1] = background.g
            pixels[3 * i + 2] = background.b
        }
    }

    /// The colour at `(x, y)`.
    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = 3 * (y * width + x)
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set { set(x, y, newValue) }
    }

    /// Sets one pixel (clipped).
    @inlinable
    public mutating func set(_ x: Int, _ y: Int, _ colour: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 3 * (y * width + x)
        pixels[i] = colour.r
        pixels[i + 1] = colour.g
        pixels[i + 2] = colour.b
    }

    /// Fills the rectangle with top-left `(x, y)` and size `w × h`.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, _ colour: RGB) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 { set(xx, yy, colour) }
        }
    }

    /// Draws the 1-pixel outline of a rectangle.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, _ colour: RGB) {
        guard w > 0, h > 0 else { return }
        fillRect(x: x, y: y, width: w, height: 1, colour)
        fillRect(x: x, y: y + h - 1, width: w, height: 1, colour)
        fillRect(x: x, y: y, width: 1, height: h, colour)
        fillRect(x: x + w - 1, y: y, width: 1, height: h, colour)
    }

    /// Draws a line from `(x0, y0)` to `(x1, y1)` (Bresenham), `thickness`
    /// pixels wide (a square pen), optionally dashed (`dash` on, `dash` off).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: RGB, thickness: Int = 1, dash: Int = 0) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        let lo = -(thickness - 1) / 2, hi = thickness / 2
        var step = 0
        while true {
            if dash <= 0 || (step / dash) % 2 == 0 {
                for oy in lo...hi { for ox in lo...hi { set(x + ox, y + oy, colour) } }
            }
            step += 1
            if x == x1 && y == y1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// Draws `text` with its top-left corner at `(x, y)` in the built-in
    /// 5×7 font, each font pixel a `scale × scale` square.
    public mutating func text(_ text: String, x: Int, y: Int, scale: Int = 1, _ colour: RGB = .black) {
        var penX = x
        for character in text {
            let rows = BitmapFont.rows(for: character)
            for (row, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    fillRect(x: penX + column * scale, y: y + row * scale, width: scale, height: scale, colour)
                }
            }
            penX += BitmapFont.advance * scale
        }
    }

    /// Draws `text` horizontally centred on `centerX`.
    public mutating func text(_ string: String, centreX: Int, y: Int, scale: Int = 1, _ colour: RGB = .black) {
        text(string, x: centreX - BitmapFont.width(of: string, scale: scale) / 2, y: y, scale: scale, colour)
    }

    /// Draws `text` rotated 90° anticlockwise (reading bottom to top), its
    /// vertical centre at `centerY` and left edge at `x`: for y-axis labels.
    public mutating func verticalText(_ string: String, x: Int, centreY: Int, scale: Int = 1, _ colour: RGB = .black) {
        let length = BitmapFont.width(of: string, scale: scale)
        var penY = centreY + length / 2
        for character in string {
            let rows = BitmapFont.rows(for: character)
            for (row, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    fillRect(x: x + row * scale, y: penY - (column + 1) * scale, width: scale, height: scale, colour)
                }
            }
            penY -= BitmapFont.advance * scale
        }
    }

    /// Copies `image` with its top-left corner at `(x, y)` (clipped).
    public mutating func draw(_ image: RGBImage, x: Int, y: Int) {
        for yy in 0..<image.height {
            for xx in 0..<image.width { set(x + xx, y + yy, image[xx, yy]) }
        }
    }
}
