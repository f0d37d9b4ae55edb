import FeastEvents

/// FEAST on a large sensor next to a small one, on the same events: the
/// recordings are joined into one continuous stream (as a camera gives
/// it), and on the large sensor each recording is moved to a random place
/// so the time surface is touched all over. Local structure, event count
/// and timing are identical, so the difference between the rows is the
/// cost of the sensor's memory (time-surface cache misses), nothing else.
public struct SensorSizeBenchmarkRow: Sendable, Equatable {
    public var geometry: SensorGeometry
    /// Bytes of the layer's time surfaces: `surfaces × (W + 2R) × (H + 2R)`
    /// words.
    public var timeSurfaceBytes: Int
    public var result: FeastBenchmarkResult
}

public enum SensorSizeBenchmark {
    /// One stream of `recordings` (each on a `source` sensor) on `target`:
    /// recording k starts 1 ms after k−1 ends and sits at a seeded random
    /// offset (0 offset when `target == source`).
    public static func stream(_ recordings: [ContiguousArray<Event>], source: SensorGeometry, target: SensorGeometry, seed: UInt64) -> ContiguousArray<Event> {
        precondition(target.width >= source.width && target.height >= source.height, "the target sensor must hold the source")
        var rng = SplitMix64(seed: seed)
        var out = ContiguousArray<Event>()
        out.reserveCapacity(recordings.reduce(0) { $0 + $1.count })
        var offsetT: Int64 = 0
        for r in recordings {
            guard let first = r.first else { continue }
            let dx = UInt16(rng.next() % UInt64(target.width - source.width + 1))
            let dy = UInt16(rng.next() % UInt64(target.height - source.height + 1))
            var last = offsetT
            for e in r {
                last = max(last, e.t - first.t + offsetT)
                out.append(Event(t: e.t - first.t + offsetT, x: e.x + dx, y: e.y + dy, polarity: e.polarity))
            }
            offsetT = last + 1_000
        }
        return out
    }

    /// Runs `FeastBenchmark` on the joined stream for each of `targets`.
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public static func run<A: FeastArithmetic>(_ type: A.Type, recordings: [ContiguousArray<Event>], source: SensorGeometry,
                                                targets: [SensorGeometry], parameters: FeastParameters,
                                                arithmetic configuration: A.Configuration, seed: UInt64 = 1) throws -> [SensorSizeBenchmarkRow] {
        try targets.map { target in
            let events = stream(recordings, source: source, target: target, seed: seed)
            let layer = try FeastLayer<A>(parameters: parameters, geometry: target, arithmetic: configuration)
            let result = try FeastBenchmark.run(type, recordings: [events], parameters: parameters, geometry: target, arithmetic: configuration)
            return SensorSizeBenchmarkRow(geometry: target, timeSurfaceBytes: layer.timeSurfaceBytes, result: result)
        }
    }
}
