import FeastEvents
import Foundation

/// The realism figures of a set of recordings on any sensor: how many
/// events, at what rate, which polarity, and how many are isolated.
///
/// Isolated: an event that the background-activity filter with a 10 ms
/// window (``DenoiseFilter``, `feast … --denoise 10000`) drops, i.e. no
/// neighbour of its pixel fired in the 10 ms before it. That share is what
/// a FEAST layer's noise neuron ends up serving.
public struct PassStatistics: Sendable, Hashable {
    public var recordings: Int
    /// Events per recording: 5th percentile, median, 95th percentile.
    public var eventsP5, eventsMedian, eventsP95: Double
    /// Median over recordings of events per second of recording (events ÷ (last t − first t)).
    public var eventRate: Double
    /// Mean over recordings of the ON share (0…1).
    public var onFraction: Double
    /// Share of all events that are isolated (0…1), as defined above.
    public var isolatedShare: Double
    /// Median over recordings of the number of pixels with at least one event.
    public var activePixels: Double

    /// The window of the isolation test, µs.
    public static let isolationWindow: Int64 = 10_000

    /// What one recording contributes.
    public struct Sample: Sendable, Hashable {
        public var events: Int
        /// Events per second of recording (events ÷ (last t − first t)).
        public var rate: Double
        public var onEvents: Int
        public var isolatedEvents: Int
        public var activePixels: Int

        /// Measures one recording (sorted by time) on `geometry`.
        public init(_ events: ContiguousArray<Event>, geometry: SensorGeometry) {
            self.events = events.count
            rate = events.count > 1 ? Double(events.count) / max(Double(events.last!.t - events.first!.t), 1) * 1e6 : 0
            onEvents = events.lazy.filter { $0.polarity != 0 }.count
            var seen = [Bool](repeating: false, count: geometry.pixelCount)
            for e in events { seen[Int(e.y) * geometry.width + Int(e.x)] = true }
            activePixels = seen.lazy.filter { $0 }.count
            var filter = DenoiseFilter(window: PassStatistics.isolationWindow, geometry: geometry)
            var kept = events
            filter.apply(&kept)
            isolatedEvents = events.count - kept.count
        }
    }

    /// Combines the samples of a set of recordings (at least one).
    public init(samples: [Sample]) {
        precondition(!samples.isEmpty, "need at least one recording")
        let counts = samples.map { Double($0.events) }.sorted()
        let total = samples.reduce(0) { $0 + $1.events }
        recordings = samples.count
        eventsP5 = Self.quantile(counts, 0.05)
        eventsMedian = Self.quantile(counts, 0.5)
        eventsP95 = Self.quantile(counts, 0.95)
        eventRate = Self.median(samples.map(\.rate))
        let shares = samples.map { $0.events > 0 ? Double($0.onEvents) / Double($0.events) : 0 }
        onFraction = shares.reduce(0, +) / Double(samples.count)
        isolatedShare = total > 0 ? Double(samples.reduce(0) { $0 + $1.isolatedEvents }) / Double(total) : 0
        activePixels = Self.median(samples.map { Double($0.activePixels) })
    }

    /// Measures `recordings` (each sorted by time) on `geometry`.
    public static func measure(_ recordings: [ContiguousArray<Event>], geometry: SensorGeometry) -> PassStatistics {
        PassStatistics(samples: recordings.map { Sample($0, geometry: geometry) })
    }

    /// Markdown rows `| figure | value |` for the docs.
    public var markdown: String {
        func f(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }
        return """
            | figure | value |
            |---|---|
            | recordings | \(recordings) |
            | events per recording p5 / median / p95 | \(f(eventsP5)) / \(f(eventsMedian)) / \(f(eventsP95)) |
            | event rate, median (k events/s) | \(f(eventRate / 1000, 1)) |
            | ON fraction (mean) | \(f(onFraction, 3)) |
            | isolated events (no neighbour within 10 ms) | \(f(100 * isolatedShare, 1)) % |
            | active pixels (median) | \(f(activePixels)) |

            """
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }

    static func median(_ values: [Double]) -> Double { quantile(values.sorted(), 0.5) }
}
