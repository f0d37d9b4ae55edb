/// The motion of the image across the sensor during one recording: N-MNIST
/// moves the sensor along a triangle in three saccades of about 100 ms, so
/// the digit travels A → B → C → A.
///
/// Times in microseconds; displacements in pixels (x right, y down). Each
/// saccade's speed is a sin² bell (peak in the middle) on a constant floor
/// (``steadyShare``), which gives the three event bursts of the real data
/// and the residual activity between them.
public struct SaccadePath: Sendable, Hashable {
    /// One straight move.
    public struct Saccade: Sendable, Hashable {
        /// Start of the move, µs from the start of the recording.
        public var start: Int64
        /// Length of the move, µs (> 0).
        public var duration: Int64
        /// Displacement, pixels.
        public var dx: Double
        public var dy: Double
        public init(start: Int64, duration: Int64, dx: Double, dy: Double) {
            precondition(duration > 0, "a saccade lasts a positive time")
            self.start = start; self.duration = duration; self.dx = dx; self.dy = dy
        }
    }

    /// The moves, in time order (overlapping moves add up).
    public var saccades: [Saccade]
    /// Position at time 0, pixels relative to where the glyph was drawn.
    public var originX: Double
    public var originY: Double

    /// Share of each move made at constant speed (0…1); the rest follows
    /// a sin² bell. The real pan-tilt unit never quite stops between
    /// saccades: the gaps between bursts still hold ~10 % of the peak
    /// event rate, which a floor of 0.15 reproduces.
    public var steadyShare: Double

    public init(saccades: [Saccade], originX: Double, originY: Double, steadyShare: Double = 0) {
        precondition((0...1).contains(steadyShare), "steadyShare must be in 0…1")
        self.saccades = saccades
        self.originX = originX
        self.originY = originY
        self.steadyShare = steadyShare
    }

    /// The N-MNIST triangle as measured on the real recordings (centroid
    /// of the events over time, ON and OFF averaged): (+2, +4), then
    /// (+2, −4), then (−4, 0) pixels, an isosceles triangle; bursts peak at
    /// about 50, 150 and 255 ms. The origin centres the triangle on the
    /// drawn glyph in x; in y the triangle starts at the drawn position,
    /// which puts the digit's events 1–2 px below the sensor centre as in
    /// the real recordings. `scale` multiplies the displacements.
    public static func nmnist(scale: Double = 1, delay: Int64 = 0) -> SaccadePath {
        let s = scale
        return SaccadePath(
            saccades: [
                Saccade(start: 0 + delay, duration: 100_000, dx: 2 * s, dy: 4 * s),
                Saccade(start: 100_000 + delay, duration: 102_000, dx: 2 * s, dy: -4 * s),
                Saccade(start: 202_000 + delay, duration: 100_000, dx: -4 * s, dy: 0),
            ],
            originX: -2 * s, originY: 0, steadyShare: 0.15)
    }

    /// Displacement of the image at time `t` (µs).
    public func position(at t: Int64) -> (x: Double, y: Double) {
        var x = originX, y = originY
        for s in saccades {
            if t <= s.start { break }
            let f: Double
            if t >= s.start + s.duration { f = 1 } else {
                let tau = Double(t - s.start) / Double(s.duration)
                // Velocity (1 − β)·2 sin²(πτ) + β: a bell plus a floor.
                f = tau - (1 - steadyShare) * _sin(2 * Double.pi * tau) / (2 * Double.pi)
            }
            x += f * s.dx
            y += f * s.dy
        }
        return (x, y)
    }
}
