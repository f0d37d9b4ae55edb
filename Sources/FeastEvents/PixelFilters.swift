/// Per-pixel refractory period: drops an event when the same pixel (either
/// polarity) had a *kept* event less than `period` µs before it.
public struct RefractoryFilter: EventFilter {
    public let period: Int64
    public let geometry: SensorGeometry
    private var lastKept: [Int64]

    public init(period: Int64, geometry: SensorGeometry) {
        precondition(period >= 0)
        self.period = period
        self.geometry = geometry
        self.lastKept = Array(repeating: .min, count: geometry.pixelCount)
    }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        let period = period, width = geometry.width
        lastKept.withUnsafeMutableBufferPointer { last in
            events.retainEvents { e in
                let i = Int(e.y) &* width &+ Int(e.x)
                guard i < last.count else { return false }
                // `last[i] == .min` means never fired; subtraction would overflow.
                if last[i] != .min && e.t &- last[i] < period { return false }
                last[i] = e.t
                return true
            }
        }
    }

    public mutating func reset() {
        for i in lastKept.indices { lastKept[i] = .min }
    }
}

/// Background-activity denoise: keeps an event only if one of its 8
/// neighbours had an event (kept or not) within the last `window` µs.
/// Isolated events, typical of sensor noise, are dropped.
public struct DenoiseFilter: EventFilter {
    public let window: Int64
    public let geometry: SensorGeometry
    /// Last event time per pixel, with a one-pixel border so neighbours of
    /// edge pixels need no bounds checks.
    private var lastTime: [Int64]

    public init(window: Int64, geometry: SensorGeometry) {
        precondition(window >= 0)
        self.window = window
        self.geometry = geometry
        self.lastTime = Array(repeating: .min, count: (geometry.width + 2) * (geometry.height + 2))
    }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        let window = window, stride = geometry.width + 2
        let width = geometry.width, height = geometry.height
        lastTime.withUnsafeMutableBufferPointer { last in
            events.retainEvents { e in
                let x = Int(e.x), y = Int(e.y)
                guard x < width && y < height else { return false }
                let c = (y + 1) &* stride &+ (x + 1)
                let since = e.t &- window
                var recent = false
                // The 3×3 block minus the centre; no array, so no allocation per event.
                var row = c - stride - 1
                for dy in 0..<3 {
                    for dx in 0..<3 where !(dy == 1 && dx == 1) {
                        let n = row + dx
                        if last[n] != .min && last[n] >= since { recent = true }
                    }
                    row += stride
                }
                last[c] = e.t
                return recent
            }
        }
    }

    public mutating func reset() {
        for i in lastTime.indices { lastTime[i] = .min }
    }
}

/// Drops exact duplicates: an event equal (t, x, y, p) to an earlier one.
/// Tracks the last timestamp per pixel and polarity, so an earlier equal
/// event is found whenever timestamps are non-decreasing (as in recorded
/// streams); after a backwards jump only equal events since the jump count.
public struct DedupFilter: EventFilter {
    public let geometry: SensorGeometry
    private var tracker: DuplicateTracker

    public init(geometry: SensorGeometry) {
        self.geometry = geometry
        self.tracker = DuplicateTracker(geometry: geometry)
    }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        events.retainEvents { !tracker.isDuplicate($0) }
    }

    public mutating func reset() { tracker = DuplicateTracker(geometry: geometry) }
}

/// Finds exact duplicate events with O(1) state per pixel and polarity:
/// an event repeats an earlier one when its pixel and polarity last fired
/// at the same timestamp. Exact for non-decreasing timestamps. `Int64.min`
/// marks "never fired", so an event at exactly `Int64.min` µs counts as a
/// repeat (no recording has one).
public struct DuplicateTracker: Sendable {
    private var last: [Int64]
    private let width: Int

    public init(geometry: SensorGeometry) {
        width = geometry.width
        last = Array(repeating: .min, count: geometry.pixelCount * 2)
    }

    /// Records `e`; true if it equals an earlier recorded event.
    @inline(__always)
    public mutating func isDuplicate(_ e: Event) -> Bool {
        let i = ((Int(e.y) &* width &+ Int(e.x)) << 1) | Int(e.polarity & 1)
        guard i < last.count else { return false }
        if last[i] == e.t { return true }
        last[i] = e.t
        return false
    }
}
