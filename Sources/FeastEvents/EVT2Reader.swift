/// Streaming reader of Prophesee EVT 2.0 RAW files (`.raw`).
///
/// After the `%` header (``PropheseeHeader``): 32-bit little-endian words,
/// type in bits 31..28:
/// - `0x0` CD_OFF / `0x1` CD_ON: t bits 5..0 in bits 27..22, x in bits
///   21..11, y in bits 10..0;
/// - `0x8` EVT_TIME_HIGH: t bits 33..6 in bits 27..0;
/// - `0xA` EXT_TRIGGER (its 6-bit time counts like a CD event's, as in
///   faery), `0xE` OTHERS, `0xF` CONTINUED and unassigned types: skipped
///   and counted (``skippedEvents``).
///
/// Time, µs: the 34-bit time extends across wraps to a monotonic Int64.
/// A TIME_HIGH going back by more than half its range (2^27 steps of 64 µs)
/// is a wrap (+2^34 µs), as in faery and Metavision. A TIME_HIGH going back
/// by less is neither on any camera nor in files faery writes: faery would
/// add 2^34 µs (4.8 hours) there and Metavision would let time go back;
/// this reader ignores the word and counts it as `EVT_TIME_HIGH backwards`.
/// As in faery, an event gets the largest time seen so far (t never
/// decreases). Before the first TIME_HIGH the high bits are 0. `% t0` in
/// the header is added.
///
/// Errors: an address outside the geometry, 1–3 trailing bytes (malformed,
/// with their offset).
public struct EVT2Reader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public var name: String { input.name }
    public let header: PropheseeHeader
    public let chunkCapacity: Int
    private let input: ByteInput

    private var t: Int64 = 0
    /// Last accepted TIME_HIGH payload (28 bits).
    private var timeHigh: UInt32 = 0
    /// Wraps so far × 2^34 µs.
    private var wrapOffset: Int64 = 0
    private var eventIndex = 0
    private var typeCounts = RAWWordFormat.SkippedTypes(names: EVT2Reader.typeNames)
    private var backwardsTimeHigh = 0

    private static let typeNames: [Int: String] = [
        0x2: "RESERVED_0x2", 0x3: "RESERVED_0x3", 0x4: "RESERVED_0x4", 0x5: "RESERVED_0x5", 0x6: "RESERVED_0x6",
        0x7: "RESERVED_0x7", 0x9: "RESERVED_0x9", 0xA: "EXT_TRIGGER", 0xB: "RESERVED_0xB", 0xC: "RESERVED_0xC",
        0xD: "RESERVED_0xD", 0xE: "OTHERS", 0xF: "CONTINUED",
    ]

    public var skippedEvents: [String: Int] {
        var result = typeCounts.byName
        if backwardsTimeHigh > 0 { result["EVT_TIME_HIGH backwards"] = backwardsTimeHigh }
        return result
    }

    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        (header, self.geometry) = try RAWWordFormat.readHeader(from: input, format: .evt2, version: "EVT2", geometry: geometry)
        self.chunkCapacity = chunkCapacity
    }

    /// Opens `path` (`-` = stdin).
    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        EventChunk.resize(&buffer, to: chunkCapacity)
        var produced = 0
        while produced < chunkCapacity {
            if input.available < 4 {
                _ = try input.fill(atLeast: 4)
                if input.available < 4 {
                    if input.available > 0 {
                        throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .evt2, reason: "\(input.available) trailing byte(s) do not form a whole 32-bit word; expected the data to be 32-bit words")
                    }
                    break
                }
            }
            produced = try decode(into: &buffer, produced: produced)
        }
        if produced < buffer.count { buffer.removeLast(buffer.count - produced) }
        return produced > 0
    }

    private mutating func decode(into buffer: inout ContiguousArray<Event>, produced start: Int) throws -> Int {
        let words = input.available / 4
        let src = input.bytes
        let width = geometry.width, height = geometry.height
        let capacity = chunkCapacity
        let t0 = header.t0
        var t = self.t, timeHigh = self.timeHigh, wrapOffset = self.wrapOffset
        var high = wrapOffset | (Int64(timeHigh) << 6)
        var produced = start
        var i = 0
        var bad: (x: Int, y: Int)? = nil
        var counts = (trigger: 0, others: 0, continued: 0, backwards: 0, reserved: 0)
        buffer.withUnsafeMutableBufferPointer { out in
            let dst = out.baseAddress!
            while i < words && produced < capacity {
                let w = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                i &+= 1
                let type = w >> 28
                if type <= 1 {
                    let c = high | Int64((w >> 22) & 0x3F)
                    if c > t { t = c }
                    let x = Int((w >> 11) & 0x7FF), y = Int(w & 0x7FF)
                    if _slowPath(x >= width || y >= height) { bad = (x, y); i &-= 1; return }
                    dst[produced] = Event(t: t &+ t0, x: UInt16(truncatingIfNeeded: x), y: UInt16(truncatingIfNeeded: y), polarity: UInt8(truncatingIfNeeded: type))
                    produced &+= 1
                    continue
                }
                switch type {
                case 0x8:
                    let v = w & 0xFFF_FFFF
                    if v < timeHigh {
                        if timeHigh &- v > (1 << 27) {
                            wrapOffset &+= 1 << 34
                        } else {
                            counts.backwards &+= 1
                            continue
                        }
                    }
                    timeHigh = v
                    high = wrapOffset | (Int64(v) << 6)
                case 0xA:
                    let c = high | Int64((w >> 22) & 0x3F)
                    if c > t { t = c }
                    counts.trigger &+= 1
                case 0xE: counts.others &+= 1
                case 0xF: counts.continued &+= 1
                default: counts.reserved &+= 1
                }
            }
        }
        typeCounts[0xA] += counts.trigger
        typeCounts[0xE] += counts.others
        typeCounts[0xF] += counts.continued
        backwardsTimeHigh += counts.backwards
        if let bad {
            throw FeastEventsError.addressOutsideGeometry(path: input.name, eventIndex: eventIndex + produced - start, x: bad.x, y: bad.y, geometry: geometry)
        }
        if counts.reserved > 0 {
            for j in 0..<i {
                let type = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: j * 4, as: UInt32.self)) >> 28)
                if EVT2Reader.typeNames[type]?.hasPrefix("RESERVED") == true { typeCounts[type] += 1 }
            }
        }
        input.consume(i * 4)
        eventIndex += produced - start
        self.t = t; self.timeHigh = timeHigh; self.wrapOffset = wrapOffset
        return produced
    }
}
