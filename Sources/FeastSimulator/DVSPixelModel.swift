import FeastEvents

/// An array of DVS pixels turning a changing image into address events.
///
/// Each pixel remembers the log intensity at its last event (its
/// reference). Between two simulation instants the log intensity is taken
/// as linear in time; when it rises by the pixel's ON threshold above the
/// reference an ON event fires at the interpolated crossing time (OFF
/// likewise for a fall), and the reference becomes the level at that time.
/// During the refractory period after an event the pixel cannot fire; a
/// crossing in that time fires when the period ends, at the level reached
/// by then (so fast changes lose events, as in a real sensor).
public struct DVSPixelModel: Sendable {
    public let geometry: SensorGeometry
    public let parameters: DVSParameters
    /// Per-pixel thresholds after mismatch, row-major (always ≥ 0.02).
    public let onThresholds: [Double]
    public let offThresholds: [Double]

    /// A sensor whose mismatch is drawn from `sensorRNG`: reuse one model
    /// for all recordings of a data set, as one camera recorded them all.
    public init(geometry: SensorGeometry, parameters: DVSParameters, sensorRNG: inout SeededGenerator) {
        self.geometry = geometry
        self.parameters = parameters
        var on = [Double](repeating: 0, count: geometry.pixelCount)
        var off = on
        for p in 0..<geometry.pixelCount {
            on[p] = max(0.02, parameters.onThreshold * (1 + parameters.thresholdMismatch * sensorRNG.nextGaussian()))
            off[p] = max(0.02, parameters.offThreshold * (1 + parameters.thresholdMismatch * sensorRNG.nextGaussian()))
        }
        onThresholds = on
        offThresholds = off
    }

    /// Simulates one recording of `parameters.duration` µs.
    ///
    /// - Parameters:
    ///   - logIntensity: fills its buffer (row-major, one value per pixel)
    ///     with the log intensity at time `t` µs.
    ///   - rng: draws the pixels' initial reference levels, the background
    ///     noise and the timestamp jitter.
    /// - Returns: events sorted by `t` (ties by y, x, polarity), `t` in
    ///   `0…duration`.
    public func record(rng: inout SeededGenerator,
                       logIntensity: (_ t: Int64, _ into: inout [Double]) -> Void) -> ContiguousArray<Event> {
        let n = geometry.pixelCount
        let width = geometry.width
        let refractory = parameters.refractoryPeriod
        let step = max(1, parameters.timeStep)
        var previous = [Double](repeating: 0, count: n)
        var current = previous
        logIntensity(0, &previous)
        // A pixel's reference at the start: just below the present level, as
        // after a brightening (where the triangle's return also leaves it).
        // A reference centred in the trigger band instead would give every
        // dark-stroke excursion (down, then back up) half an OFF event more
        // than ON on average: ON fraction 0.48 where the real data has 0.50.
        var reference = previous
        for p in 0..<n { reference[p] += rng.nextDouble(in: -onThresholds[p], 0.5 * offThresholds[p]) }
        var lastEvent = [Int64](repeating: Int64.min / 2, count: n)
        var events = ContiguousArray<Event>()
        events.reserveCapacity(8_192)

        var t0: Int64 = 0
        while t0 < parameters.duration {
            let t1 = min(parameters.duration, t0 + step)
            logIntensity(t1, &current)
            let dt = Double(t1 - t0)
            for p in 0..<n {
                let l0 = previous[p], l1 = current[p]
                let slope = (l1 - l0) / dt
                while true {
                    let upper = reference[p] + onThresholds[p]
                    let lower = reference[p] - offThresholds[p]
                    let polarity: UInt8
                    var crossing: Double        // µs after t0
                    if l1 >= upper {
                        polarity = 1
                        crossing = (l0 >= upper || slope <= 0) ? 0 : (upper - l0) / slope
                    } else if l1 <= lower {
                        polarity = 0
                        crossing = (l0 <= lower || slope >= 0) ? 0 : (lower - l0) / slope
                    } else { break }
                    crossing = max(crossing, Double(lastEvent[p] + refractory - t0))
                    if crossing > dt { break }   // still refractory: fire in a later step
                    let t = t0 + Int64(crossing.rounded(.down))
                    events.append(Event(t: t, x: UInt16(p % width), y: UInt16(p / width), polarity: polarity))
                    lastEvent[p] = t
                    reference[p] = l0 + slope * crossing
                }
            }
            swap(&previous, &current)
            t0 = t1
        }
        addBackgroundNoise(to: &events, rng: &rng)
        jitterAndSort(&events, rng: &rng)
        return events
    }

    /// Poisson background activity: independent per pixel, exponential
    /// gaps of mean `1 / backgroundRate`, polarity a fair coin.
    func addBackgroundNoise(to events: inout ContiguousArray<Event>, rng: inout SeededGenerator) {
        guard parameters.backgroundRate > 0 else { return }
        let meanGap = 1_000_000 / parameters.backgroundRate
        let duration = Double(parameters.duration)
        for p in 0..<geometry.pixelCount {
            var t = rng.nextExponential(mean: meanGap)
            while t < duration {
                let polarity: UInt8 = rng.nextBool(probability: 0.5) ? 1 : 0
                events.append(Event(t: Int64(t), x: UInt16(p % geometry.width), y: UInt16(p / geometry.width), polarity: polarity))
                t += rng.nextExponential(mean: meanGap)
            }
        }
    }

    /// Gaussian timestamp jitter (clamped to the recording), then a sort
    /// by a total order so the result is deterministic.
    func jitterAndSort(_ events: inout ContiguousArray<Event>, rng: inout SeededGenerator) {
        let sigma = parameters.timestampJitter
        if sigma > 0 {
            for k in events.indices {
                let t = Double(events[k].t) + sigma * rng.nextGaussian()
                events[k].t = min(parameters.duration, max(0, Int64(t.rounded())))
            }
        }
        events.sort { a, b in
            if a.t != b.t { return a.t < b.t }
            if a.y != b.y { return a.y < b.y }
            if a.x != b.x { return a.x < b.x }
            return a.polarity < b.polarity
        }
    }
}
