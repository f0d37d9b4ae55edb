/// Keeps events inside the rectangle `x0 ≤ x < x1`, `y0 ≤ y < y1`
/// (addresses unchanged: a selection, not a shift to the origin).
public struct CropFilter: EventFilter {
    public let x0: Int, y0: Int, x1: Int, y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        precondition(x0 <= x1 && y0 <= y1, "crop rectangle must not be inverted")
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        let x0 = x0, y0 = y0, x1 = x1, y1 = y1
        events.retainEvents { e in
            let x = Int(e.x), y = Int(e.y)
            return x >= x0 && x < x1 && y >= y0 && y < y1
        }
    }
}

/// Keeps one polarity: 1 = ON, 0 = OFF.
public struct PolarityFilter: EventFilter {
    public let polarity: UInt8

    public init(polarity: UInt8) { self.polarity = polarity == 0 ? 0 : 1 }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        let on = polarity != 0
        events.retainEvents { $0.isOn == on }
    }
}

/// Keeps events with `start ≤ t < end` (µs).
public struct TimeWindowFilter: EventFilter {
    public let start: Int64, end: Int64

    public init(start: Int64, end: Int64) {
        precondition(start <= end, "time window must not be inverted")
        self.start = start; self.end = end
    }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        let start = start, end = end
        events.retainEvents { $0.t >= start && $0.t < end }
    }
}
