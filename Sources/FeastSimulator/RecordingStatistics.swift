import FeastEvents

/// The figures that compare a set of recordings with N-MNIST: how many
/// events, when (three saccade bursts), which polarity, and where.
///
/// Per-recording figures are summarised by their median across recordings
/// unless stated; shares are fractions in 0…1.
public struct RecordingStatistics: Sendable, Hashable {
    public var recordings: Int
    /// Events per recording: min, 5th percentile, median, 95th percentile, max.
    public var eventsMin, eventsP5, eventsMedian, eventsP95, eventsMax: Double
    /// Mean over recordings of the ON share of events.
    public var onFraction: Double
    /// Share of all events in `[0, 100)`, `[100, 200)`, `[200, ∞)` ms.
    public var thirds: [Double]
    /// Share of all events per 10 ms bin, 0…310 ms (32 bins, the last one
    /// holding everything later).
    public var profile: [Double]
    /// Median first and last timestamps, µs.
    public var firstTimestamp, lastTimestamp: Double
    /// Median per recording of the smallest and largest x and y.
    public var xMin, xMax, yMin, yMax: Double
    /// Median per recording of the 5th and 95th percentiles of x and y
    /// (the digit's extent, less sensitive to noise than min/max).
    public var xP5, xP95, yP5, yP95: Double
    /// Median number of pixels with at least one event.
    public var activePixels: Double
    /// Median over recordings of the median time between two successive
    /// events at one pixel, µs.
    public var samePixelInterval: Double

    /// Median events per recording of each digit 0…9 (NaN where a digit
    /// has no recording or labels were not given).
    public var eventsMedianPerDigit: [Double]

    public static let profileBins = 32

    /// Measures `recordings` (each sorted by time) on `geometry`; `labels`
    /// (digits 0…9, one per recording, or empty) give the per-digit medians.
    public static func measure(_ recordings: [ContiguousArray<Event>], labels: [Int] = [],
                               geometry: SensorGeometry = .nmnist) -> RecordingStatistics {
        precondition(!recordings.isEmpty, "need at least one recording")
        precondition(labels.isEmpty || labels.count == recordings.count, "one label per recording")
        var perDigit = [[Double]](repeating: [], count: 10)
        for (n, label) in labels.enumerated() where (0...9).contains(label) { perDigit[label].append(Double(recordings[n].count)) }
        var counts: [Double] = [], on: [Double] = [], first: [Double] = [], last: [Double] = []
        var xmin: [Double] = [], xmax: [Double] = [], ymin: [Double] = [], ymax: [Double] = []
        var xp5: [Double] = [], xp95: [Double] = [], yp5: [Double] = [], yp95: [Double] = []
        var active: [Double] = [], interval: [Double] = []
        var thirds = [Double](repeating: 0, count: 3)
        var profile = [Double](repeating: 0, count: profileBins)
        var total = 0.0
        for events in recordings {
            counts.append(Double(events.count))
            guard !events.isEmpty else { continue }
            var nOn = 0
            var xs = [Int](repeating: 0, count: 256), ys = [Int](repeating: 0, count: 256)
            var lastAt = [Int64](repeating: -1, count: geometry.pixelCount)
            var gaps: [Double] = []
            for e in events {
                if e.polarity != 0 { nOn += 1 }
                xs[Int(min(e.x, 255))] += 1
                ys[Int(min(e.y, 255))] += 1
                let ms = e.t / 1000
                thirds[min(2, Int(ms / 100))] += 1
                profile[min(profileBins - 1, Int(ms / 10))] += 1
                if geometry.contains(x: Int(e.x), y: Int(e.y)) {
                    let p = Int(e.y) * geometry.width + Int(e.x)
                    if lastAt[p] >= 0 { gaps.append(Double(e.t - lastAt[p])) }
                    lastAt[p] = e.t
                }
            }
            total += Double(events.count)
            on.append(Double(nOn) / Double(events.count))
            first.append(Double(events.first!.t))
            last.append(Double(events.last!.t))
            func quantileIndex(_ h: [Int], _ q: Double) -> Double {
                let target = q * Double(events.count)
                var acc = 0
                for (v, c) in h.enumerated() { acc += c; if Double(acc) > target { return Double(v) } }
                return Double(h.count - 1)
            }
            xmin.append(Double(xs.firstIndex { $0 > 0 }!)); xmax.append(Double(xs.lastIndex { $0 > 0 }!))
            ymin.append(Double(ys.firstIndex { $0 > 0 }!)); ymax.append(Double(ys.lastIndex { $0 > 0 }!))
            xp5.append(quantileIndex(xs, 0.05)); xp95.append(quantileIndex(xs, 0.95))
            yp5.append(quantileIndex(ys, 0.05)); yp95.append(quantileIndex(ys, 0.95))
            active.append(Double(lastAt.filter { $0 >= 0 }.count))
            if !gaps.isEmpty { interval.append(percentile(gaps, 0.5)) }
        }
        let norm = max(total, 1)
        return RecordingStatistics(
            recordings: recordings.count,
            eventsMin: counts.min()!, eventsP5: percentile(counts, 0.05), eventsMedian: percentile(counts, 0.5),
            eventsP95: percentile(counts, 0.95), eventsMax: counts.max()!,
            onFraction: on.isEmpty ? 0 : on.reduce(0, +) / Double(on.count),
            thirds: thirds.map { $0 / norm }, profile: profile.map { $0 / norm },
            firstTimestamp: percentile(first, 0.5), lastTimestamp: percentile(last, 0.5),
            xMin: percentile(xmin, 0.5), xMax: percentile(xmax, 0.5), yMin: percentile(ymin, 0.5), yMax: percentile(ymax, 0.5),
            xP5: percentile(xp5, 0.5), xP95: percentile(xp95, 0.5), yP5: percentile(yp5, 0.5), yP95: percentile(yp95, 0.5),
            activePixels: percentile(active, 0.5), samePixelInterval: percentile(interval, 0.5),
            eventsMedianPerDigit: perDigit.map { percentile($0, 0.5) })
    }

    /// Bursts are visible when each third's busiest 10 ms bin holds at
    /// least `ratio` times the events of the quietest bin around the
    /// boundaries (80–110 ms and 190–220 ms) between them.
    public func burstContrast() -> Double {
        func peak(_ r: Range<Int>) -> Double { r.map { profile[$0] }.max()! }
        let trough = max((8..<11).map { profile[$0] }.min()!, (19..<22).map { profile[$0] }.min()!)
        let weakestPeak = min(peak(0..<10), peak(10..<20), peak(20..<30))
        return weakestPeak / max(trough, 1e-12)
    }

    /// Linear-interpolated percentile (`q` in 0…1) of non-empty `values`.
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        let pos = q * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(s.count - 1, lo + 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }
}
