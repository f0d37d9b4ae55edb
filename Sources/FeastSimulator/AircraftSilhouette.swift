/// The aircraft classes of ``SyntheticPlanes``, each a planform (the
/// outline seen from below) as a polygon in units of the fuselage length:
/// x from the tail (0) to the nose (1), y across (the half outline is
/// mirrored). Chosen to differ as real ones do: wing sweep, span and
/// position, tail shape.
public enum AircraftSilhouette: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Swept wings mid-fuselage and a swept tailplane (a jet airliner).
    case airliner = 0
    /// One triangle from nose to tail (a delta-wing fighter).
    case deltaJet = 1
    /// Straight wing near the nose, straight tailplane (a light propeller plane).
    case propeller = 2
    /// A very long, thin straight wing on a thin fuselage (a glider).
    case glider = 3

    public var description: String {
        switch self {
        case .airliner: return "airliner"
        case .deltaJet: return "delta jet"
        case .propeller: return "propeller"
        case .glider: return "glider"
        }
    }

    /// The upper half of the outline, from the nose (1, 0) to the tail (x, 0).
    var halfOutline: [(Double, Double)] {
        switch self {
        case .airliner:
            return [(1, 0), (0.94, 0.05), (0.62, 0.05), (0.36, 0.52), (0.29, 0.52), (0.44, 0.05),
                    (0.15, 0.05), (0.05, 0.2), (0, 0.2), (0.03, 0.03), (0, 0)]
        case .deltaJet:
            return [(1, 0), (0.82, 0.05), (0.6, 0.07), (0.06, 0.4), (0, 0.4), (0.02, 0.05), (0, 0)]
        case .propeller:
            return [(1, 0), (0.96, 0.06), (0.76, 0.06), (0.76, 0.58), (0.63, 0.58), (0.63, 0.06),
                    (0.14, 0.035), (0.12, 0.19), (0.02, 0.19), (0.02, 0.03), (0, 0)]
        case .glider:
            return [(1, 0), (0.9, 0.035), (0.72, 0.035), (0.72, 0.85), (0.65, 0.85), (0.65, 0.035),
                    (0.07, 0.02), (0.06, 0.13), (0, 0.13), (0, 0)]
        }
    }

    /// The whole outline, centred on the fuselage's midpoint (x − 0.5).
    var outline: [(Double, Double)] {
        let half = halfOutline
        let mirrored = half.reversed().dropFirst().dropLast().map { ($0.0, -$0.1) }
        return (half + mirrored).map { ($0.0 - 0.5, $0.1) }
    }

    /// The silhouette `length` pixels long, its nose pointing along
    /// `heading` (radians, 0 = +x, y down), as coverage in 0…1 on a bitmap
    /// just large enough (4 × 4 samples per pixel). `span` scales the
    /// outline across the fuselage and `sweep` shears it (each point moves
    /// back by sweep × its distance from the axis): the model-to-model
    /// variation within a class. `origin` is where the bitmap's pixel
    /// (0, 0) sits relative to the fuselage midpoint.
    public func sprite(length: Double, heading: Double, span: Double = 1, sweep: Double = 0)
        -> (image: GlyphImage, originX: Double, originY: Double) {
        let c = _cos(heading), s = _sin(heading)
        let points = outline.map { (p: (Double, Double)) in
            let u = p.0 - sweep * abs(p.1), v = span * p.1
            return (length * (c * u - s * v), length * (s * u + c * v))
        }
        let minX = points.map(\.0).min()!.rounded(.down) - 1, maxX = points.map(\.0).max()!.rounded(.up) + 1
        let minY = points.map(\.1).min()!.rounded(.down) - 1, maxY = points.map(\.1).max()!.rounded(.up) + 1
        let width = Int(maxX - minX) + 1, height = Int(maxY - minY) + 1
        var pixels = [Double](repeating: 0, count: width * height)
        let samples = 4
        for j in 0..<height {
            for i in 0..<width {
                var inside = 0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let x = minX + Double(i) + (Double(sx) + 0.5) / Double(samples)
                        let y = minY + Double(j) + (Double(sy) + 0.5) / Double(samples)
                        if Self.contains(points, x, y) { inside += 1 }
                    }
                }
                pixels[j * width + i] = Double(inside) / Double(samples * samples)
            }
        }
        return (GlyphImage(width: width, height: height, pixels: pixels), minX, minY)
    }

    /// Even-odd point-in-polygon test.
    static func contains(_ polygon: [(Double, Double)], _ x: Double, _ y: Double) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in 0..<polygon.count {
            let (xi, yi) = polygon[i], (xj, yj) = polygon[j]
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }
}
