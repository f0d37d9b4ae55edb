/// A point in glyph space: the unit box `[0, 1]²` of the digit, `x` to the
/// right, `y` downwards (rows), as in an image.
public struct GlyphPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// One pen stroke of a digit skeleton, before per-sample variation.
public enum Stroke: Sendable, Hashable {
    /// Straight segments through the points, in order.
    case polyline([GlyphPoint])
    /// An elliptic arc around `centre` with radii `rx`, `ry`, from angle
    /// `from` to `to` (degrees; 0 = right, 90 = down, since y points down).
    case arc(centre: GlyphPoint, rx: Double, ry: Double, from: Double, to: Double)
}

/// Skeletons of the digits 0–9, hand-written once in the unit box, in the
/// style of handwritten MNIST digits (one pen path per stroke).
public enum DigitStrokes {
    /// Number of hand-written variants of each digit (index = digit).
    public static let variantCount = [1, 3, 2, 1, 2, 1, 1, 2, 1, 2]

    /// The strokes of `digit` (0…9) in one of its ways of writing
    /// (`variant` is taken modulo ``variantCount``; 0 is the plainest).
    public static func strokes(for digit: Int, variant: Int = 0) -> [Stroke] {
        precondition((0...9).contains(digit), "digit must be 0…9")
        typealias P = GlyphPoint
        let v = variant % variantCount[digit]
        switch (digit, v) {
        case (1, 1):
            return [.polyline([P(0.50, 0.03), P(0.50, 0.97)])]
        case (1, 2):
            return [.polyline([P(0.36, 0.18), P(0.54, 0.03), P(0.52, 0.96)]), .polyline([P(0.32, 0.96), P(0.74, 0.96)])]
        case (2, 1):
            // The looped 2.
            return [
                .arc(centre: P(0.5, 0.30), rx: 0.28, ry: 0.26, from: 200, to: 380),
                .polyline([P(0.76, 0.36), P(0.30, 0.86)]),
                .arc(centre: P(0.34, 0.86), rx: 0.10, ry: 0.09, from: 0, to: 300),
                .polyline([P(0.38, 0.92), P(0.88, 0.93)]),
            ]
        case (4, 1):
            // The open 4: a bent stroke and an upright one, not meeting at the top.
            return [
                .polyline([P(0.30, 0.04), P(0.14, 0.62), P(0.88, 0.62)]),
                .polyline([P(0.70, 0.04), P(0.68, 0.97)]),
            ]
        case (7, 1):
            // The crossed 7.
            return [.polyline([P(0.14, 0.05), P(0.86, 0.05), P(0.42, 0.97)]), .polyline([P(0.40, 0.50), P(0.80, 0.50)])]
        case (9, 1):
            // A 9 with a curved tail.
            return [
                .arc(centre: P(0.48, 0.30), rx: 0.25, ry: 0.25, from: 0, to: 360),
                .arc(centre: P(0.40, 0.62), rx: 0.33, ry: 0.33, from: -20, to: 110),
            ]
        default:
            break
        }
        switch digit {
        case 0:
            return [.arc(centre: P(0.5, 0.5), rx: 0.34, ry: 0.46, from: -90, to: 270)]
        case 1:
            return [.polyline([P(0.38, 0.16), P(0.54, 0.03), P(0.52, 0.97)])]
        case 2:
            return [
                .arc(centre: P(0.5, 0.30), rx: 0.28, ry: 0.26, from: 200, to: 380),
                .polyline([P(0.76, 0.36), P(0.18, 0.96), P(0.86, 0.95)]),
            ]
        case 3:
            return [
                .arc(centre: P(0.48, 0.27), rx: 0.26, ry: 0.22, from: -160, to: 90),
                .arc(centre: P(0.48, 0.71), rx: 0.30, ry: 0.24, from: -90, to: 155),
            ]
        case 4:
            return [
                .polyline([P(0.52, 0.04), P(0.14, 0.66), P(0.88, 0.66)]),
                .polyline([P(0.68, 0.30), P(0.66, 0.97)]),
            ]
        case 5:
            return [
                .polyline([P(0.80, 0.04), P(0.30, 0.05), P(0.25, 0.44)]),
                .arc(centre: P(0.48, 0.70), rx: 0.28, ry: 0.26, from: -130, to: 150),
            ]
        case 6:
            return [
                .polyline([P(0.70, 0.03), P(0.42, 0.28), P(0.25, 0.58), P(0.24, 0.70)]),
                .arc(centre: P(0.50, 0.72), rx: 0.26, ry: 0.24, from: 180, to: 540),
            ]
        case 7:
            return [.polyline([P(0.14, 0.05), P(0.86, 0.05), P(0.42, 0.97)])]
        case 8:
            return [
                .arc(centre: P(0.5, 0.28), rx: 0.20, ry: 0.21, from: 90, to: 450),
                .arc(centre: P(0.5, 0.73), rx: 0.25, ry: 0.23, from: -90, to: 270),
            ]
        default:
            return [
                .arc(centre: P(0.48, 0.30), rx: 0.25, ry: 0.25, from: 0, to: 360),
                .polyline([P(0.73, 0.30), P(0.70, 0.62), P(0.60, 0.97)]),
            ]
        }
    }
}
