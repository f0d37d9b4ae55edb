/// A stream of events pulled in chunks, so a file of any size runs in
/// constant memory.
///
/// Conformers read from a buffered file, a pipe, an HDF5 dataset or memory.
/// `nextChunk(into:)` replaces the buffer's contents (keeping its capacity)
/// with the next events in stream order and returns `false` once the stream
/// is exhausted (leaving the buffer empty). Errors carry the source's name
/// and the position (byte offset, line, event index) where reading failed.
public protocol EventSource {
    /// The sensor the events come from.
    var geometry: SensorGeometry { get }
    /// A name for messages: the file path, `-` for stdin, or an archive entry.
    var name: String { get }
    /// Fills `buffer` with the next chunk; returns `false` at end of stream.
    mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool
}

extension EventSource {
    /// Reads the rest of the stream into memory. For tests and small
    /// recordings only: streaming code uses `nextChunk(into:)`.
    public mutating func readAll() throws -> ContiguousArray<Event> {
        var all = ContiguousArray<Event>()
        var chunk = ContiguousArray<Event>()
        while try nextChunk(into: &chunk) { all.append(contentsOf: chunk) }
        return all
    }

    /// Calls `body` with each chunk in order.
    public mutating func forEachChunk(_ body: (ContiguousArray<Event>) throws -> Void) throws {
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        while try nextChunk(into: &chunk) { try body(chunk) }
    }
}

/// Chunk sizing shared by readers.
public enum EventChunk {
    /// Events per chunk: 64 Ki events = 1 MiB of `Event`s, large enough to
    /// amortise per-chunk work, small enough to stay in L2.
    public static let defaultCapacity = 65_536

    /// Makes `buffer` hold exactly `count` events, reusing its storage. A
    /// reader then stores through a pointer (no per-event append checks);
    /// when the count is unchanged, as for every full chunk, nothing is
    /// written, so the steady state has no fill pass.
    @inline(__always)
    public static func resize(_ buffer: inout ContiguousArray<Event>, to count: Int) {
        if buffer.count > count {
            buffer.removeLast(buffer.count - count)
        } else if buffer.count < count {
            buffer.append(contentsOf: repeatElement(Event(t: 0, x: 0, y: 0, polarity: 0), count: count - buffer.count))
        }
    }
}

/// An in-memory source, for tests and for recordings already decoded.
public struct ArrayEventSource: EventSource, Sendable {
    public let geometry: SensorGeometry
    public let name: String
    private let events: ContiguousArray<Event>
    private var position = 0
    private let chunkSize: Int

    public init(_ events: ContiguousArray<Event>, geometry: SensorGeometry = .nmnist, name: String = "<memory>", chunkSize: Int = EventChunk.defaultCapacity) {
        precondition(chunkSize > 0)
        self.events = events
        self.geometry = geometry
        self.name = name
        self.chunkSize = chunkSize
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        guard position < events.count else { return false }
        let end = min(events.count, position + chunkSize)
        buffer.append(contentsOf: events[position..<end])
        position = end
        return true
    }
}
