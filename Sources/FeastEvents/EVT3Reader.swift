/// Streaming reader of Prophesee EVT 3.0 RAW files (`.raw`).
///
/// After the `%` header (``PropheseeHeader``): 16-bit little-endian words,
/// type in bits 15..12:
/// - `0x0` EVT_ADDR_Y: y = bits 10..0 (bit 11, the origin, is ignored);
/// - `0x2` EVT_ADDR_X: x = bits 10..0, polarity = bit 11: one CD event at (x, y);
/// - `0x3` VECT_BASE_X: x base = bits 10..0, polarity = bit 11;
/// - `0x4` VECT_12 / `0x5` VECT_8: one event at x base + i per set bit i of
///   bits 11..0 / 7..0; the base then advances by 12 / 8;
/// - `0x6` EVT_TIME_LOW: t bits 11..0; `0x8` EVT_TIME_HIGH: t bits 23..12;
/// - `0xA` EXT_TRIGGER, `0xE` OTHERS, `0x7` CONTINUED_4, `0xF` CONTINUED_12
///   and the unassigned types: skipped and counted (``skippedEvents``).
///
/// Time, µs, exactly as faery 0.7.1 extends it (checked against faery in
/// PropheseeFaeryTests): a TIME_HIGH word that steps from 0xFFF to 0x000
/// (back by more than 4094) is a wrap and adds 2^24 µs; any other TIME_HIGH
/// going back, or jumping forward by 4094 or more, is ignored and counted as
/// `EVT_TIME_HIGH ignored`; a TIME_HIGH sets the low 12 bits to 0.
/// Timestamps never decrease: an event gets the largest time seen so far
/// (a TIME_LOW going back is clamped). Metavision wraps on a step back of
/// 4085 or more and lets time go back; the two agree on camera data, which
/// has a TIME_HIGH word every 4096 µs. Before the first TIME_HIGH the time
/// is 0; before the first EVT_ADDR_Y, y is 0. `% t0` in the header is added.
///
/// Errors: an event address outside the geometry, a trailing odd byte
/// (malformed, with its offset). Where faery differs on broken files: it
/// fails at an EVT_ADDR_Y ≥ height even if no event follows (here: at the
/// next event), and it drops vector bits beyond the width and clamps the
/// vector base to width - 1 (here: a set bit beyond the width is an error,
/// named with its x; the base is not clamped). On files inside the sensor
/// the events are the same.
public struct EVT3Reader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public var name: String { input.name }
    public let header: PropheseeHeader
    public let chunkCapacity: Int
    private let input: ByteInput

    // Decoder state between chunks.
    private var t: Int64 = 0
    private var msb: UInt32 = 0
    private var overflows: Int64 = 0
    private var x: Int = 0
    private var y: Int = 0
    private var polarity: UInt32 = 0
    private var eventIndex = 0
    private var typeCounts = RAWWordFormat.SkippedTypes(names: EVT3Reader.typeNames)
    private var ignoredTimeHigh = 0

    private static let typeNames: [Int: String] = [
        0x1: "RESERVED_0x1", 0x7: "CONTINUED_4", 0x9: "RESERVED_0x9", 0xA: "EXT_TRIGGER", 0xB: "RESERVED_0xB",
        0xC: "RESERVED_0xC", 0xD: "RESERVED_0xD", 0xE: "OTHERS", 0xF: "CONTINUED_12",
    ]

    public var skippedEvents: [String: Int] {
        var result = typeCounts.byName
        if ignoredTimeHigh > 0 { result["EVT_TIME_HIGH ignored"] = ignoredTimeHigh }
        return result
    }

    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        (header, self.geometry) = try RAWWordFormat.readHeader(from: input, format: .evt3, version: "EVT3", geometry: geometry)
        // Room for one vector word's 12 events past the check point.
        self.chunkCapacity = max(chunkCapacity, 12)
    }

    /// Opens `path` (`-` = stdin).
    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        EventChunk.resize(&buffer, to: chunkCapacity)
        var produced = 0
        while produced <= chunkCapacity - 12 {
            if input.available < 2 {
                _ = try input.fill(atLeast: 2)
                if input.available < 2 {
                    if input.available == 1 {
                        throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .evt3, reason: "1 trailing byte does not form a whole 16-bit word; expected the data to be 16-bit words")
                    }
                    break
                }
            }
            produced = try decode(into: &buffer, produced: produced)
        }
        if produced < buffer.count { buffer.removeLast(buffer.count - produced) }
        return produced > 0
    }

    /// Decodes whole words at `input.bytes` until the input or the chunk's
    /// room runs out; returns the new event count of `buffer`.
    private mutating func decode(into buffer: inout ContiguousArray<Event>, produced start: Int) throws -> Int {
        let initial = WordState(t: t, msb: msb, overflows: overflows, x: x, y: y, polarity: polarity)
        var state = initial
        let words = input.available / 2
        let src = input.bytes
        let width = geometry.width, height = geometry.height, limit = chunkCapacity - 12
        var result = buffer.withUnsafeMutableBufferPointer { out in
            EVT3Reader.run(&state, src: src, words: words, dst: out.baseAddress!, produced: start, limit: limit, width: width, height: height, checked: false)
        }
        if result.bad != nil {
            // The fast loop only flags an address outside the sensor; decode
            // again with checks to find the first one.
            state = initial
            result = buffer.withUnsafeMutableBufferPointer { out in
                EVT3Reader.run(&state, src: src, words: words, dst: out.baseAddress!, produced: start, limit: limit, width: width, height: height, checked: true)
            }
        }
        let produced = result.produced
        // Skipped kinds are counted outside the loop's registers.
        typeCounts[0xA] += state.trigger
        typeCounts[0xE] += state.others
        typeCounts[0x7] += state.continued4
        typeCounts[0xF] += state.continued12
        ignoredTimeHigh += state.ignored
        if let bad = result.bad {
            throw FeastEventsError.addressOutsideGeometry(path: input.name, eventIndex: eventIndex + produced - start + bad.inVector, x: bad.x, y: bad.y, geometry: geometry)
        }
        if state.reserved > 0 { countReserved(words: result.words) }
        let t0 = header.t0
        if t0 != 0 {
            buffer.withUnsafeMutableBufferPointer { out in
                for k in start..<produced { out[k].t &+= t0 }
            }
        }
        input.consume(result.words * 2)
        eventIndex += produced - start
        t = state.t; msb = state.msb; overflows = state.overflows
        x = state.x; y = state.y; polarity = state.polarity
        return produced
    }

    /// The decoder's registers between words.
    private struct WordState {
        var t: Int64, msb: UInt32, overflows: Int64, x: Int, y: Int, polarity: UInt32
        var trigger = 0, others = 0, continued4 = 0, continued12 = 0, ignored = 0, reserved = 0
    }

    /// The hot loop: decodes up to `words` words at `src` into `dst` from
    /// index `produced` while at least 12 slots are left; returns the words
    /// used and the new event count. An address outside the sensor: with
    /// `checked`, the loop stops before that word and returns the address
    /// and its index among its vector's events; without, ADDR_X words only
    /// set a flag (no branch in the hot path) and `bad` is non-nil at the end.
    /// Faery's TIME_LOW state needs no register: a TIME_HIGH sets it to 0,
    /// so the time is `base | low` at each TIME_LOW and `base` at a TIME_HIGH.
    @inline(__always)
    private static func run(_ state: inout WordState, src: UnsafeRawPointer, words: Int, dst: UnsafeMutablePointer<Event>, produced start: Int,
                            limit: Int, width: Int, height: Int, checked: Bool) -> (words: Int, produced: Int, bad: (x: Int, y: Int, inVector: Int)?) {
        var t = state.t
        var x = state.x, y = state.y, pol = state.polarity
        var base = (state.overflows << 24) | Int64(state.msb << 12)
        var produced = start
        var i = 0
        var flagged: UInt32 = 0
        defer {
            state.t = t
            state.x = x; state.y = y; state.polarity = pol
        }
        while i < words && produced <= limit {
            let w = UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)))
            i &+= 1
            let type = w >> 12
            if (0x45 as UInt32) >> type & 1 != 0 {
                // ADDR_X, ADDR_Y, TIME_LOW (most words): selects, not a jump
                // table; the event is stored always and kept only for ADDR_X.
                let isX = type == 2
                let v = Int(w & 0x7FF)
                let bit = (w >> 11) & 1
                y = type == 0 ? v : y
                let c = base | Int64(w & 0xFFF)
                t = type == 6 && c > t ? c : t
                x = isX ? v : x
                pol = isX ? bit : pol
                if checked {
                    if isX && (v >= width || y >= height) { i &-= 1; return (i, produced, (v, y, 0)) }
                } else {
                    flagged |= (isX ? 1 : 0) & ((v >= width ? 1 : 0) | (y >= height ? 1 : 0))
                }
                dst[produced] = Event(t: t, x: UInt16(truncatingIfNeeded: v), y: UInt16(truncatingIfNeeded: y), polarity: UInt8(truncatingIfNeeded: bit))
                produced &+= isX ? 1 : 0
                continue
            }
            switch type {
            case 0x3:
                x = Int(w & 0x7FF)
                pol = (w >> 11) & 1
                if _slowPath(x >= width) { i &-= 1; return (i, produced, (x, y, 0)) }
            case 0x4, 0x5:
                let twelve = type == 0x4
                var bits = twelve ? w & 0xFFF : w & 0xFF
                if bits != 0 {
                    let last = x &+ (31 &- bits.leadingZeroBitCount)
                    if _slowPath(last >= width || y >= height) {
                        // The first event outside the sensor, and its index in the vector.
                        var b = bits
                        while y < height && x &+ b.trailingZeroBitCount < width { b &= b &- 1 }
                        let inVector = (bits & ~(UInt32.max << UInt32(b.trailingZeroBitCount))).nonzeroBitCount
                        i &-= 1
                        return (i, produced, (x &+ b.trailingZeroBitCount, y, inVector))
                    }
                    let e = Event(t: t, x: 0, y: UInt16(truncatingIfNeeded: y), polarity: UInt8(truncatingIfNeeded: pol))
                    repeat {
                        var ev = e
                        ev.x = UInt16(truncatingIfNeeded: x &+ bits.trailingZeroBitCount)
                        dst[produced] = ev
                        produced &+= 1
                        bits &= bits &- 1
                    } while bits != 0
                }
                x &+= twelve ? 12 : 8
            case 0x8:
                let m = w & 0xFFF, msb = state.msb
                if m != msb {
                    if m > msb ? m &- msb < 4094 : msb &- m > 4094 {
                        if m < msb { state.overflows &+= 1 }
                        state.msb = m
                        base = (state.overflows << 24) | Int64(m << 12)
                        if base > t { t = base }
                    } else {
                        state.ignored &+= 1
                    }
                }
            case 0xA: state.trigger &+= 1
            case 0xE: state.others &+= 1
            case 0x7: state.continued4 &+= 1
            case 0xF: state.continued12 &+= 1
            default: state.reserved &+= 1
            }
        }
        return (i, produced, flagged != 0 ? (0, 0, 0) : nil)
    }

    /// Counts unassigned word types (1, 9, B, C, D) by type among the first
    /// `words` words: a second pass, only for chunks that had any.
    private mutating func countReserved(words: Int) {
        let src = input.bytes
        for j in 0..<words {
            let type = Int(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: j * 2, as: UInt16.self)) >> 12)
            if type == 0x1 || type == 0x9 || (type >= 0xB && type <= 0xD) { typeCounts[type] += 1 }
        }
    }
}
