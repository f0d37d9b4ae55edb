/// Streaming reader of N-MNIST `.bin` files (no header, 5 bytes an event).
///
/// Bytes of one 40-bit big-endian record: 0 = x, 1 = y, 2 bit 7 = polarity,
/// 2 bits 6..0 = t bits 22..16, 3 = t bits 15..8, 4 = t bits 7..0 (µs).
/// A record with y == 240 is an *overflow marker*: not an event; every
/// later timestamp gets +8,192 µs. Markers are dropped and counted.
///
/// Reads with `read(2)` through a ``ByteInput``, so pipes and any file size
/// run in constant memory; a record split across reads is decoded whole.
/// A file whose length is not a multiple of 5 is an error naming the byte
/// offset of the partial record, unless `lenient`, which keeps the whole
/// events and records the `trailingBytes` for a warning.
public struct NMNISTReader: EventSource, OverflowMarkerCounting {
    public let geometry: SensorGeometry
    public var name: String { input.name }
    /// Records per chunk.
    public let chunkCapacity: Int
    /// Keep whole events of a truncated file instead of throwing.
    public let lenient: Bool
    /// Overflow markers seen so far.
    public private(set) var overflowMarkers = 0
    /// Bytes of a trailing partial record ignored under `lenient` (0 otherwise).
    public private(set) var trailingBytes = 0
    private let input: ByteInput
    /// Sum of marker increments so far, µs.
    private var timeOffset: Int64 = 0
    /// Records decoded so far (markers included): the index of the next one.
    private var recordIndex = 0

    /// The µs added to later timestamps by each overflow marker.
    public static let overflowIncrement: Int64 = 8_192
    /// The y value that marks an overflow record.
    public static let overflowMarkerY: UInt8 = 240

    public init(input: ByteInput, geometry: SensorGeometry = .nmnist, lenient: Bool = false, chunkCapacity: Int = EventChunk.defaultCapacity) {
        precondition(chunkCapacity > 0)
        self.input = input
        self.geometry = geometry
        self.lenient = lenient
        self.chunkCapacity = min(chunkCapacity, input.bufferCapacity / 5)
    }

    /// Opens `path` (`-` = stdin).
    public init(path: String, geometry: SensorGeometry = .nmnist, lenient: Bool = false) throws {
        self.init(input: try ByteInput.open(path: path), geometry: geometry, lenient: lenient)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        while true {
            if input.available < 5 {
                _ = try input.fill(atLeast: 5)
                if input.available < 5 {
                    if input.available > 0 {
                        guard lenient else {
                            throw FeastEventsError.truncatedEvent(path: input.name, byteOffset: input.offset, trailingBytes: input.available)
                        }
                        trailingBytes = input.available
                        input.consume(input.available)
                    }
                    buffer.removeAll(keepingCapacity: true)
                    return false
                }
            }
            let records = min(input.available / 5, chunkCapacity)
            let produced = try decode(records: records, into: &buffer)
            input.consume(records * 5)
            if produced > 0 { return true }
            // A run of markers only: read on.
        }
    }

    /// Decodes `records` whole records at `input.bytes` into `buffer`
    /// (resized to the number of events), returning that number.
    private mutating func decode(records: Int, into buffer: inout ContiguousArray<Event>) throws -> Int {
        EventChunk.resize(&buffer, to: records)
        let src = input.bytes.assumingMemoryBound(to: UInt8.self)
        // Fast check against limits below the marker value; the slow path
        // tells markers from bad addresses (and allows y > 240 on tall sensors).
        let widthLimit = min(geometry.width, 256)
        let heightLimit = min(geometry.height, Int(NMNISTReader.overflowMarkerY))
        let width = geometry.width, height = geometry.height
        var offset = timeOffset
        var produced = 0
        var markers = 0
        var badRecord = -1
        buffer.withUnsafeMutableBufferPointer { out in
            let dst = out.baseAddress!
            var p = src
            for r in 0..<records {
                let x = p[0], y = p[1], b2 = p[2]
                if _slowPath(Int(y) >= heightLimit || Int(x) >= widthLimit) {
                    if y == NMNISTReader.overflowMarkerY {
                        offset &+= NMNISTReader.overflowIncrement
                        markers &+= 1
                        p += 5
                        continue
                    }
                    if Int(x) >= width || Int(y) >= height {
                        badRecord = r
                        break
                    }
                }
                let t = (Int64(b2 & 0x7F) << 16) | (Int64(p[3]) << 8) | Int64(p[4])
                dst[produced] = Event(t: t &+ offset, x: UInt16(x), y: UInt16(y), polarity: b2 >> 7)
                produced &+= 1
                p += 5
            }
        }
        if badRecord >= 0 {
            let record = src + badRecord * 5
            throw FeastEventsError.addressOutsideGeometry(path: input.name, eventIndex: recordIndex + badRecord, x: Int(record[0]), y: Int(record[1]), geometry: geometry)
        }
        timeOffset = offset
        overflowMarkers += markers
        recordIndex += records
        if produced < records { buffer.removeLast(records - produced) }
        return produced
    }
}

/// Sources that see timestamp-overflow markers report how many.
public protocol OverflowMarkerCounting {
    var overflowMarkers: Int { get }
}
