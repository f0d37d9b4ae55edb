/// Streaming reader of jAER AEDAT 2.0 files (`.aedat`, `#!AER-DAT2.0`).
///
/// After the `#` header (``AEDATHeader``), 8-byte big-endian records:
/// int32 address, int32 timestamp (µs). The address layout is the chip's
/// (``AEDATHeader/ChipLayout``): DVS128 or DAVIS (DAVIS240/346/640). DAVIS
/// APS and IMU samples (bit 31) and external events are skipped and
/// counted. Coordinates are decoded as jAER's extractors do (DVS128 flips x).
/// Timestamps are 32-bit: a step back of more than 2^31 µs is a wrap and
/// adds 2^32 µs; smaller steps back are kept as they are (`feast info
/// --strict` reports them).
///
/// The sensor comes from the header's `AEChip`/`HardwareInterface` line or
/// from `geometry` (128×128 reads the DVS128 layout, any other size DAVIS).
public struct AEDAT2Reader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public let layout: AEDATHeader.ChipLayout
    public let header: AEDATHeader
    public var name: String { input.name }
    public let chunkCapacity: Int
    public private(set) var skippedEvents: [String: Int] = [:]
    private let input: ByteInput
    private var last: UInt32 = 0
    private var high: Int64 = 0
    private var started = false
    private var aps = 0, special = 0
    private var recordIndex = 0

    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        self.chunkCapacity = min(chunkCapacity, input.bufferCapacity / 8)
        header = try AEDATHeader.read(from: input, format: .aedat2, endMarker: nil)
        if let first = header.lines.first, !first.hasPrefix("!AER-DAT2") {
            throw FeastEventsError.malformed(path: input.name, byteOffset: 0, format: .aedat2, reason: "first line '#\(first)'; expected '#!AER-DAT2.0'")
        }
        if let named = header.sensor {
            self.geometry = geometry ?? named.geometry
            layout = named.layout
        } else if let geometry {
            self.geometry = geometry
            layout = geometry == SensorGeometry(width: 128, height: 128) ? .dvs128 : .davis
        } else {
            throw FeastEventsError.missingGeometry(path: input.name, format: .aedat2, looked: "an AEChip or HardwareInterface line naming DVS128, DAVIS240, DAVIS346 or DAVIS640")
        }
    }

    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        while buffer.isEmpty {
            if input.available < 8 {
                _ = try input.fill(atLeast: 8)
                if input.available < 8 {
                    if input.available > 0 {
                        throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .aedat2,
                                                         reason: "\(input.available) trailing bytes do not form a whole 8-byte event")
                    }
                    break
                }
            }
            let records = min(input.available / 8, chunkCapacity)
            try decode(records: records, into: &buffer)
            input.consume(records * 8)
            recordIndex += records
        }
        if aps > 0 { skippedEvents["APS/IMU sample"] = aps }
        if special > 0 { skippedEvents["external event"] = special }
        return !buffer.isEmpty
    }

    private mutating func decode(records: Int, into buffer: inout ContiguousArray<Event>) throws {
        buffer.reserveCapacity(records)
        let p = input.bytes
        let width = geometry.width, height = geometry.height
        let dvs128 = layout == .dvs128
        for r in 0..<records {
            let address = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: r * 8, as: UInt32.self))
            let stamp = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: r * 8 + 4, as: UInt32.self))
            // Time first: skipped samples carry the clock too.
            if started && stamp < last && last &- stamp > 1 << 31 { high &+= 1 << 32 }
            started = true
            last = stamp
            let x: Int, y: Int, on: UInt8
            if dvs128 {
                if address & 0x8000 != 0 { special &+= 1; continue }
                x = 127 - Int((address >> 1) & 0x7F)
                y = Int((address >> 8) & 0x7F)
                on = address & 1 == 0 ? 1 : 0
            } else {
                if address & 0x8000_0000 != 0 { aps &+= 1; continue }
                if address & 0x400 != 0 { special &+= 1; continue }
                x = Int((address >> 12) & 0x3FF)
                y = Int((address >> 22) & 0x1FF)
                on = UInt8((address >> 11) & 1)
            }
            guard x < width && y < height else {
                throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset + r * 8, format: .aedat2,
                                                 reason: "address 0x\(String(address, radix: 16)) decodes to x=\(x) y=\(y), outside the \(geometry) sensor")
            }
            buffer.append(Event(t: high &+ Int64(stamp), x: UInt16(x), y: UInt16(y), polarity: on))
        }
    }
}
