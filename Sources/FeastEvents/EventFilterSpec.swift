/// Which event filters to apply while reading, in tonic's manner: small
/// filters composed in a fixed order (time window, crop, polarity, dedup,
/// refractory, denoise). A value: every source gets a fresh chain
/// (``chain(geometry:)``), so per-pixel filter state never leaks between
/// recordings.
public struct EventFilterSpec: Sendable, Equatable {
    /// Keep `start ≤ t < end`, µs.
    public var timeWindow: ClosedOpenWindow?
    /// Keep `x0 ≤ x < x1`, `y0 ≤ y < y1` (addresses unchanged).
    public var crop: CropRectangle?
    /// Keep one polarity (0 OFF, 1 ON).
    public var polarity: UInt8?
    /// Drop exact duplicates (same t, x, y, p as an earlier event).
    public var dedup = false
    /// Per-pixel refractory period, µs.
    public var refractory: Int64?
    /// Background-activity filter window, µs: keep an event only if a neighbour fired within it.
    public var denoise: Int64?

    public struct ClosedOpenWindow: Sendable, Equatable {
        public var start: Int64, end: Int64
        public init(start: Int64, end: Int64) { self.start = start; self.end = end }
    }

    public struct CropRectangle: Sendable, Equatable {
        public var x0: Int, y0: Int, x1: Int, y1: Int
        public init(x0: Int, y0: Int, x1: Int, y1: Int) { (self.x0, self.y0, self.x1, self.y1) = (x0, y0, x1, y1) }
    }

    public init() {}

    /// No filter at all.
    public var isEmpty: Bool { self == EventFilterSpec() }

    /// The filters for a sensor of `geometry`, fresh state.
    public func chain(geometry: SensorGeometry) -> FilterChain {
        var filters = [any EventFilter]()
        if let w = timeWindow { filters.append(TimeWindowFilter(start: w.start, end: w.end)) }
        if let c = crop { filters.append(CropFilter(x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1)) }
        if let polarity { filters.append(PolarityFilter(polarity: polarity)) }
        if dedup { filters.append(DedupFilter(geometry: geometry)) }
        if let refractory { filters.append(RefractoryFilter(period: refractory, geometry: geometry)) }
        if let denoise { filters.append(DenoiseFilter(window: denoise, geometry: geometry)) }
        return FilterChain(filters)
    }
}

extension EventSource {
    /// The reader under any filtering or time-window wrappers (for what
    /// only the reader knows: overflow markers, skipped vendor words).
    public var reader: any EventSource {
        if let f = self as? FilteredSource { return f.base.reader }
        if let w = self as? TimeWindowSource { return w.base.reader }
        return self
    }
}
