/// A span of a recording's clock, `start ..< end` in microseconds, so one
/// long recording can hold many labelled samples (as DVS Gesture's
/// `*_labels.csv` give them). Invariant: `start < end`.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    /// First µs inside the window.
    public var start: Int64
    /// First µs after the window.
    public var end: Int64

    public init(start: Int64, end: Int64) {
        precondition(start < end, "a time window must end after it starts")
        self.start = start
        self.end = end
    }

    @inlinable public func contains(_ t: Int64) -> Bool { t >= start && t < end }

    /// `start-end` (µs), as recording names show it.
    public var description: String { "\(start)-\(end)" }
}

/// The events of `base` inside `window`, timestamps unchanged.
///
/// Camera files are time-ordered, so reading stops at the first event at or
/// after `window.end`: a window near the start of a long recording costs
/// only the bytes up to it. (A recording whose clock goes backwards past
/// the window's end loses its later in-window events; `feast info --strict`
/// finds such files.)
public struct TimeWindowSource: EventSource {
    public var base: any EventSource
    public let window: TimeWindow
    private var done = false

    public init(_ base: any EventSource, window: TimeWindow) {
        self.base = base
        self.window = window
    }

    public var geometry: SensorGeometry { base.geometry }
    public var name: String { "\(base.name)@\(window)" }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        while !done {
            guard try base.nextChunk(into: &buffer) else { break }
            var kept = 0
            let count = buffer.count
            let (start, end) = (window.start, window.end)
            buffer.withUnsafeMutableBufferPointer { events in
                for i in 0..<count {
                    let e = events[i]
                    if e.t >= end { done = true; break }
                    if e.t >= start { events[kept] = e; kept += 1 }
                }
            }
            buffer.removeLast(count - kept)
            if kept > 0 { return true }
        }
        buffer.removeAll(keepingCapacity: true)
        return false
    }
}
