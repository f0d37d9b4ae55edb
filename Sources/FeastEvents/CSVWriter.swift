/// Writes events as CSV text: a header line (`t,x,y,p` or the given column
/// order), then one `\n`-terminated line per event, t in µs, p as 0/1.
public struct CSVWriter: EventSink {
    private let output: ByteOutput
    public let columns: CSVColumns
    private var wroteHeader = false

    /// Longest line: 20 chars of t, two 5-digit addresses, p, separators.
    private static let maxLine = 40

    public init(output: ByteOutput, columns: CSVColumns = .standard, header: Bool = true) {
        self.output = output
        self.columns = columns
        self.wroteHeader = !header
    }

    /// Writes to `path` atomically (`-` = stdout).
    public init(path: String, columns: CSVColumns = .standard, header: Bool = true) throws {
        self.init(output: try ByteOutput(path: path), columns: columns, header: header)
    }

    public mutating func write(_ events: ContiguousArray<Event>) throws {
        if !wroteHeader { try writeHeader() }
        let order = (columns.order[0], columns.order[1], columns.order[2], columns.order[3])
        let output = self.output
        var next = 0
        let count = events.count
        try events.withUnsafeBufferPointer { src in
            while next < count {
                try output.withSpace(minimum: CSVWriter.maxLine) { raw, space in
                    let dst = raw.assumingMemoryBound(to: UInt8.self)
                    var used = 0
                    while next < count && used + CSVWriter.maxLine <= space {
                        let e = src[next]
                        used = put(e, order.0, dst, used); dst[used] = 0x2C; used += 1
                        used = put(e, order.1, dst, used); dst[used] = 0x2C; used += 1
                        used = put(e, order.2, dst, used); dst[used] = 0x2C; used += 1
                        used = put(e, order.3, dst, used); dst[used] = 0x0A; used += 1
                        next += 1
                    }
                    return used
                }
            }
        }
    }

    private mutating func writeHeader() throws {
        wroteHeader = true
        try output.write(columns.description + "\n")
    }

    public mutating func finish() throws {
        if !wroteHeader { try writeHeader() }
        try output.finish()
    }
}

@inline(__always)
private func put(_ e: Event, _ field: CSVColumns.Field, _ dst: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
    switch field {
    case .t: return putInteger(e.t, dst, at)
    case .x: return putInteger(Int64(e.x), dst, at)
    case .y: return putInteger(Int64(e.y), dst, at)
    case .p: dst[at] = e.polarity != 0 ? 0x31 : 0x30; return at + 1
    }
}

/// Writes the decimal digits of `value` at `dst[at...]`; returns the end.
@inline(__always)
private func putInteger(_ value: Int64, _ dst: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
    var at = at
    var magnitude = value.magnitude
    if value < 0 { dst[at] = 0x2D; at += 1 }
    if magnitude < 10 { dst[at] = UInt8(truncatingIfNeeded: magnitude) &+ 0x30; return at + 1 }
    var digits = 0
    var probe = magnitude
    while probe > 0 { digits += 1; probe /= 10 }
    var i = at + digits - 1
    while magnitude > 0 {
        dst[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
        magnitude /= 10
        i -= 1
    }
    return at + digits
}
