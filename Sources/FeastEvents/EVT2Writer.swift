/// Writes events as a Prophesee EVT 2.0 RAW stream (see ``EVT2Reader``).
///
/// Header: `% evt 2.0`, `% format EVT2;height=H;width=W`, `% geometry WxH`,
/// `% end`. Words: one EVT_TIME_HIGH 0 first; an EVT_TIME_HIGH whenever t
/// bits 33..6 change; one CD_ON/CD_OFF word per event. Each 2^34 µs wrap is
/// crossed as TIME_HIGH 0xFFFFFFF then 0x0000000, which every reader takes
/// for a wrap, so long recordings round-trip exactly (2 words per 4.8 h of
/// gap). Timestamps must be ≥ 0 and non-decreasing; addresses inside the
/// geometry and below 2048.
public struct EVT2Writer: EventSink {
    private let output: ByteOutput
    public let geometry: SensorGeometry
    private var headerWritten = false
    private var eventIndex = 0
    private var lastT: Int64 = -1
    /// Absolute TIME_HIGH written last (t >> 6, not wrapped).
    private var high: Int64 = 0

    public init(output: ByteOutput, geometry: SensorGeometry) {
        self.output = output
        self.geometry = geometry
    }

    /// Writes to `path` atomically (`-` = stdout).
    public init(path: String, geometry: SensorGeometry) throws {
        self.init(output: try ByteOutput(path: path), geometry: geometry)
    }

    private mutating func writeHeader() throws {
        try output.write(PropheseeHeader.text(evt: "2.0", formatName: "EVT2", geometry: geometry))
        var first = UInt32(0x8000_0000).littleEndian
        try withUnsafeBytes(of: &first) { try output.write($0) }
        headerWritten = true
    }

    public mutating func write(_ events: ContiguousArray<Event>) throws {
        if !headerWritten { try writeHeader() }
        let limits = RAWWordFormat.EncodingLimits(formatName: "EVT 2.0", geometry: geometry)
        let output = self.output
        var next = 0
        let count = events.count
        try events.withUnsafeBufferPointer { src in
            while next < count {
                try output.withSpace(minimum: 64) { raw, space in
                    let capacity = space / 4
                    var used = 0
                    func put(_ w: UInt32) {
                        raw.storeBytes(of: w.littleEndian, toByteOffset: used * 4, as: UInt32.self)
                        used += 1
                    }
                    while next < count && used + 4 <= capacity {
                        let e = src[next]
                        try limits.checkAddress(e, path: output.name, eventIndex: eventIndex + next)
                        if e.t != lastT {
                            try limits.checkTime(e.t, after: lastT, path: output.name, eventIndex: eventIndex + next)
                            let target = e.t >> 6
                            while high != target && used + 3 <= capacity {
                                if target >> 28 != high >> 28 {
                                    // Cross the wrap as 0xFFFFFFF -> 0.
                                    high = high & 0xFFF_FFFF == 0xFFF_FFFF ? high + 1 : high | 0xFFF_FFFF
                                } else {
                                    high = target
                                }
                                put(0x8000_0000 | UInt32(truncatingIfNeeded: high & 0xFFF_FFFF))
                            }
                            if high != target { break }
                            lastT = e.t
                        }
                        put((e.polarity != 0 ? 0x1000_0000 : 0) | UInt32(truncatingIfNeeded: e.t & 0x3F) << 22 | UInt32(e.x) << 11 | UInt32(e.y))
                        next += 1
                    }
                    return used * 4
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
