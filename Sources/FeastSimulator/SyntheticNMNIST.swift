import FeastEvents

/// Synthetic recordings in the style of N-MNIST: a procedurally drawn
/// digit (``GlyphImage``, varied per sample by ``GlyphStyle``) moved along
/// the three-saccade triangle (``SaccadePath``) in front of a simulated
/// DVS sensor (``DVSPixelModel``) of 34 × 34 pixels, about 300 ms long.
///
/// Every recording is a pure function of `(seed, digit, index)`: each one
/// draws from its own random streams, so recordings can be generated in any
/// order or in parallel with identical results. The sensor's threshold
/// mismatch depends on `seed` only, as if one camera recorded the data set.
public struct SyntheticNMNIST: Sendable {
    public var geometry: SensorGeometry
    public var dvs: DVSParameters
    /// Multiplies the saccade displacements (1 = the measured triangle).
    public var saccadeScale: Double
    /// Largest random delay of the whole motion per recording, µs (the
    /// real recordings start their first burst a few ms apart).
    public var maxStartDelay: Int64

    public init(geometry: SensorGeometry = .nmnist, dvs: DVSParameters = .nmnist,
                saccadeScale: Double = 1, maxStartDelay: Int64 = 4_000) {
        self.geometry = geometry
        self.dvs = dvs
        self.saccadeScale = saccadeScale
        self.maxStartDelay = maxStartDelay
    }

    /// Stream tags: one independent random stream per purpose.
    enum Stream: UInt64 { case sensor = 0x5E45, glyph = 1, pixels = 2, timing = 3 }

    /// The drawn digit of sample `index` (what the sensor sees at rest).
    public func glyph(digit: Int, index: Int, seed: UInt64) -> GlyphImage {
        var rng = SeededGenerator(seed: seed, stream: Stream.glyph.rawValue, UInt64(digit), UInt64(bitPattern: Int64(index)))
        let style = GlyphStyle.random(using: &rng)
        return GlyphImage.draw(digit: digit, style: style, width: geometry.width, height: geometry.height, rng: &rng)
    }

    /// The simulated sensor for data sets made with `seed`.
    public func sensor(seed: UInt64) -> DVSPixelModel {
        var rng = SeededGenerator(seed: seed, stream: Stream.sensor.rawValue)
        return DVSPixelModel(geometry: geometry, parameters: dvs, sensorRNG: &rng)
    }

    /// The saccade path of sample `index`.
    public func path(digit: Int, index: Int, seed: UInt64) -> SaccadePath {
        var rng = SeededGenerator(seed: seed, stream: Stream.timing.rawValue, UInt64(digit), UInt64(bitPattern: Int64(index)))
        let delay = maxStartDelay > 0 ? Int64(rng.nextInt(below: Int(maxStartDelay) + 1)) : 0
        return SaccadePath.nmnist(scale: saccadeScale, delay: delay)
    }

    /// One recording of `digit` (0…9): events sorted by `t` (µs), on the
    /// 34 × 34 sensor. Deterministic in `(digit, index, seed)`.
    public func recording(digit: Int, index: Int, seed: UInt64) -> ContiguousArray<Event> {
        recording(digit: digit, index: index, seed: seed, sensor: sensor(seed: seed))
    }

    /// As ``recording(digit:index:seed:)`` with a sensor made once by
    /// ``sensor(seed:)`` (saves redrawing the mismatch per recording).
    public func recording(digit: Int, index: Int, seed: UInt64, sensor: DVSPixelModel) -> ContiguousArray<Event> {
        let image = glyph(digit: digit, index: index, seed: seed)
        let path = path(digit: digit, index: index, seed: seed)
        var rng = SeededGenerator(seed: seed, stream: Stream.pixels.rawValue, UInt64(digit), UInt64(bitPattern: Int64(index)))
        let width = geometry.width, height = geometry.height
        let ink = min(max(dvs.inkContrast, 0), 0.999)
        return sensor.record(rng: &rng) { t, buffer in
            let (dx, dy) = path.position(at: t)
            for j in 0..<height {
                for i in 0..<width {
                    let coverage = image.sample(x: Double(i) - dx, y: Double(j) - dy)
                    // Background intensity 1, ink darker by `ink`.
                    buffer[j * width + i] = _log(1 - ink * coverage)
                }
            }
        }
    }
}
