/// Counts over one recording (or, merged, over many), accumulated chunk by
/// chunk in constant memory.
///
/// - `duplicates`: events equal (t, x, y, p) to an earlier event of the
///   recording, found by ``DuplicateTracker`` (exact for non-decreasing
///   timestamps; the N-MNIST recordings are).
/// - `backwardsTimestamps`: events whose t is smaller than the previous
///   event's; `firstBackwards` locates the first.
/// - `overflowMarkers`: set by the caller from the reader
///   (``OverflowMarkerCounting``); markers are not events.
/// - Times in µs; `tFirst`/`tLast` are the first and last events' times
///   (`nil` when there are none); `duration = tLast - tFirst`.
public struct EventStatistics: Sendable, Equatable {
    public var events = 0
    public var onEvents = 0
    public var offEvents = 0
    public var tFirst: Int64?
    public var tLast: Int64?
    public var xMin: Int?, xMax: Int?, yMin: Int?, yMax: Int?
    public var overflowMarkers = 0
    public var backwardsTimestamps = 0
    /// The first backwards step: event index (0-based), its t and the
    /// previous event's t (µs).
    public var firstBackwards: (index: Int, t: Int64, previous: Int64)?
    public var duplicates = 0
    /// Sum of recording durations when merged; `tLast - tFirst` for one.
    public var duration: Int64 = 0
    private var tracker: DuplicateTracker?

    public init() {}

    /// Adds a chunk of one recording from a sensor of `geometry`.
    public mutating func add(_ chunk: ContiguousArray<Event>, geometry: SensorGeometry) {
        guard !chunk.isEmpty else { return }
        if tracker == nil { tracker = DuplicateTracker(geometry: geometry) }
        var tracker = self.tracker!
        self.tracker = nil  // unique reference: no copy-on-write in the loop
        var on = 0, dup = 0, back = 0
        var previous = tLast ?? chunk[0].t
        var firstBack = -1
        var firstBackT: Int64 = 0, firstBackPrevious: Int64 = 0
        var x0 = xMin ?? Int.max, x1 = xMax ?? Int.min, y0 = yMin ?? Int.max, y1 = yMax ?? Int.min
        chunk.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count {
                let e = buffer[i]
                on &+= Int(e.polarity & 1)
                if e.t < previous {
                    if back == 0 { firstBack = i; firstBackT = e.t; firstBackPrevious = previous }
                    back &+= 1
                }
                previous = e.t
                if tracker.isDuplicate(e) { dup &+= 1 }
                let x = Int(e.x), y = Int(e.y)
                if x < x0 { x0 = x }
                if x > x1 { x1 = x }
                if y < y0 { y0 = y }
                if y > y1 { y1 = y }
            }
        }
        self.tracker = tracker
        if firstBackwards == nil && firstBack >= 0 { firstBackwards = (events + firstBack, firstBackT, firstBackPrevious) }
        if tFirst == nil { tFirst = chunk[0].t }
        tLast = chunk[chunk.count - 1].t
        duration = tLast! - tFirst!
        events += chunk.count
        onEvents += on
        offEvents += chunk.count - on
        duplicates += dup
        backwardsTimestamps += back
        xMin = x0; xMax = x1; yMin = y0; yMax = y1
    }

    /// Totals over recordings: counts and durations add, `tFirst` is the
    /// smallest, `tLast` the largest, extents widen.
    public mutating func merge(_ other: EventStatistics) {
        events += other.events
        onEvents += other.onEvents
        offEvents += other.offEvents
        overflowMarkers += other.overflowMarkers
        backwardsTimestamps += other.backwardsTimestamps
        duplicates += other.duplicates
        duration += other.duration
        tFirst = Self.pick(tFirst, other.tFirst, min)
        tLast = Self.pick(tLast, other.tLast, max)
        xMin = Self.pick(xMin, other.xMin, min); xMax = Self.pick(xMax, other.xMax, max)
        yMin = Self.pick(yMin, other.yMin, min); yMax = Self.pick(yMax, other.yMax, max)
    }

    private static func pick<T>(_ a: T?, _ b: T?, _ f: (T, T) -> T) -> T? {
        switch (a, b) {
        case let (a?, b?): f(a, b)
        case let (a?, nil): a
        default: b
        }
    }

    public static func == (a: EventStatistics, b: EventStatistics) -> Bool {
        a.events == b.events && a.onEvents == b.onEvents && a.offEvents == b.offEvents && a.tFirst == b.tFirst
            && a.tLast == b.tLast && a.xMin == b.xMin && a.xMax == b.xMax && a.yMin == b.yMin && a.yMax == b.yMax
            && a.overflowMarkers == b.overflowMarkers && a.backwardsTimestamps == b.backwardsTimestamps
            && a.duplicates == b.duplicates && a.duration == b.duration
    }

    /// Statistics of a whole source (read to its end).
    public static func of(_ source: inout some EventSource) throws -> EventStatistics {
        var stats = EventStatistics()
        let geometry = source.geometry
        var chunk = ContiguousArray<Event>()
        while try source.nextChunk(into: &chunk) { stats.add(chunk, geometry: geometry) }
        if let counting = source as? OverflowMarkerCounting { stats.overflowMarkers = counting.overflowMarkers }
        return stats
    }
}
