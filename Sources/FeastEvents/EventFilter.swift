/// A transform of an event stream applied chunk by chunk: it removes events
/// from `events` in place, keeping order. Stateful filters (refractory,
/// denoise, dedup) carry per-pixel state across chunks; `reset()` clears it
/// between recordings.
public protocol EventFilter: Sendable {
    mutating func apply(_ events: inout ContiguousArray<Event>)
    mutating func reset()
}

extension EventFilter {
    public mutating func reset() {}
}

/// Filters applied one after another (an empty chain keeps everything).
public struct FilterChain: EventFilter {
    public var filters: [any EventFilter]

    public init(_ filters: [any EventFilter] = []) { self.filters = filters }

    public var isEmpty: Bool { filters.isEmpty }

    /// The chain followed by `next`.
    public func then(_ next: some EventFilter) -> FilterChain {
        FilterChain(filters + [next])
    }

    public mutating func apply(_ events: inout ContiguousArray<Event>) {
        for i in filters.indices {
            if events.isEmpty { return }
            filters[i].apply(&events)
        }
    }

    public mutating func reset() {
        for i in filters.indices { filters[i].reset() }
    }
}

extension ContiguousArray where Element == Event {
    /// Keeps the events for which `keep` is true, in order, in place.
    @inlinable
    public mutating func retainEvents(_ keep: (Event) -> Bool) {
        var kept = 0
        withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count {
                let e = buffer[i]
                if keep(e) { buffer[kept] = e; kept &+= 1 }
            }
        }
        removeLast(count - kept)
    }
}

/// A source whose chunks pass through a filter chain; empty chunks are
/// skipped, so `nextChunk` returns `false` only at the end of the stream.
public struct FilteredSource: EventSource {
    public var base: any EventSource
    public var chain: FilterChain
    public var geometry: SensorGeometry { base.geometry }
    public var name: String { base.name }

    public init(_ base: any EventSource, chain: FilterChain) {
        self.base = base
        self.chain = chain
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        while try base.nextChunk(into: &buffer) {
            chain.apply(&buffer)
            if !buffer.isEmpty { return true }
        }
        return false
    }
}

extension FilteredSource: OverflowMarkerCounting {
    /// The base reader's markers (0 when it does not count them).
    public var overflowMarkers: Int { (base as? OverflowMarkerCounting)?.overflowMarkers ?? 0 }
}
