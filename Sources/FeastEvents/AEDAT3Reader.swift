/// Streaming reader of AEDAT 3.1 files (`.aedat`, `#!AER-DAT3.1`, jAER /
/// cAER / DV; the DVS Gesture dataset).
///
/// After the text header (up to `#!END-HEADER`), packets: a 28-byte
/// little-endian header (int16 eventType, int16 eventSource, int32
/// eventSize, int32 eventTSOffset, int32 eventTSOverflow, int32
/// eventCapacity, int32 eventNumber, int32 eventValid), then eventCapacity ×
/// eventSize bytes of events. Polarity events (type 1, 8 bytes): uint32
/// data (bit 0 valid, bit 1 polarity, y bits 16..2, x bits 31..17), int32
/// timestamp; the time is `eventTSOverflow << 31 | timestamp` µs. Invalid
/// events and packets of other types (special, frame, IMU, …) are skipped
/// and counted. A packet is read whole (at most ``maximumPacketBytes``).
///
/// The sensor comes from the header's `Source` line (DVS128, DAVIS240,
/// DAVIS346, …) or from `geometry`.
public struct AEDAT3Reader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public let header: AEDATHeader
    public var name: String { input.name }
    public let chunkCapacity: Int
    public private(set) var skippedEvents: [String: Int] = [:]
    private let input: ByteInput
    /// Events of the current polarity packet still to decode.
    private var pending = 0
    private var overflow: Int64 = 0
    private var invalid = 0

    public static let packetHeaderBytes = 28
    /// Largest packet accepted: a corrupt size field must not ask for gigabytes.
    public static let maximumPacketBytes = 1 << 28
    static let typeNames = [0: "special", 2: "frame", 3: "IMU6", 4: "IMU9", 5: "sample", 6: "ear", 7: "config", 8: "point1D", 9: "point2D", 10: "point3D", 11: "point4D", 12: "spike"]

    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        self.chunkCapacity = min(chunkCapacity, input.bufferCapacity / 8)
        header = try AEDATHeader.read(from: input, format: .aedat3, endMarker: "!END-HEADER")
        if let first = header.lines.first, !first.hasPrefix("!AER-DAT3") {
            throw FeastEventsError.malformed(path: input.name, byteOffset: 0, format: .aedat3, reason: "first line '#\(first)'; expected '#!AER-DAT3.1'")
        }
        guard let g = geometry ?? header.sensor?.geometry else {
            throw FeastEventsError.missingGeometry(path: input.name, format: .aedat3, looked: "a '#Source' line naming DVS128, DAVIS240, DAVIS346 or DAVIS640")
        }
        self.geometry = g
    }

    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    private func bad(_ offset: Int, _ reason: String) -> FeastEventsError {
        .malformed(path: input.name, byteOffset: offset, format: .aedat3, reason: reason)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        while buffer.isEmpty {
            if pending == 0 {
                guard try nextPolarityPacket() else { break }
                continue
            }
            _ = try input.fill(atLeast: 8)
            let whole = min(pending, input.available / 8, chunkCapacity)
            guard whole > 0 else {
                throw bad(input.offset, "the file ends inside a polarity packet (\(pending) events of 8 bytes missing)")
            }
            try decode(whole, into: &buffer)
            input.consume(whole * 8)
            pending -= whole
            if pending == 0 && padding > 0 {
                try skip(padding, packetAt: packetStart)
                padding = 0
            }
        }
        if invalid > 0 { skippedEvents["invalid polarity event"] = invalid }
        return !buffer.isEmpty
    }

    /// Skips packets up to the next polarity packet with events; false at the end.
    private mutating func nextPolarityPacket() throws -> Bool {
        while true {
            _ = try input.fill(atLeast: Self.packetHeaderBytes)
            let n = input.available
            if n == 0 { return false }
            let at = input.offset
            guard n >= Self.packetHeaderBytes else { throw bad(at, "packet header cut off after \(n) of 28 bytes") }
            let p = input.bytes
            func int32(_ o: Int) -> Int { Int(Int32(littleEndian: p.loadUnaligned(fromByteOffset: o, as: Int32.self))) }
            let type = Int(Int16(littleEndian: p.loadUnaligned(as: Int16.self)))
            let size = int32(4), tsOverflow = int32(12), capacity = int32(16), number = int32(20)
            guard size > 0, capacity >= 0, number >= 0, number <= capacity, tsOverflow >= 0 else {
                throw bad(at, "packet header: eventSize \(size), eventCapacity \(capacity), eventNumber \(number), eventTSOverflow \(tsOverflow); expected positive sizes and eventNumber ≤ eventCapacity")
            }
            let bytes = size * capacity
            guard bytes <= Self.maximumPacketBytes else {
                throw bad(at, "packet of \(bytes) bytes (eventSize \(size) × eventCapacity \(capacity)); at most \(Self.maximumPacketBytes) expected")
            }
            input.consume(Self.packetHeaderBytes)
            if type == 1 {
                guard size == 8 else { throw bad(at + 4, "polarity packet with eventSize \(size); expected 8") }
                overflow = Int64(tsOverflow) << 31
                // Slots beyond eventNumber are unused capacity (writers
                // usually set capacity = number): skipped after the events.
                pending = number
                padding = (capacity - number) * 8
                packetStart = at
                if pending > 0 { return true }
                try skip(padding, packetAt: at)
                padding = 0
                continue
            }
            skippedEvents[Self.typeNames[type] ?? "type \(type)", default: 0] += number
            try skip(bytes, packetAt: at)
        }
    }

    /// Unused bytes after the current polarity packet's events.
    private var padding = 0
    private var packetStart = 0

    private func skip(_ count: Int, packetAt: Int) throws {
        var rest = count
        while rest > 0 {
            _ = try input.fill(atLeast: 1)
            guard input.available > 0 else { throw bad(input.offset, "the file ends inside the packet that starts at byte \(packetAt) (\(rest) bytes missing)") }
            let n = min(rest, input.available)
            input.consume(n)
            rest -= n
        }
    }

    private mutating func decode(_ count: Int, into buffer: inout ContiguousArray<Event>) throws {
        buffer.reserveCapacity(buffer.count + count)
        let p = input.bytes
        let width = geometry.width, height = geometry.height
        for i in 0..<count {
            let data = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: UInt32.self))
            let stamp = Int64(Int32(littleEndian: p.loadUnaligned(fromByteOffset: i * 8 + 4, as: Int32.self)))
            if data & 1 == 0 { invalid &+= 1; continue }
            guard stamp >= 0 else { throw bad(input.offset + i * 8 + 4, "negative timestamp \(stamp); expected 0…2^31−1 µs") }
            let x = Int(data >> 17), y = Int((data >> 2) & 0x7FFF)
            guard x < width && y < height else {
                throw bad(input.offset + i * 8, "polarity event at x=\(x) y=\(y), outside the \(geometry) sensor")
            }
            buffer.append(Event(t: overflow | stamp, x: UInt16(x), y: UInt16(y), polarity: UInt8((data >> 1) & 1)))
        }
    }
}
