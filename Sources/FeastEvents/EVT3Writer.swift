/// Writes events as a Prophesee EVT 3.0 RAW stream (see ``EVT3Reader``).
///
/// Header: `% evt 3.0`, `% format EVT3;height=H;width=W`, `% geometry WxH`,
/// `% end`. Words: one EVT_TIME_HIGH 0 first; then per event an EVT_TIME_LOW
/// when t changes, EVT_TIME_HIGH words when its bits 23..12 change, an
/// EVT_ADDR_Y when y changes, and an EVT_ADDR_X (no vectors).
///
/// TIME_HIGH advances by at most 2047 per word and crosses every 2^24 µs
/// wrap as 0xFFF then 0x000, the one step back every reader (faery,
/// Metavision, a half-range rule) takes for a wrap, so any gap and any
/// number of wraps round-trip exactly. A gap of T µs costs about
/// T / 8.4 s words (2 bytes each). Timestamps must be ≥ 0 and
/// non-decreasing; addresses inside the geometry and below 2048.
public struct EVT3Writer: EventSink {
    private let output: ByteOutput
    public let geometry: SensorGeometry
    private var headerWritten = false
    private var eventIndex = 0
    /// Time of the last event, µs (-1: none yet).
    private var lastT: Int64 = -1
    /// Absolute TIME_HIGH written last (t >> 12, not wrapped).
    private var high: Int64 = 0
    private var lastY = -1

    /// Largest TIME_HIGH step per word.
    static let maximumHighStep: Int64 = 2047

    public init(output: ByteOutput, geometry: SensorGeometry) {
        self.output = output
        self.geometry = geometry
    }

    /// Writes to `path` atomically (`-` = stdout).
    public init(path: String, geometry: SensorGeometry) throws {
        self.init(output: try ByteOutput(path: path), geometry: geometry)
    }

    private mutating func writeHeader() throws {
        try output.write(PropheseeHeader.text(evt: "3.0", formatName: "EVT3", geometry: geometry))
        var first = UInt16(0x8000).littleEndian
        try withUnsafeBytes(of: &first) { try output.write($0) }
        headerWritten = true
    }

    public mutating func write(_ events: ContiguousArray<Event>) throws {
        if !headerWritten { try writeHeader() }
        let limits = RAWWordFormat.EncodingLimits(formatName: "EVT 3.0", geometry: geometry)
        let output = self.output
        var next = 0
        let count = events.count
        try events.withUnsafeBufferPointer { src in
            while next < count {
                // Per event at most: 4 words of time plus Y and X.
                try output.withSpace(minimum: 64) { raw, space in
                    let capacity = space / 2
                    var used = 0
                    while next < count && used + 8 <= capacity {
                        let e = src[next]
                        try limits.checkAddress(e, path: output.name, eventIndex: eventIndex + next)
                        if e.t != lastT {
                            try limits.checkTime(e.t, after: lastT, path: output.name, eventIndex: eventIndex + next)
                            let target = e.t >> 12
                            var wroteHigh = false
                            while high < target && used + 4 <= capacity {
                                var step = min(target, high + EVT3Writer.maximumHighStep)
                                if step >> 12 != high >> 12 {
                                    // Cross the wrap as 0xFFF -> 0x000.
                                    step = high & 0xFFF == 0xFFF ? high + 1 : high | 0xFFF
                                }
                                high = step
                                raw.storeBytes(of: ((0x8000 | UInt16(truncatingIfNeeded: high & 0xFFF))).littleEndian, toByteOffset: used * 2, as: UInt16.self)
                                used += 1
                                wroteHigh = true
                            }
                            if high < target { break }  // more TIME_HIGH words in the next buffer
                            let lowBits = UInt16(truncatingIfNeeded: e.t & 0xFFF)
                            if wroteHigh || lastT < 0 || lowBits != UInt16(truncatingIfNeeded: lastT & 0xFFF) {
                                raw.storeBytes(of: ((0x6000 | lowBits)).littleEndian, toByteOffset: used * 2, as: UInt16.self)
                                used += 1
                            }
                            lastT = e.t
                        }
                        if Int(e.y) != lastY {
                            raw.storeBytes(of: (UInt16(e.y)).littleEndian, toByteOffset: used * 2, as: UInt16.self)
                            used += 1
                            lastY = Int(e.y)
                        }
                        raw.storeBytes(of: ((0x2000 | (e.polarity != 0 ? 0x0800 : 0) | e.x)).littleEndian, toByteOffset: used * 2, as: UInt16.self)
                        used += 1
                        next += 1
                    }
                    return used * 2
                }
            }
        }
        eventIndex += count
    }

    public mutating func finish() throws {
        if !headerWritten { try writeHeader() }
        try output.finish()
    }
}
