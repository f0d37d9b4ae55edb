/// Parameters of the DVS pixel model (``DVSPixelModel``). Log intensities
/// are natural logs; times are microseconds; rates are per pixel.
public struct DVSParameters: Sendable, Hashable, Codable {
    /// Mean ON contrast threshold: an ON event fires when the log intensity
    /// has risen this much since the pixel's last event.
    public var onThreshold: Double
    /// Mean OFF contrast threshold (a fall of this much).
    public var offThreshold: Double
    /// Pixel-to-pixel threshold mismatch: standard deviation relative to
    /// the mean (Gaussian, fixed per simulated sensor, not per recording).
    public var thresholdMismatch: Double
    /// After an event the pixel cannot fire for this long, µs.
    public var refractoryPeriod: Int64
    /// Background-activity noise: Poisson events per pixel per second,
    /// polarity ON or OFF with equal probability.
    public var backgroundRate: Double
    /// Standard deviation of the Gaussian timestamp jitter, µs.
    public var timestampJitter: Double
    /// Simulation step, µs: intensities are sampled at these instants and
    /// threshold crossings interpolated linearly between them.
    public var timeStep: Int64
    /// Ink darkens the background by this fraction (0…1): the digit is
    /// darker than its surround, which is what the polarity of the real
    /// recordings shows (OFF events lead the motion, ON events trail it).
    public var inkContrast: Double
    /// Length of a recording, µs.
    public var duration: Int64

    public init(onThreshold: Double = 0.24, offThreshold: Double = 0.24, thresholdMismatch: Double = 0.08,
                refractoryPeriod: Int64 = 1_200, backgroundRate: Double = 0.4, timestampJitter: Double = 250,
                timeStep: Int64 = 1_000, inkContrast: Double = 0.8, duration: Int64 = 308_000) {
        self.onThreshold = onThreshold
        self.offThreshold = offThreshold
        self.thresholdMismatch = thresholdMismatch
        self.refractoryPeriod = refractoryPeriod
        self.backgroundRate = backgroundRate
        self.timestampJitter = timestampJitter
        self.timeStep = timeStep
        self.inkContrast = inkContrast
        self.duration = duration
    }

    /// Values tuned against the real N-MNIST subset (see datasets/README.md).
    public static let nmnist = DVSParameters()
}
