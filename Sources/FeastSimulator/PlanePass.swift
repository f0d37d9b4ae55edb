/// One pass of an aircraft through the field of view of ``SyntheticPlanes``:
/// a straight line at constant speed, drawn per recording.
///
/// Units: pixels and µs. The pass is placed so the whole crossing (entering
/// one edge, leaving the other) fits in the recording.
public struct PlanePass: Sendable, Hashable {
    public var silhouette: AircraftSilhouette
    /// Fuselage length in pixels: the distance to the camera (nearer = longer).
    public var length: Double
    /// Scale across the fuselage and wing-sweep shear of this aircraft
    /// (``AircraftSilhouette/sprite(length:heading:span:sweep:)``).
    public var span: Double
    public var sweep: Double
    /// Direction of flight, radians (0 = left to right, π = right to left,
    /// y down; a climb or descent tilts it by up to ``SyntheticPlanes/maxTilt``).
    public var heading: Double
    /// Speed, pixels per µs.
    public var speed: Double
    /// Where the fuselage midpoint crosses the sensor's middle column, and when (µs).
    public var crossingY: Double
    public var crossingTime: Double

    /// The fuselage midpoint at time `t`, µs.
    public func position(at t: Int64, centreX: Double) -> (x: Double, y: Double) {
        let d = (Double(t) - crossingTime) * speed
        return (centreX + d * _cos(heading), crossingY + d * _sin(heading))
    }

    /// Time to cross `width` pixels plus the fuselage's own length, µs.
    public func crossingDuration(width: Int) -> Double {
        (Double(width) + 1.2 * length) / (speed * max(abs(_cos(heading)), 0.5))
    }
}
