/// Streaming reader of Prophesee DAT files (`.dat`).
///
/// After the `%` header (``PropheseeHeader``; geometry from `% Width` /
/// `% Height` or `% geometry`): 1 byte event type (`0x0C` CD, `0x00` 2D
/// event, both read as polarity events; `0x0E` external triggers are
/// skipped and counted), 1 byte event size (must be 8), then 8-byte
/// records of two little-endian uint32: the timestamp in µs, then (DAT
/// version 2, the default) x in bits 13..0, y in bits 27..14, polarity in
/// bits 31..28 — or (`% Version 1`) x in bits 8..0, y in bits 16..9,
/// polarity in bits 20..17. Polarity is 1 when those bits are non-zero (as
/// faery reads it).
///
/// Time, µs, exactly as faery 0.7.1: a timestamp more than 2^31 µs below
/// the running time is a wrap (+2^32 µs); a smaller step back is clamped
/// (the event keeps the running time), so time never decreases.
/// `% t0` in the header is added.
///
/// Errors: a missing or unknown type/size pair, a partial record at the
/// end (malformed, with its offset), an address outside the geometry.
public struct DATReader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public var name: String { input.name }
    public let header: PropheseeHeader
    public let chunkCapacity: Int
    /// The event type byte (0x0C, 0x00 or 0x0E).
    public let eventType: UInt8
    private let input: ByteInput
    private var t: Int64 = 0
    private var wrapOffset: Int64 = 0
    private var recordIndex = 0
    private var triggers = 0

    public var skippedEvents: [String: Int] { triggers > 0 ? ["EXT_TRIGGER": triggers] : [:] }

    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        header = try PropheseeHeader.read(from: input, format: .dat)
        if let v = header.evtVersion {
            throw FeastEventsError.malformed(path: input.name, byteOffset: 0, format: .dat, reason: "the header says the data is \(v) ('% evt' / '% format' line); expected a DAT header (% Width, % Height, % Version)")
        }
        guard try input.fill(atLeast: 2) else {
            throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .dat, reason: "the file ends after the header; expected 2 bytes (event type, event size) after the '%' lines")
        }
        let type = input.bytes.load(as: UInt8.self)
        let size = input.bytes.load(fromByteOffset: 1, as: UInt8.self)
        guard type == 0x0C || type == 0x00 || type == 0x0E else {
            throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .dat, reason: "event type 0x\(String(type, radix: 16, uppercase: true)); expected 0x0C (CD), 0x00 (2D) or 0x0E (trigger)")
        }
        guard size == 8 else {
            throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset + 1, format: .dat, reason: "event size \(size); expected 8 bytes")
        }
        eventType = type
        if type == 0x0E {
            self.geometry = geometry ?? header.geometry ?? SensorGeometry(width: 1, height: 1)
        } else {
            self.geometry = try header.resolveGeometry(geometry, path: input.name, format: .dat)
        }
        input.consume(2)
        self.chunkCapacity = min(chunkCapacity, max(1, input.bufferCapacity / 8))
    }

    /// Opens `path` (`-` = stdin).
    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        while true {
            if input.available < 8 {
                _ = try input.fill(atLeast: 8)
                if input.available < 8 {
                    if input.available > 0 {
                        throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .dat, reason: "\(input.available) trailing byte(s) do not form a whole 8-byte event; expected whole events")
                    }
                    buffer.removeAll(keepingCapacity: true)
                    return false
                }
            }
            let records = min(input.available / 8, chunkCapacity)
            if eventType == 0x0E {
                // Triggers: only their time is followed (none is an event).
                let src = input.bytes
                for r in 0..<records { advance(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: r * 8, as: UInt32.self))) }
                triggers += records
                recordIndex += records
                input.consume(records * 8)
                continue
            }
            try decode(records: records, into: &buffer)
            input.consume(records * 8)
            return true
        }
    }

    private mutating func advance(_ low: UInt32) {
        let c = Int64(low) | wrapOffset
        if c < t {
            if t - c > (1 << 31) {
                wrapOffset += 1 << 32
                t = c + (1 << 32)
            }
        } else {
            t = c
        }
    }

    private mutating func decode(records: Int, into buffer: inout ContiguousArray<Event>) throws {
        EventChunk.resize(&buffer, to: records)
        let src = input.bytes
        let width = geometry.width, height = geometry.height
        let t0 = header.t0
        let v1 = header.datVersion == 1
        let (xMask, yShift, yMask, pShift): (UInt32, UInt32, UInt32, UInt32) = v1 ? (0x1FF, 9, 0xFF, 17) : (0x3FFF, 14, 0x3FFF, 28)
        var t = self.t, wrapOffset = self.wrapOffset
        var bad = -1
        var badXY = (0, 0)
        buffer.withUnsafeMutableBufferPointer { out in
            let dst = out.baseAddress!
            for r in 0..<records {
                let low = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: r &* 8, as: UInt32.self))
                let w = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: r &* 8 &+ 4, as: UInt32.self))
                let c = Int64(low) | wrapOffset
                if _fastPath(c >= t) {
                    t = c
                } else if t &- c > (1 << 31) {
                    wrapOffset &+= 1 << 32
                    t = c &+ (1 << 32)
                }
                let x = Int(w & xMask), y = Int((w >> yShift) & yMask)
                if _slowPath(x >= width || y >= height) { bad = r; badXY = (x, y); break }
                let p: UInt8 = (w >> pShift) & 0xF != 0 ? 1 : 0
                dst[r] = Event(t: t &+ t0, x: UInt16(truncatingIfNeeded: x), y: UInt16(truncatingIfNeeded: y), polarity: p)
            }
        }
        if bad >= 0 {
            throw FeastEventsError.addressOutsideGeometry(path: input.name, eventIndex: recordIndex + bad, x: badXY.0, y: badXY.1, geometry: geometry)
        }
        self.t = t
        self.wrapOffset = wrapOffset
        recordIndex += records
    }
}
