import FeastEvents

/// The paper's second workload, synthetic: aircraft silhouettes
/// (``AircraftSilhouette``, four classes) crossing an ATIS-sized sensor
/// (304 × 240) on a straight line at varied speeds, heights, directions
/// and distances, through the same DVS pixel model and noise as the digits
/// (``DVSPixelModel``). One recording per pass, ``duration`` µs long.
///
/// Models: a static camera, a uniform bright sky, a dark planform (contrast
/// ``DVSParameters/inkContrast``), per-pixel threshold mismatch, refractory
/// period, timestamp jitter and Poisson background activity. Does not
/// model: clouds or a textured background, the aircraft's shading and
/// moving parts, perspective (the planform keeps its shape), sensor motion,
/// or the ATIS's grey-level (exposure) events.
///
/// Every recording is a pure function of `(seed, class, index)`, as with
/// ``SyntheticNMNIST``.
public struct SyntheticPlanes: Sendable {
    /// The ATIS sensor: 304 × 240 pixels.
    public static let atis = SensorGeometry(width: 304, height: 240)
    /// Largest climb or descent angle, radians (20°).
    public static let maxTilt = 20 * Double.pi / 180

    public var geometry: SensorGeometry
    public var dvs: DVSParameters
    /// Fuselage lengths, pixels (the distance range).
    public var lengths: ClosedRange<Double>
    /// Slowest pass crosses in the whole recording; the fastest this many times quicker.
    public var speedRange: Double
    /// Model-to-model variation within a class: span scale and sweep shear.
    public var spans: ClosedRange<Double>
    public var sweeps: ClosedRange<Double>

    /// DVS parameters of the digits with a 400 ms recording, a 0.5 ms step
    /// (an edge moves up to ~2 pixels per ms) and a fainter object: an
    /// aircraft against the sky darkens it by half (log contrast 0.69, about
    /// three events per edge crossing; the digits' ink darkens by 0.8).
    public static let planesDVS: DVSParameters = {
        var p = DVSParameters.nmnist
        p.duration = 400_000
        p.timeStep = 500
        p.inkContrast = 0.5
        return p
    }()

    public init(geometry: SensorGeometry = SyntheticPlanes.atis, dvs: DVSParameters = SyntheticPlanes.planesDVS,
                lengths: ClosedRange<Double> = 16...48, speedRange: Double = 2,
                spans: ClosedRange<Double> = 0.7...1.3, sweeps: ClosedRange<Double> = -0.2...0.3) {
        self.geometry = geometry
        self.dvs = dvs
        self.lengths = lengths
        self.speedRange = speedRange
        self.spans = spans
        self.sweeps = sweeps
    }

    /// One random stream per purpose, as in ``SyntheticNMNIST``.
    enum Stream: UInt64 { case sensor = 0x9A5E, pass = 11, pixels = 12 }

    /// The simulated sensor for data sets made with `seed`.
    public func sensor(seed: UInt64) -> DVSPixelModel {
        var rng = SeededGenerator(seed: seed, stream: Stream.sensor.rawValue)
        return DVSPixelModel(geometry: geometry, parameters: dvs, sensorRNG: &rng)
    }

    /// The pass of recording `index` of class `kind` (0…3).
    public func pass(kind: Int, index: Int, seed: UInt64) -> PlanePass {
        precondition(AircraftSilhouette(rawValue: kind) != nil, "class must be 0…\(AircraftSilhouette.allCases.count - 1)")
        var rng = SeededGenerator(seed: seed, stream: Stream.pass.rawValue, UInt64(kind), UInt64(bitPattern: Int64(index)))
        let length = rng.nextDouble(in: lengths.lowerBound, lengths.upperBound)
        let span = rng.nextDouble(in: spans.lowerBound, spans.upperBound)
        let sweep = rng.nextDouble(in: sweeps.lowerBound, sweeps.upperBound)
        let tilt = rng.nextDouble(in: -Self.maxTilt, Self.maxTilt)
        let heading = (rng.nextBool(probability: 0.5) ? 0 : Double.pi) + tilt
        let duration = Double(dvs.duration)
        var pass = PlanePass(silhouette: AircraftSilhouette(rawValue: kind)!, length: length, span: span, sweep: sweep,
                             heading: heading, speed: 0, crossingY: 0, crossingTime: 0)
        // Slowest: the crossing takes the whole recording; up to speedRange × faster.
        pass.speed = 1
        let slowest = pass.crossingDuration(width: geometry.width) / duration
        pass.speed = slowest * rng.nextDouble(in: 1, speedRange)
        let crossing = pass.crossingDuration(width: geometry.width)
        pass.crossingTime = crossing / 2 + rng.nextDouble() * max(0, duration - crossing)
        // Height: the whole pass stays inside the rows (with the tilt's rise).
        let rise = abs(_sin(tilt)) * Double(geometry.width) / 2 + length * 0.9 * span
        let low = min(rise, Double(geometry.height) / 2), high = max(Double(geometry.height) - rise, low)
        pass.crossingY = rng.nextDouble(in: low, high)
        return pass
    }

    /// One recording of class `kind`: events sorted by `t` (µs) on the
    /// 304 × 240 sensor. Deterministic in `(kind, index, seed)`.
    public func recording(kind: Int, index: Int, seed: UInt64) -> ContiguousArray<Event> {
        recording(kind: kind, index: index, seed: seed, sensor: sensor(seed: seed))
    }

    /// As ``recording(kind:index:seed:)`` with a sensor made once.
    public func recording(kind: Int, index: Int, seed: UInt64, sensor: DVSPixelModel) -> ContiguousArray<Event> {
        let pass = pass(kind: kind, index: index, seed: seed)
        let sprite = pass.silhouette.sprite(length: pass.length, heading: pass.heading, span: pass.span, sweep: pass.sweep)
        var rng = SeededGenerator(seed: seed, stream: Stream.pixels.rawValue, UInt64(kind), UInt64(bitPattern: Int64(index)))
        let width = geometry.width, height = geometry.height
        let ink = min(max(dvs.inkContrast, 0), 0.999)
        let centreX = Double(width) / 2
        return sensor.record(rng: &rng) { t, buffer in
            // Sky: log intensity 0 everywhere; then the planform's box.
            buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            let (px, py) = pass.position(at: t, centreX: centreX)
            let ox = px + sprite.originX, oy = py + sprite.originY
            let i0 = max(0, Int(ox.rounded(.down))), i1 = min(width - 1, Int((ox + Double(sprite.image.width)).rounded(.up)))
            let j0 = max(0, Int(oy.rounded(.down))), j1 = min(height - 1, Int((oy + Double(sprite.image.height)).rounded(.up)))
            guard i0 <= i1, j0 <= j1 else { return }
            for j in j0...j1 {
                for i in i0...i1 {
                    let coverage = sprite.image.sample(x: Double(i) - ox, y: Double(j) - oy)
                    if coverage > 0 { buffer[j * width + i] = _log(1 - ink * coverage) }
                }
            }
        }
    }
}
