/// Writes Event Stream 2.0.0 DVS files (see ``EventStreamReader`` for the
/// layout): the sensor size in the header, 5 bytes an event plus one
/// `0xFF` byte per 127 µs of a gap, y stored from the bottom row
/// (`y_file = height − 1 − y`).
///
/// Timestamps must be ≥ 0 and non-decreasing (the format stores
/// differences); time starts at 0, so a first event at t µs costs t / 127
/// overflow bytes. Addresses must lie on the sensor.
public struct EventStreamWriter: EventSink {
    private let output: ByteOutput
    public let geometry: SensorGeometry
    private var t: Int64 = 0
    private var eventIndex = 0

    public init(output: ByteOutput, geometry: SensorGeometry) throws {
        precondition(geometry.width <= 65_535 && geometry.height <= 65_535)
        self.output = output
        self.geometry = geometry
        var header = EventStreamReader.magic + [2, 0, 0, 1]
        header += [UInt8(geometry.width & 0xFF), UInt8(geometry.width >> 8), UInt8(geometry.height & 0xFF), UInt8(geometry.height >> 8)]
        try header.withUnsafeBytes { try output.write($0) }
    }

    /// Writes to `path` atomically (`-` = stdout).
    public init(path: String, geometry: SensorGeometry) throws {
        try self.init(output: try ByteOutput(path: path), geometry: geometry)
    }

    public mutating func write(_ events: ContiguousArray<Event>) throws {
        let output = self.output
        let width = geometry.width, height = geometry.height
        var next = 0
        let count = events.count
        try events.withUnsafeBufferPointer { src in
            while next < count {
                // An event with a long gap may need many overflow bytes: write
                // them in runs that fit, then the event.
                try output.withSpace(minimum: 64) { raw, space in
                    let dst = raw.assumingMemoryBound(to: UInt8.self)
                    var used = 0
                    while next < count && used + 5 <= space {
                        let e = src[next]
                        if _slowPath(e.t < t || Int(e.x) >= width || Int(e.y) >= height) {
                            try check(e, index: eventIndex &+ next)
                        }
                        var delta = e.t &- t
                        if _slowPath(delta >= 127) {
                            let overflows = Int(min(delta / 127, Int64(space - used - 5)))
                            if overflows > 0 {
                                (dst + used).update(repeating: 0xFF, count: overflows)
                                used += overflows
                                t &+= Int64(overflows) &* 127
                                delta = e.t &- t
                            }
                            if delta >= 127 { break }  // the rest in the next buffer
                        }
                        dst[used] = UInt8(truncatingIfNeeded: delta << 1) | (e.polarity & 1)
                        let yFile = height - 1 - Int(e.y)
                        dst[used + 1] = UInt8(truncatingIfNeeded: e.x)
                        dst[used + 2] = UInt8(truncatingIfNeeded: e.x >> 8)
                        dst[used + 3] = UInt8(truncatingIfNeeded: yFile)
                        dst[used + 4] = UInt8(truncatingIfNeeded: yFile >> 8)
                        used += 5
                        t = e.t
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
            throw FeastEventsError.timestampNotEncodable(path: output.name, eventIndex: index, t: e.t, reason: "Event Stream timestamps must be ≥ 0 µs")
        }
        if e.t < t {
            throw FeastEventsError.timestampNotEncodable(path: output.name, eventIndex: index, t: e.t, reason: "earlier than the previous event (\(t) µs); Event Stream stores time differences, so timestamps must not decrease")
        }
        throw FeastEventsError.addressNotEncodable(path: output.name, eventIndex: index, x: Int(e.x), y: Int(e.y), reason: "outside the \(geometry) sensor of the Event Stream header")
    }

    public mutating func finish() throws {
        try output.finish()
    }
}
