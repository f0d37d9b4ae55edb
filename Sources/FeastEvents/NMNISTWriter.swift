/// Writes events as an N-MNIST `.bin` stream (see ``NMNISTReader`` for the
/// byte layout).
///
/// Timestamps must be ≥ 0. The record holds 23 bits of t (< 8,388,608 µs);
/// later times are reached with overflow markers (y == 240), each adding
/// 8,192 µs for the reader, so long streams round-trip exactly. A marker is
/// written only when a timestamp does not fit otherwise, and markers only
/// move forward: an event earlier than the markers already written (a
/// timestamp going back by more than ~8.4 s) cannot be encoded and throws.
/// Each marker stands for 8,192 µs, so a jump of T µs costs T/8192 markers
/// (5 bytes each): fine for recordings, not for epoch-scale timestamps.
/// Addresses: x ≤ 255, y < 240.
public struct NMNISTWriter: EventSink {
    private let output: ByteOutput
    private var timeOffset: Int64 = 0
    private var eventIndex = 0
    /// Overflow markers written so far.
    public private(set) var overflowMarkers = 0

    /// Largest timestamp a record holds relative to the marker offset.
    public static let maxRecordTime: Int64 = (1 << 23) - 1

    public init(output: ByteOutput) {
        self.output = output
    }

    /// Writes to `path` atomically (`-` = stdout).
    public init(path: String) throws {
        self.init(output: try ByteOutput(path: path))
    }

    public mutating func write(_ events: ContiguousArray<Event>) throws {
        var next = 0
        let count = events.count
        let output = self.output
        try events.withUnsafeBufferPointer { src in
            while next < count {
                try output.withSpace(minimum: 5) { raw, space in
                    let dst = raw.assumingMemoryBound(to: UInt8.self)
                    var used = 0
                    while next < count && used + 5 <= space {
                        let e = src[next]
                        var rel = e.t &- timeOffset
                        if _slowPath(rel < 0 || rel > NMNISTWriter.maxRecordTime || e.x > 255 || e.y >= 240) {
                            try check(e, index: eventIndex &+ next)
                            if rel > NMNISTWriter.maxRecordTime {
                                // One marker per pass, so space is re-checked.
                                dst[used] = 0; dst[used + 1] = 240; dst[used + 2] = 0; dst[used + 3] = 0; dst[used + 4] = 0
                                used += 5
                                timeOffset &+= NMNISTReader.overflowIncrement
                                overflowMarkers &+= 1
                                continue
                            }
                            rel = e.t &- timeOffset
                        }
                        dst[used] = UInt8(truncatingIfNeeded: e.x)
                        dst[used + 1] = UInt8(truncatingIfNeeded: e.y)
                        dst[used + 2] = (e.polarity != 0 ? 0x80 : 0) | UInt8(truncatingIfNeeded: rel >> 16)
                        dst[used + 3] = UInt8(truncatingIfNeeded: rel >> 8)
                        dst[used + 4] = UInt8(truncatingIfNeeded: rel)
                        used += 5
                        next += 1
                    }
                    return used
                }
            }
        }
        eventIndex += count
    }

    private func check(_ e: Event, index: Int) throws {
        if e.t < 0 {
            throw FeastEventsError.timestampNotEncodable(path: output.name, eventIndex: index, t: e.t, reason: "N-MNIST .bin timestamps must be ≥ 0 µs")
        }
        if e.t < timeOffset {
            throw FeastEventsError.timestampNotEncodable(path: output.name, eventIndex: index, t: e.t, reason: "earlier than \(timeOffset) µs, where overflow markers already written put the .bin clock (timestamps may go back by at most 8,388,607 µs)")
        }
        if e.x > 255 || e.y >= 240 {
            throw FeastEventsError.addressNotEncodable(path: output.name, eventIndex: index, x: Int(e.x), y: Int(e.y), reason: "N-MNIST .bin holds x ≤ 255 and y < 240")
        }
    }

    public mutating func finish() throws {
        try output.finish()
    }
}
