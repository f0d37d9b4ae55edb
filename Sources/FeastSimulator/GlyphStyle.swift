/// The per-sample variation of a drawn digit: how one writer's hand
/// differs from the skeleton in ``DigitStrokes``. All lengths in sensor
/// pixels unless stated.
public struct GlyphStyle: Sendable, Hashable {
    /// Pen width, pixels (MNIST strokes are about 2–3 px wide).
    public var strokeWidth: Double
    /// Larger side of the digit's skeleton on the sensor, pixels: like
    /// MNIST (which fits each digit in a 20 px box, centred in 28 × 28) the
    /// skeleton is scaled to this size and its bounding box centred.
    public var boxSize: Double
    /// Horizontal stretch relative to the height (1 = as drawn).
    public var aspect: Double
    /// Shear: x moves by `slant × (y − centre)`; positive leans right.
    public var slant: Double
    /// Rotation, radians (positive = clockwise on screen).
    public var rotation: Double
    /// Offset of the glyph centre from the sensor centre, pixels.
    public var shiftX: Double
    public var shiftY: Double
    /// Standard deviation of the per-control-point jitter, unit-box units.
    public var jitter: Double
    /// Width of the anti-aliased edge ramp, pixels (1 = one pixel; larger
    /// is softer, like MNIST's blurred strokes).
    public var edgeSoftness: Double
    /// Which way of writing the digit (see ``DigitStrokes/variantCount``).
    public var variant: Int

    public init(variant: Int = 0, strokeWidth: Double = 2.4, boxSize: Double = 19, aspect: Double = 1, slant: Double = 0,
                rotation: Double = 0, shiftX: Double = 0, shiftY: Double = 0, jitter: Double = 0, edgeSoftness: Double = 1.2) {
        self.strokeWidth = strokeWidth
        self.boxSize = boxSize
        self.aspect = aspect
        self.slant = slant
        self.rotation = rotation
        self.shiftX = shiftX
        self.shiftY = shiftY
        self.jitter = jitter
        self.edgeSoftness = edgeSoftness
        self.variant = variant
    }

    /// The undistorted style: every digit as in its skeleton.
    public static let plain = GlyphStyle()

    /// A random style: ranges chosen so that the glyphs look like MNIST
    /// digits (width 1.4–3.4 px, larger side 17–22 px, slant ±0.35, rotation
    /// ±9°, shift ±1.5 px, jitter 0.05 of the box, one of the digit's
    /// written variants, uniformly).
    public static func random(using rng: inout SeededGenerator) -> GlyphStyle {
        GlyphStyle(
            variant: rng.nextInt(below: 6),
            strokeWidth: rng.nextDouble(in: 1.4, 3.4),
            boxSize: rng.nextDouble(in: 17, 22),
            aspect: rng.nextDouble(in: 0.9, 1.25),
            slant: rng.nextDouble(in: -0.35, 0.35),
            rotation: rng.nextDouble(in: -0.15, 0.15),
            shiftX: rng.nextDouble(in: -1.5, 1.5),
            shiftY: rng.nextDouble(in: -1.5, 1.5),
            jitter: 0.05,
            edgeSoftness: rng.nextDouble(in: 1.0, 1.8))
    }
}
