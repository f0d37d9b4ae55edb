/// A grey-level image of a drawn digit: ink coverage in `0…1` per pixel
/// (0 = background, 1 = full ink), row-major, `width × height`.
///
/// Pixel `(i, j)` covers `[i, i+1) × [j, j+1)`; its value is the coverage
/// at its centre `(i + 0.5, j + 0.5)`.
public struct GlyphImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    /// Coverage values, `pixels[j * width + i]`, each in `0…1`.
    public var pixels: [Double]

    public init(width: Int, height: Int, pixels: [Double]) {
        precondition(pixels.count == width * height, "pixel count must be width × height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Draws `digit` with `style`, jittering its control points with `rng`
    /// (no draws when `style.jitter == 0`), centred on a `width × height`
    /// canvas (34 × 34 for N-MNIST, so a 20-pixel box sits like MNIST's
    /// 28 × 28 image centred on the sensor).
    public static func draw(digit: Int, style: GlyphStyle, width: Int = 34, height: Int = 34,
                            rng: inout SeededGenerator) -> GlyphImage {
        let segments = GlyphImage.segments(digit: digit, style: style, width: width, height: height, rng: &rng)
        var pixels = [Double](repeating: 0, count: width * height)
        let half = style.strokeWidth / 2
        let soft = max(style.edgeSoftness, 1e-3)
        for j in 0..<height {
            for i in 0..<width {
                let px = Double(i) + 0.5, py = Double(j) + 0.5
                var best = Double.infinity
                for s in segments { best = min(best, s.distanceSquared(px, py)) }
                // Linear ramp of width `soft` across the pen edge: an
                // anti-aliased coverage estimate from the distance field.
                let c = (half - best.squareRoot()) / soft + 0.5
                pixels[j * width + i] = min(1, max(0, c))
            }
        }
        return GlyphImage(width: width, height: height, pixels: pixels)
    }

    /// Bilinear sample at continuous pixel-index coordinates (`x = i` is
    /// the centre of column `i`); 0 outside the image.
    @inline(__always)
    public func sample(x: Double, y: Double) -> Double {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let i = Int(fx), j = Int(fy)
        let ax = x - fx, ay = y - fy
        return (1 - ax) * (1 - ay) * at(i, j) + ax * (1 - ay) * at(i + 1, j)
            + (1 - ax) * ay * at(i, j + 1) + ax * ay * at(i + 1, j + 1)
    }

    @inline(__always) private func at(_ i: Int, _ j: Int) -> Double {
        (i >= 0 && j >= 0 && i < width && j < height) ? pixels[j * width + i] : 0
    }

    /// The strokes of `digit` as straight segments in canvas pixels, after
    /// the style's jitter and affine transform.
    static func segments(digit: Int, style: GlyphStyle, width: Int, height: Int,
                         rng: inout SeededGenerator) -> [Segment] {
        let cosR = _cos(style.rotation), sinR = _sin(style.rotation)
        func shape(_ p: GlyphPoint) -> (Double, Double) {
            // Unit box → centred → stretched and slanted → rotated.
            var u = (p.x - 0.5) * style.aspect
            let v = p.y - 0.5
            u += style.slant * v
            return (cosR * u - sinR * v, sinR * u + cosR * v)
        }
        func jittered(_ p: GlyphPoint) -> GlyphPoint {
            guard style.jitter > 0 else { return p }
            return GlyphPoint(p.x + style.jitter * rng.nextGaussian(), p.y + style.jitter * rng.nextGaussian())
        }
        var strokes: [[(Double, Double)]] = []
        for stroke in DigitStrokes.strokes(for: digit, variant: style.variant) {
            var points: [GlyphPoint] = []
            switch stroke {
            case .polyline(let ps):
                points = ps.map(jittered)
            case let .arc(centre, rx, ry, from, to):
                // One jitter per arc parameter keeps the curve smooth.
                let c = jittered(centre)
                let k = style.jitter > 0 ? 1 + 2 * style.jitter * rng.nextGaussian() : 1
                let k2 = style.jitter > 0 ? 1 + 2 * style.jitter * rng.nextGaussian() : 1
                let a0 = from + (style.jitter > 0 ? 200 * style.jitter * rng.nextGaussian() : 0)
                let a1 = to + (style.jitter > 0 ? 200 * style.jitter * rng.nextGaussian() : 0)
                let steps = max(8, Int(abs(a1 - a0) / 10))
                for n in 0...steps {
                    let a = (a0 + (a1 - a0) * Double(n) / Double(steps)) * Double.pi / 180
                    points.append(GlyphPoint(c.x + rx * k * _cos(a), c.y + ry * k2 * _sin(a)))
                }
            }
            strokes.append(points.map(shape))
        }
        // As MNIST does: scale the skeleton so its larger side is the box
        // size, and centre its bounding box (plus the style's shift).
        let all = strokes.joined()
        let minX = all.map(\.0).min()!, maxX = all.map(\.0).max()!
        let minY = all.map(\.1).min()!, maxY = all.map(\.1).max()!
        let scale = style.boxSize / max(maxX - minX, maxY - minY, 1e-9)
        let cx = Double(width) / 2 + style.shiftX - scale * (minX + maxX) / 2
        let cy = Double(height) / 2 + style.shiftY - scale * (minY + maxY) / 2
        var out: [Segment] = []
        for stroke in strokes {
            let placed = stroke.map { (cx + scale * $0.0, cy + scale * $0.1) }
            if placed.count == 1 { out.append(Segment(placed[0], placed[0])) }
            for n in 1..<max(placed.count, 1) { out.append(Segment(placed[n - 1], placed[n])) }
        }
        return out
    }
}

/// A straight segment in canvas pixels, for the distance field.
struct Segment: Sendable {
    let ax, ay, bx, by: Double
    init(_ a: (Double, Double), _ b: (Double, Double)) { ax = a.0; ay = a.1; bx = b.0; by = b.1 }

    /// Squared distance from `(px, py)` to the segment.
    @inline(__always)
    func distanceSquared(_ px: Double, _ py: Double) -> Double {
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
        t = min(1, max(0, t))
        let ex = ax + t * dx - px, ey = ay + t * dy - py
        return ex * ex + ey * ey
    }
}
