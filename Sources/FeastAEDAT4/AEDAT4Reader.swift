import FeastEvents

/// Streaming reader of AEDAT 4.0 files (`.aedat4`, `#!AER-DAT4.0`; iniVation
/// DV and dv-processing recordings).
///
/// Layout (docs.inivation.com, "AEDAT 4.0"): the 14-byte magic
/// `#!AER-DAT4.0\r\n`, a uint32 little-endian length and an `IOHE`
/// flatbuffer (compression, the file-data-table position, an XML
/// description of the streams); then packets, each an int32 stream id, an
/// int32 byte size and that many bytes: a size-prefixed flatbuffer,
/// compressed as one LZ4 or zstd frame when the header says so, up to the
/// file-data table (or the end). Event packets (`EVTS`) hold a vector of
/// 16-byte structs: int64 t (µs), int16 x, int16 y, bool on, 3 bytes
/// padding.
///
/// The first `EVTS` stream (lowest id) gives the events and the sensor size
/// (`sizeX` × `sizeY`, or `geometry`); packets of other streams — frames,
/// IMU samples, triggers, further event streams — are skipped and counted.
/// Memory: one packet at a time, compressed and decompressed (at most
/// ``maximumPacketBytes`` each); events leave in chunks of
/// `chunkCapacity`.
public struct AEDAT4Reader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public let compression: AEDAT4Compression
    /// Every stream the header declares, by id.
    public let streams: [AEDAT4Stream]
    /// The id of the event stream read.
    public let eventStreamID: Int
    public var name: String { input.name }
    public let chunkCapacity: Int
    public private(set) var skippedEvents: [String: Int] = [:]

    public static let magic = Array("#!AER-DAT4.0\r\n".utf8)
    /// Largest packet, compressed or not: a corrupt size must not ask for gigabytes.
    public static let maximumPacketBytes = 1 << 28
    /// Largest IOHeader accepted (DV's are a few kilobytes).
    public static let maximumHeaderBytes = 1 << 24
    static let eventBytes = 16

    private let input: ByteInput
    private let decompressor: PacketDecompressor
    /// The file-data table's offset (the packets end there), or -1.
    private let dataTablePosition: Int64
    /// The current packet as read, and decompressed.
    private var raw = [UInt8]()
    private var decompressed = [UInt8]()
    /// The current event packet: its file offset, its elements' position in
    /// the (decompressed) packet, and how many are still to decode.
    private var packetOffset = 0
    private var nextElement = 0
    private var remaining = 0

    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        self.chunkCapacity = chunkCapacity
        func bad(_ offset: Int, _ reason: String) -> FeastEventsError {
            .malformed(path: input.name, byteOffset: offset, format: .aedat4, reason: reason)
        }
        _ = try input.fill(atLeast: Self.magic.count + 4)
        guard input.available >= Self.magic.count,
              UnsafeRawBufferPointer(start: input.bytes, count: Self.magic.count).elementsEqual(Self.magic) else {
            let got = String(decoding: UnsafeRawBufferPointer(start: input.bytes, count: min(input.available, Self.magic.count)), as: UTF8.self)
            throw bad(0, "magic \(got.debugDescription); expected \"#!AER-DAT4.0\\r\\n\"")
        }
        guard input.available >= Self.magic.count + 4 else { throw bad(Self.magic.count, "the file ends before the IOHeader length (4 bytes)") }
        let length = Int(UInt32(littleEndian: input.bytes.loadUnaligned(fromByteOffset: Self.magic.count, as: UInt32.self)))
        guard length <= Self.maximumHeaderBytes else { throw bad(Self.magic.count, "IOHeader of \(length) bytes; at most \(Self.maximumHeaderBytes) expected") }
        input.consume(Self.magic.count + 4)
        var header = [UInt8]()
        try Self.read(length, from: input, into: &header, what: "the IOHeader")
        let headerStart = Self.magic.count + 4
        var compression = AEDAT4Compression.none
        var tablePosition: Int64 = -1
        var description = ""
        do {
            try header.withUnsafeBytes { bytes in
                let view = FlatBufferView(bytes: bytes)
                let table = try view.rootTable()
                if let f = try view.field(0, ofTable: table) {
                    let code = try view.int32(f)
                    guard let c = AEDAT4Compression(rawValue: Int32(code)) else {
                        throw FlatBufferView.Failure(offset: f, reason: "compression \(code); expected 0 (none), 1–2 (LZ4) or 3–4 (zstd)")
                    }
                    compression = c
                }
                if let f = try view.field(1, ofTable: table) { tablePosition = try view.int64(f) }
                guard let f = try view.field(2, ofTable: table) else {
                    throw FlatBufferView.Failure(offset: table, reason: "the IOHeader has no description (the XML that declares the streams)")
                }
                description = try view.string(at: f)
            }
        } catch let failure as FlatBufferView.Failure {
            throw bad(headerStart + failure.offset, "IOHeader: \(failure.reason)")
        }
        let streams: [AEDAT4Stream]
        do {
            streams = try AEDAT4Stream.parse(description: description)
        } catch {
            throw bad(headerStart, error.reason)
        }
        guard let events = streams.first(where: { $0.typeIdentifier == "EVTS" }) else {
            throw bad(headerStart, "no event stream (typeIdentifier EVTS) among the declared streams \(streams.map { "\($0.id) \($0.typeIdentifier)" }.joined(separator: ", "))")
        }
        guard let g = geometry ?? events.geometry else {
            throw FeastEventsError.missingGeometry(path: input.name, format: .aedat4, looked: "sizeX and sizeY in the info node of event stream \(events.id)")
        }
        self.geometry = g
        self.compression = compression
        self.streams = streams
        self.eventStreamID = events.id
        self.dataTablePosition = tablePosition
        self.decompressor = PacketDecompressor(compression: compression, maximumBytes: Self.maximumPacketBytes)
    }

    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    private func bad(_ offset: Int, _ reason: String) -> FeastEventsError {
        .malformed(path: input.name, byteOffset: offset, format: .aedat4, reason: reason)
    }

    /// Copies exactly `count` bytes from `input` into `output`.
    private static func read(_ count: Int, from input: ByteInput, into output: inout [UInt8], what: String) throws {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(count)
        let start = input.offset
        while output.count < count {
            _ = try input.fill(atLeast: 1)
            guard input.available > 0 else {
                throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .aedat4,
                                                 reason: "the file ends inside \(what) that starts at byte \(start) (\(output.count) of \(count) bytes)")
            }
            let n = min(count - output.count, input.available)
            output.append(contentsOf: UnsafeRawBufferPointer(start: input.bytes, count: n))
            input.consume(n)
        }
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        while remaining == 0 {
            guard try nextEventPacket() else { return false }
        }
        let count = min(remaining, chunkCapacity)
        buffer.reserveCapacity(count)
        let width = geometry.width, height = geometry.height
        let packet = compression == .none ? raw : decompressed
        try packet.withUnsafeBytes { bytes in
            var p = nextElement
            for _ in 0..<count {
                let t = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: Int64.self))
                let x = Int(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: p + 8, as: Int16.self)))
                let y = Int(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: p + 10, as: Int16.self)))
                guard x >= 0, x < width, y >= 0, y < height else {
                    throw bad(packetOffset, "event at x=\(x) y=\(y) (packet byte \(p), decompressed), outside the \(geometry) sensor")
                }
                guard t >= 0 else { throw bad(packetOffset, "event with negative timestamp \(t) µs (packet byte \(p), decompressed)") }
                buffer.append(Event(t: t, x: UInt16(x), y: UInt16(y), polarity: bytes[p + 12] != 0 ? 1 : 0))
                p += Self.eventBytes
            }
            nextElement = p
        }
        remaining -= count
        return true
    }

    /// Reads packets up to the next one of the event stream; false at the end.
    private mutating func nextEventPacket() throws -> Bool {
        while true {
            let at = input.offset
            if dataTablePosition >= 0 && Int64(at) >= dataTablePosition { return false }
            _ = try input.fill(atLeast: 8)
            if input.available == 0 {
                guard dataTablePosition < 0 else {
                    throw bad(at, "the file ends before the file-data table the IOHeader places at byte \(dataTablePosition)")
                }
                return false
            }
            guard input.available >= 8 else { throw bad(at, "packet header cut off after \(input.available) of 8 bytes") }
            let stream = Int(Int32(littleEndian: input.bytes.loadUnaligned(as: Int32.self)))
            let size = Int(Int32(littleEndian: input.bytes.loadUnaligned(fromByteOffset: 4, as: Int32.self)))
            guard size >= 0, size <= Self.maximumPacketBytes else {
                throw bad(at + 4, "packet of \(size) bytes; expected 0…\(Self.maximumPacketBytes)")
            }
            guard let declared = streams.first(where: { $0.id == stream }) else {
                throw bad(at, "packet of stream \(stream), which the header does not declare (streams \(streams.map { String($0.id) }.joined(separator: ", ")))")
            }
            input.consume(8)
            try Self.read(size, from: input, into: &raw, what: "the packet")
            let length: Int
            if compression == .none {
                length = raw.count
            } else {
                do {
                    length = try raw.withUnsafeBytes { try decompressor.decompress($0, into: &decompressed) }
                } catch let failure as PacketDecompressor.Failure {
                    throw bad(at + 8, "packet of stream \(stream): \(failure.reason)")
                }
            }
            let packet = compression == .none ? raw : decompressed
            let (start, count) = try packet.withUnsafeBytes { whole in
                try parse(UnsafeRawBufferPointer(rebasing: whole[0..<length]), stream: declared, at: at)
            }
            if declared.id != eventStreamID || declared.typeIdentifier != "EVTS" {
                let kind = declared.typeIdentifier == "EVTS" ? "events of stream \(declared.id)" : Self.kindNames[declared.typeIdentifier] ?? "\(declared.typeIdentifier) element"
                skippedEvents[kind, default: 0] += count
                continue
            }
            packetOffset = at
            nextElement = start
            remaining = count
            if count > 0 { return true }
        }
    }

    static let kindNames = ["FRME": "frame", "IMUS": "IMU sample", "TRIG": "trigger"]

    /// Checks a packet's size prefix and identifier; the position and count
    /// of its elements (a frame counts as one).
    private func parse(_ bytes: UnsafeRawBufferPointer, stream: AEDAT4Stream, at: Int) throws -> (Int, Int) {
        guard bytes.count >= 12 else { throw bad(at + 8, "packet of stream \(stream.id): \(bytes.count) bytes; a size-prefixed flatbuffer needs at least 12") }
        let prefix = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard prefix <= bytes.count - 4 else {
            throw bad(at + 8, "packet of stream \(stream.id): size prefix \(prefix) exceeds the \(bytes.count - 4) bytes that follow it")
        }
        let identifier = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[8..<12]), as: UTF8.self)
        guard identifier == stream.typeIdentifier else {
            throw bad(at + 8, "packet of stream \(stream.id) has identifier \(identifier.debugDescription); expected \(stream.typeIdentifier.debugDescription) as the header declares")
        }
        if stream.typeIdentifier == "FRME" { return (0, 1) }
        // Only events are decoded; other vectors are only counted (size 1: a bound, not their layout).
        let elementSize = stream.typeIdentifier == "EVTS" ? Self.eventBytes : 1
        do {
            // Offsets inside the flatbuffer count from after the size prefix.
            let view = FlatBufferView(bytes: UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + prefix)]))
            let table = try view.rootTable()
            guard let field = try view.field(0, ofTable: table) else { return (0, 0) }
            let (start, count) = try view.vector(at: field, elementSize: elementSize)
            return (start + 4, count)
        } catch let failure as FlatBufferView.Failure {
            throw bad(at + 8, "packet of stream \(stream.id): \(failure.reason) (decompressed offset \(failure.offset + 4))")
        }
    }
}
