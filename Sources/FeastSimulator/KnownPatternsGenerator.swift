import FeastEvents

/// Recordings made of K known local patterns plus background noise, for
/// checking network-size heuristics where the right answer is known (a
/// FEAST layer needs about K neurons for the patterns and one more for the
/// isolated noise events).
///
/// Pattern `j` is a straight edge sweeping across a square patch of side
/// `2·halfSize + 1` pixels in direction `2πj/K` (angles on the full circle,
/// so opposite directions are different patterns): every pixel of the patch
/// fires once, when the edge passes it, all ON (so a layer that ignores
/// polarity sees the same K patterns as one that splits it). The
/// context an event sees (the recent neighbours within a radius) is the
/// same up to the patch border for every event of an instance, so each
/// pattern is one local feature. Instances take turns in time
/// (`instanceInterval` apart, at random positions), so they rarely overlap.
///
/// Defaults for R = 2: 7 × 7 patches, 1 ms per pixel (an instance lasts
/// ~9 ms), one instance per 20 ms (15 per 300 ms recording), 0.5 Hz of
/// noise per pixel (~170 noise events per recording, ~20 % of all). Noise
/// must stay sparse for noise events to look isolated: with rate r and a
/// context of (2R+1)² pixels over a time constant τ, a noise event has on
/// average r·(2R+1)²·τ recent neighbours (0.25 for R = 2, τ = 20 ms).
///
/// Checked with the FEAST layer of FeastCore (R = 2, τ = 20 ms, K = 8): a
/// neuron whose weight sits on the centre pixel and that wins ~90 % noise
/// events appears from N = K on, none below (η = 0.01, rise 0.01, fall
/// 0.002, 3 epochs over 60 recordings); most patterns get neurons of their
/// own (≥ 60 % of their wins from one pattern) from about N = K + 2.
/// With R = 5 the edges are less distinct (a window wider than the patch
/// sees its borders), so prefer a small radius for this check.
public struct KnownPatternsGenerator: Sendable {
    /// One pattern: event offsets relative to the patch centre.
    public struct Pattern: Sendable, Hashable {
        /// Direction of the edge's motion, radians (0 = +x, π/2 = +y).
        public var direction: Double
        /// Events of one instance: pixel offset and time after the instance
        /// starts (µs), sorted by `dt`.
        public var offsets: [(dx: Int, dy: Int, dt: Int64)]

        public static func == (a: Pattern, b: Pattern) -> Bool {
            a.direction == b.direction && a.offsets.elementsEqual(b.offsets) { $0 == $1 }
        }
        public func hash(into h: inout Hasher) { h.combine(direction); h.combine(offsets.count) }
    }

    /// A recording and, per event, the pattern it came from (-1 = noise).
    public struct Recording: Sendable {
        public var events: ContiguousArray<Event>
        public var patternOfEvent: [Int32]
    }

    public let k: Int
    /// The context radius the defaults were chosen for.
    public let radius: Int
    public let geometry: SensorGeometry
    /// Patch half-size, pixels: the patch is `2·halfSize + 1` wide.
    public let halfSize: Int
    /// Time for the edge to advance one pixel, µs.
    public let pixelTime: Int64
    /// Start-to-start time between instances, µs.
    public let instanceInterval: Int64
    /// Length of a recording, µs.
    public let duration: Int64
    /// Background noise, events per pixel per second (Poisson).
    public let backgroundRate: Double
    /// Timestamp jitter on pattern events, µs (standard deviation).
    public let jitter: Double
    public let seed: UInt64
    /// The K patterns, index = pattern id.
    public let patterns: [Pattern]

    /// - Parameters:
    ///   - k: number of patterns (> 0).
    ///   - radius: the context radius R of the layer the data is meant
    ///     for; sets the defaults below (patch half-size R + 1, noise rate
    ///     giving a noise event 0.25 recent neighbours on average within
    ///     (2R+1)² pixels and 20 ms: 0.5 Hz for R = 2, 0.1 Hz for R = 5).
    ///   - instanceInterval: default twice an instance's length, ≥ 20 ms.
    public init(k: Int, radius: Int = 2, geometry: SensorGeometry = .nmnist, halfSize: Int? = nil, pixelTime: Int64 = 1_000,
                instanceInterval: Int64? = nil, duration: Int64 = 300_000, backgroundRate: Double? = nil,
                jitter: Double = 50, seed: UInt64 = 1) {
        let halfSize = halfSize ?? radius + 1
        let side = Double(2 * radius + 1)
        let backgroundRate = backgroundRate ?? 0.25 / (side * side * 0.020)
        // The edge crosses the patch in at most 2√2·halfSize pixel steps.
        let length = Int64((2 * 1.5 * Double(halfSize) + 1) * Double(pixelTime))
        let instanceInterval = instanceInterval ?? max(20_000, 2 * length)
        precondition(k > 0, "k must be positive")
        precondition(radius >= 1, "radius must be positive")
        precondition(halfSize >= 1 && 2 * halfSize + 1 <= min(geometry.width, geometry.height), "patch must fit the sensor")
        precondition(pixelTime > 0 && instanceInterval > 0 && duration > 0 && backgroundRate >= 0 && jitter >= 0)
        self.k = k
        self.radius = radius
        self.geometry = geometry
        self.halfSize = halfSize
        self.pixelTime = pixelTime
        self.instanceInterval = instanceInterval
        self.duration = duration
        self.backgroundRate = backgroundRate
        self.jitter = jitter
        self.seed = seed
        var patterns: [Pattern] = []
        for j in 0..<k {
            let theta = 2 * Double.pi * Double(j) / Double(k)
            let c = _cos(theta), s = _sin(theta)
            // Projection onto the direction of motion, shifted to start at 0.
            let reach = Double(halfSize) * (abs(c) + abs(s))
            var offsets: [(dx: Int, dy: Int, dt: Int64)] = []
            for dy in -halfSize...halfSize {
                for dx in -halfSize...halfSize {
                    let along = Double(dx) * c + Double(dy) * s + reach
                    offsets.append((dx, dy, Int64((along * Double(pixelTime)).rounded())))
                }
            }
            offsets.sort { ($0.dt, $0.dy, $0.dx) < ($1.dt, $1.dy, $1.dx) }
            patterns.append(Pattern(direction: theta, offsets: offsets))
        }
        self.patterns = patterns
    }

    /// Number of pattern instances per recording.
    public var instancesPerRecording: Int { Int(duration / instanceInterval) }

    /// Recording `index`: a pure function of `(seed, k, index)`. Instance
    /// `i` shows pattern `(i + index) mod K`, so all patterns appear equally
    /// often.
    public func recording(index: Int) -> Recording {
        var rng = SeededGenerator(seed: seed, stream: 0x4B50, UInt64(k), UInt64(bitPattern: Int64(index)))
        var tagged: [(Event, Int32)] = []
        for i in 0..<instancesPerRecording {
            let j = (i + index) % k
            let cx = halfSize + rng.nextInt(below: geometry.width - 2 * halfSize)
            let cy = halfSize + rng.nextInt(below: geometry.height - 2 * halfSize)
            let start = Int64(i) * instanceInterval
            for o in patterns[j].offsets {
                var t = Double(start + o.dt)
                if jitter > 0 { t += jitter * rng.nextGaussian() }
                let tt = min(duration, max(0, Int64(t.rounded())))
                tagged.append((Event(t: tt, x: UInt16(cx + o.dx), y: UInt16(cy + o.dy), polarity: 1), Int32(j)))
            }
        }
        if backgroundRate > 0 {
            let meanGap = 1_000_000 / backgroundRate
            for p in 0..<geometry.pixelCount {
                var t = rng.nextExponential(mean: meanGap)
                while t < Double(duration) {
                    let e = Event(t: Int64(t), x: UInt16(p % geometry.width), y: UInt16(p / geometry.width),
                                  polarity: rng.nextBool(probability: 0.5) ? 1 : 0)
                    tagged.append((e, -1))
                    t += rng.nextExponential(mean: meanGap)
                }
            }
        }
        tagged.sort { a, b in
            let (e, f) = (a.0, b.0)
            if e.t != f.t { return e.t < f.t }
            if e.y != f.y { return e.y < f.y }
            if e.x != f.x { return e.x < f.x }
            if e.polarity != f.polarity { return e.polarity < f.polarity }
            return a.1 < b.1
        }
        return Recording(events: ContiguousArray(tagged.map { $0.0 }), patternOfEvent: tagged.map { $0.1 })
    }
}
