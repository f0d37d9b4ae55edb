/// Streaming reader of Event Stream 2.x files (`.es`, neuromorphic-paris /
/// ICNS, as written by sepia, command_line_tools and faery).
///
/// Header: `Event Stream` (12 bytes), version major.minor.patch (3 bytes,
/// major 2), type (1 byte: 0 generic, 1 DVS, 2 ATIS, 4 color), then for
/// typed streams width and height as little-endian uint16.
///
/// Events, DVS: one byte `t_delta << 1 | polarity` (t_delta 0…126 µs since
/// the previous event), then x and y as little-endian uint16. The byte
/// `0xFF` alone adds 127 µs (overflow), `0xFE` is a reset (skipped).
/// ATIS: the first byte is `t_delta << 2 | code` (code 0 OFF, 2 ON change
/// detection, 1 and 3 exposure measurements), `0b111111nn` adds `63 × nn` µs;
/// exposure measurements are skipped and counted. Time starts at 0.
///
/// Event Stream puts y = 0 on the bottom row (sepia's convention); feast,
/// like faery, turns it into y = 0 at the top as every other format here,
/// `y = height − 1 − y_file`, with the header's height.
/// Generic and color streams carry no polarity events: opening one throws.
public struct EventStreamReader: EventSource, VendorEventSkipping {
    public let geometry: SensorGeometry
    public var name: String { input.name }
    /// The sensor of the header (used for the y flip).
    public let fileGeometry: SensorGeometry
    /// Version from the header, e.g. (2, 0, 0).
    public let version: (major: UInt8, minor: UInt8, patch: UInt8)
    /// True for ATIS streams, false for DVS.
    public let isATIS: Bool
    public let chunkCapacity: Int
    public private(set) var skippedEvents: [String: Int] = [:]
    private let input: ByteInput
    private var t: Int64 = 0
    private var exposures = 0
    private var resets = 0

    /// Bytes before the first event of a typed stream.
    public static let headerLength = 20
    static let magic = Array("Event Stream".utf8)

    /// Reads the header; `geometry` overrides the header's sensor (addresses
    /// are checked against it).
    public init(input: ByteInput, geometry: SensorGeometry? = nil, chunkCapacity: Int = EventChunk.defaultCapacity) throws {
        precondition(chunkCapacity > 0)
        self.input = input
        self.chunkCapacity = chunkCapacity
        let name = input.name
        func bad(_ offset: Int, _ reason: String) -> FeastEventsError {
            .malformed(path: name, byteOffset: offset, format: .es, reason: reason)
        }
        _ = try input.fill(atLeast: 16)
        let b = input.bytes.assumingMemoryBound(to: UInt8.self)
        let n = input.available
        for i in 0..<min(n, 12) where b[i] != Self.magic[i] {
            throw bad(i, "expected the magic 'Event Stream'")
        }
        guard n >= 16 else { throw bad(n, "header ends after \(n) bytes; expected 16 (magic, version, type)") }
        version = (b[12], b[13], b[14])
        guard version.major == 2 else {
            throw bad(12, "version \(version.major).\(version.minor).\(version.patch); expected 2.x.y")
        }
        switch b[15] {
        case 1: isATIS = false
        case 2: isATIS = true
        case 0:
            throw FeastEventsError.formatUnavailable(path: name, format: "es", reason: "a generic Event Stream (type 0) carries no pixel addresses; expected a DVS (1) or ATIS (2) stream")
        case 3, 4, 5:
            throw FeastEventsError.formatUnavailable(path: name, format: "es", reason: "an Event Stream of type \(b[15]) (\(b[15] == 4 ? "color" : b[15] == 3 ? "display" : "liquid") events) carries no polarity events; expected a DVS (1) or ATIS (2) stream")
        default:
            throw bad(15, "event type \(b[15]); expected 0…5 (1 DVS, 2 ATIS)")
        }
        _ = try input.fill(atLeast: Self.headerLength)
        guard input.available >= Self.headerLength else {
            throw bad(input.available, "header ends after \(input.available) bytes; expected 20 (with width and height)")
        }
        let c = input.bytes.assumingMemoryBound(to: UInt8.self)
        let width = Int(c[16]) | Int(c[17]) << 8, height = Int(c[18]) | Int(c[19]) << 8
        guard width > 0 && height > 0 else { throw bad(16, "sensor \(width)×\(height) in the header; expected a positive width and height") }
        fileGeometry = SensorGeometry(width: width, height: height)
        self.geometry = geometry ?? fileGeometry
        input.consume(Self.headerLength)
    }

    /// Opens `path` (`-` = stdin).
    public init(path: String, geometry: SensorGeometry? = nil) throws {
        try self.init(input: try ByteInput.open(path: path), geometry: geometry)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        while buffer.isEmpty {
            if input.available < 5 {
                _ = try input.fill(atLeast: 5)
                if input.available == 0 { break }
            }
            try decode(into: &buffer)
            if input.available > 0 && input.available < 5 && input.reachedEnd {
                // A lone overflow or reset byte may end a file; a partial event may not.
                try decodeTail()
                if input.available > 0 {
                    throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: .es,
                                                     reason: "the file ends inside an event (\(input.available) of 5 bytes)")
                }
            }
        }
        publishCounts()
        return !buffer.isEmpty
    }

    private mutating func publishCounts() {
        if exposures > 0 { skippedEvents["ATIS exposure measurement"] = exposures }
        if resets > 0 { skippedEvents["reset"] = resets }
    }

    /// Overflow and reset bytes left at the end of the stream.
    private mutating func decodeTail() throws {
        let p = input.bytes.assumingMemoryBound(to: UInt8.self)
        var used = 0
        while used < input.available {
            let b = p[used]
            if isATIS {
                guard b & 0xFC == 0xFC else { break }
                t &+= 63 &* Int64(b & 3)
                if b & 3 == 0 { resets &+= 1 }
            } else {
                guard b >= 0xFE else { break }
                if b == 0xFF { t &+= 127 } else { resets &+= 1 }
            }
            used += 1
        }
        input.consume(used)
    }

    /// Decodes whole events (and the overflow bytes before them) at the
    /// front of the buffer, up to `chunkCapacity` events.
    private mutating func decode(into buffer: inout ContiguousArray<Event>) throws {
        let base = input.bytes.assumingMemoryBound(to: UInt8.self)
        let count = input.available
        let room = chunkCapacity - buffer.count
        let start = buffer.count
        // At most one event per 5 bytes: size the output once.
        let most = min(room, count / 5 + 1)
        EventChunk.resize(&buffer, to: start + most)
        let width = geometry.width, height = geometry.height, flip = fileGeometry.height - 1
        let atis = isATIS
        var t = self.t
        var produced = 0, p = 0
        var exposures = 0, resets = 0
        var bad: (offset: Int, x: Int, y: Int)? = nil
        buffer.withUnsafeMutableBufferPointer { out in
            let dst = out.baseAddress! + start
            while produced < most {
                guard p < count else { break }
                let b = base[p]
                var on: UInt8
                if atis {
                    if b & 0xFC == 0xFC {
                        t &+= 63 &* Int64(b & 3)
                        if b & 3 == 0 { resets &+= 1 }
                        p += 1
                        continue
                    }
                    guard p + 5 <= count else { break }
                    t &+= Int64(b >> 2)
                    let code = b & 3
                    if code & 1 != 0 { exposures &+= 1; p += 5; continue }
                    on = code >> 1
                } else {
                    if b >= 0xFE {
                        if b == 0xFF { t &+= 127 } else { resets &+= 1 }
                        p += 1
                        continue
                    }
                    guard p + 5 <= count else { break }
                    t &+= Int64(b >> 1)
                    on = b & 1
                }
                let x = Int(base[p + 1]) | Int(base[p + 2]) << 8
                let yFile = Int(base[p + 3]) | Int(base[p + 4]) << 8
                let y = flip - yFile
                if _slowPath(x >= width || y < 0 || y >= height) {
                    bad = (p, x, yFile)
                    break
                }
                dst[produced] = Event(t: t, x: UInt16(truncatingIfNeeded: x), y: UInt16(truncatingIfNeeded: y), polarity: on)
                produced += 1
                p += 5
            }
        }
        if let bad {
            throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset + bad.offset, format: .es,
                                             reason: "address x=\(bad.x) y=\(bad.y) (as stored) is outside the \(fileGeometry) sensor of the header\(geometry != fileGeometry ? " or the \(geometry) given" : "")")
        }
        // A partial event stops the loop before its delta is added, so the
        // bytes up to it (overflows included, already in t) are consumed.
        self.t = t
        self.exposures &+= exposures
        self.resets &+= resets
        input.consume(p)
        buffer.removeLast(most - produced)
    }
}
