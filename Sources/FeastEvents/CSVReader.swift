import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming reader of event CSV text: one event per line, four fields
/// (t in µs, x, y, p) in the order of a header line, of `columns`, or
/// `t,x,y,p`. A first line that is not numeric is taken as the header
/// (`--columns` overrides it). p reads 0/1, -1/1 and true/false. Blank lines
/// are skipped; `\r\n` line endings and a UTF-8 byte-order mark are fine;
/// spaces around fields are ignored.
///
/// Errors name the line and column (1-based). Lines longer than
/// `maxLineLength` bytes are an error rather than a growing buffer, so any
/// input runs in constant memory; control bytes in the first 4 KiB mean a
/// binary file fed as CSV and give their own error.
public struct CSVReader: EventSource {
    public let geometry: SensorGeometry
    public var name: String { input.name }
    public let chunkCapacity: Int
    /// Longest accepted line in bytes (newline excluded).
    public let maxLineLength: Int
    /// Column order in use (after the header, if any, was read).
    public private(set) var columns: CSVColumns
    /// Whether a large buffer's clean lines are parsed on two threads (the
    /// events, their order and every error are the same either way).
    public let concurrentParsing: Bool
    private let columnsGiven: Bool
    private let input: ByteInput
    /// Lines consumed so far (the next line is `line + 1`).
    private var line = 0
    private var started = false

    public static let defaultMaxLineLength = 4_096

    public init(input: ByteInput, geometry: SensorGeometry = .nmnist, columns: CSVColumns? = nil, maxLineLength: Int = CSVReader.defaultMaxLineLength,
                chunkCapacity: Int = EventChunk.defaultCapacity, concurrentParsing: Bool = true) {
        precondition(maxLineLength > 0 && chunkCapacity > 0)
        self.concurrentParsing = concurrentParsing
        self.input = input
        self.geometry = geometry
        self.columns = columns ?? .standard
        self.columnsGiven = columns != nil
        self.maxLineLength = maxLineLength
        self.chunkCapacity = chunkCapacity
    }

    /// Opens `path` (`-` = stdin).
    public init(path: String, geometry: SensorGeometry = .nmnist, columns: CSVColumns? = nil) throws {
        self.init(input: try ByteInput.open(path: path), geometry: geometry, columns: columns)
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        if !started { try start() }
        // Events are stored through a pointer into a buffer kept at full
        // size (no per-event append checks), then trimmed to what was read.
        let capacity = chunkCapacity
        // A clean line is at most ``longestCleanLine`` bytes, so the one-pass
        // parser cannot accept a line the length limit refuses.
        let fast = maxLineLength >= CSVReader.longestCleanLine
        let slots = FieldSlots(columns)
        EventChunk.resize(&buffer, to: capacity)
        var produced = 0
        do {
            try buffer.withUnsafeMutableBufferPointer { out in
                let dst = out.baseAddress!
                while produced < capacity {
                    let base = UnsafePointer(input.bytes.assumingMemoryBound(to: UInt8.self))
                    let end = base + input.available
                    var p = base
                    // A large buffer: its clean lines on two threads first.
                    if fast && concurrentParsing && produced == 0 && input.available >= CSVReader.concurrentParsingBytes {
                        let (count, resume) = parseHalves(base, end, slots, into: dst, capacity: capacity)
                        produced = count
                        line += count
                        p = resume
                    }
                    // Whole lines in the buffer: a clean line in one pass,
                    // anything else through the newline search and `parse`.
                    while produced < capacity {
                        if fast, let next = CSVReader.parseLine(p, end, slots, geometry, into: dst + produced) {
                            produced += 1
                            line += 1
                            p = next
                            continue
                        }
                        guard let nl = memchr(p, 0x0A, end - p) else { break }
                        let lineEnd = UnsafePointer(nl.assumingMemoryBound(to: UInt8.self))
                        line += 1
                        if lineEnd - p > maxLineLength {
                            throw FeastEventsError.csvLineTooLong(path: input.name, line: line, limit: maxLineLength)
                        }
                        if let event = try parse(p, lineEnd) {
                            dst[produced] = event
                            produced += 1
                        }
                        p = lineEnd + 1
                    }
                    input.consume(p - base)
                    // Return what one read(2) gave rather than wait for a
                    // full chunk: a live pipe must not stall its events.
                    if produced > 0 { break }
                    // No newline in what is left: read more, or finish the last line.
                    if input.available > maxLineLength {
                        throw FeastEventsError.csvLineTooLong(path: input.name, line: line + 1, limit: maxLineLength)
                    }
                    if try !input.fill() {
                        guard input.reachedEnd else {
                            // Buffer full without a newline: a line longer than the buffer.
                            throw FeastEventsError.csvLineTooLong(path: input.name, line: line + 1, limit: min(maxLineLength, input.bufferCapacity))
                        }
                        if input.available > 0 {
                            let last = UnsafePointer(input.bytes.assumingMemoryBound(to: UInt8.self))
                            line += 1
                            if let event = try parse(last, last + input.available) {
                                dst[produced] = event
                                produced += 1
                            }
                            input.consume(input.available)
                        }
                        break
                    }
                }
            }
        } catch {
            buffer.removeAll(keepingCapacity: true)
            throw error
        }
        buffer.removeLast(capacity - produced)
        return produced > 0
    }

    /// Skips a byte-order mark, rejects binary input, reads the header.
    private mutating func start() throws {
        started = true
        // Read until the first non-blank line is complete (or 4 KiB, or the
        // end), not a fixed amount: a live pipe gets its first events promptly.
        while input.available < 4_096 && !input.reachedEnd && !hasCompleteContentLine() {
            if try !input.fill() { break }
        }
        var base = UnsafePointer(input.bytes.assumingMemoryBound(to: UInt8.self))
        if input.available >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            input.consume(3)
            base = UnsafePointer(input.bytes.assumingMemoryBound(to: UInt8.self))
        }
        for i in 0..<min(input.available, 4_096) {
            let b = base[i]
            if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F {
                throw FeastEventsError.binaryInput(path: input.name, byteOffset: input.offset + i, byte: b)
            }
        }
        // The header, if any, is the first non-blank line.
        let end = base + input.available
        var p = base
        var lineNumber = 0
        while p < end {
            let nl = memchr(p, 0x0A, end - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
            lineNumber += 1
            let text = String(decoding: UnsafeBufferPointer(start: p, count: nl - p), as: UTF8.self).trimmingSpaces
            if text.isEmpty { p = min(nl + 1, end); continue }
            let first = text.split(separator: ",", omittingEmptySubsequences: false)[0].trimmingSpaces.lowercased()
            let isHeader = first.first.map { $0.isLetter } == true && first != "true" && first != "false"
            if isHeader {
                let names = text.split(separator: ",", omittingEmptySubsequences: false)
                if !columnsGiven {
                    guard let parsed = CSVColumns(names: names) else {
                        throw FeastEventsError.csvHeader(path: input.name, line: lineNumber, header: String(text.prefix(80)))
                    }
                    columns = parsed
                }
                line = lineNumber
                input.consume(min(nl + 1, end) - base)
            }
            break
        }
    }

    /// The longest line ``parseLine(_:_:_:_:into:)`` accepts (newline
    /// excluded): four fields of 18 digits, three commas, `\r`.
    public static let longestCleanLine = 4 * 18 + 3 + 1

    /// Buffers of at least this many bytes are parsed on two threads.
    public static let concurrentParsingBytes = 32_768

    /// Parses the clean lines of `[base, end)` on two threads, the halves
    /// split at a newline, each up to its first line that is not clean.
    /// Returns the events, written in file order at `dst`, and where the
    /// serial loop goes on: after the last whole line, or at the first line
    /// the one-pass parser left (lines after it in the second half are
    /// parsed again, serially, so numbering and errors stay the serial ones).
    private func parseHalves(_ base: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ slots: FieldSlots,
                             into dst: UnsafeMutablePointer<Event>, capacity: Int) -> (Int, UnsafePointer<UInt8>) {
        // After the last newline (at most a line back) in a prefix small
        // enough that its clean lines (8 bytes or more each) fit the chunk.
        var whole = base + min(end - base, max(0, capacity - 2) * 8)
        while whole > base && whole[-1] != 0x0A { whole -= 1 }
        guard whole > base, let split = memchr(base + (whole - base) / 2, 0x0A, whole - (base + (whole - base) / 2)) else { return (0, base) }
        let mid = UnsafePointer(split.assumingMemoryBound(to: UInt8.self)) + 1
        // A clean line has at least 8 bytes ("0,0,0,0\n"): room for each half.
        let firstRoom = (mid - base) / 8 + 1
        guard firstRoom + (whole - mid) / 8 + 1 <= capacity else { return (0, base) }
        // Offsets, not pointers, cross to the workers; each writes its own
        // result: (events parsed, offset where it stopped).
        let bounds = [0, mid - base, whole - base], geometry = self.geometry
        var halves = [(count: Int, stop: Int)](repeating: (0, 0), count: 2)
        nonisolated(unsafe) let bytes = base, events = dst
        halves.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let results = results
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                let to = bytes + bounds[half + 1], out = events + (half == 0 ? 0 : firstRoom)
                var q = bytes + bounds[half], n = 0
                while q < to, let next = CSVReader.parseLine(q, to, slots, geometry, into: out + n) {
                    n += 1
                    q = next
                }
                results[half] = (n, q - bytes)
            }
        }
        let (first, second) = (halves[0], halves[1])
        if base + first.stop < mid { return (first.count, base + first.stop) }
        // Regions may overlap (first.count ≤ firstRoom): memmove semantics.
        memmove(dst + first.count, dst + firstRoom, second.count * MemoryLayout<Event>.stride)
        return (first.count + second.count, base + second.stop)
    }

    /// The file column (0–3) of each field.
    struct FieldSlots {
        let t: Int, x: Int, y: Int, p: Int
        init(_ columns: CSVColumns) {
            let order = columns.order
            t = order.firstIndex(of: .t)!
            x = order.firstIndex(of: .x)!
            y = order.firstIndex(of: .y)!
            p = order.firstIndex(of: .p)!
        }
    }

    /// One pass over a clean line at `start` (four unsigned integer fields
    /// of at most 18 digits, no spaces, p as a single 0/1, then `\n` or
    /// `\r\n`), finding its end on the way instead of searching for the
    /// newline first. Writes the event and returns the byte after the
    /// newline; `nil` sends the line to ``parse(_:_:)``, which accepts every
    /// form and produces the errors (what was written is then overwritten).
    /// A line cut off by the buffer's end is `nil` too.
    @inline(__always)
    private static func parseLine(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ slots: FieldSlots,
                                  _ geometry: SensorGeometry, into dst: UnsafeMutablePointer<Event>) -> UnsafePointer<UInt8>? {
        var p = start
        var lengths = (0, 0, 0, 0)
        guard let a = scanDigits(&p, end, then: 0x2C, length: &lengths.0),
              let b = scanDigits(&p, end, then: 0x2C, length: &lengths.1),
              let c = scanDigits(&p, end, then: 0x2C, length: &lengths.2) else { return nil }
        let last = p
        guard let d = scanDigits(&p, end) else { return nil }
        lengths.3 = p - last
        if p < end && p[0] == 0x0D { p += 1 }
        guard p < end && p[0] == 0x0A else { return nil }
        // Fields picked by column through memory: a select chain costs more.
        var values = (a, b, c, d)
        let inRange = withUnsafeBytes(of: &values) { raw -> Bool in
            let v = raw.assumingMemoryBound(to: Int64.self)
            let x = v[slots.x], y = v[slots.y], polarity = v[slots.p]
            dst.pointee = Event(t: v[slots.t], x: UInt16(truncatingIfNeeded: x), y: UInt16(truncatingIfNeeded: y),
                                polarity: UInt8(truncatingIfNeeded: polarity))
            return x < geometry.width && y < geometry.height && polarity <= 1
        }
        let polarityLength = withUnsafeBytes(of: &lengths) { $0.assumingMemoryBound(to: Int.self)[slots.p] }
        guard inRange && polarityLength == 1 else { return nil }
        return p + 1
    }

    /// True when the buffer holds a newline preceded by a non-blank byte.
    private func hasCompleteContentLine() -> Bool {
        let base = input.bytes.assumingMemoryBound(to: UInt8.self)
        var content = false
        for i in 0..<input.available {
            let b = base[i]
            if b == 0x0A {
                if content { return true }
            } else if b != 0x20 && b != 0x09 && b != 0x0D {
                content = true
            }
        }
        return false
    }

    /// Parses one line (newline excluded); `nil` for a blank line.
    private func parse(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> Event? {
        var stop = end
        if stop > start && stop[-1] == 0x0D { stop -= 1 }
        var p = start
        var t: Int64 = 0, x = 0, y = 0
        var polarity: UInt8 = 0
        let order = columns.order
        for (index, field) in order.enumerated() {
            while p < stop && (p[0] == 0x20 || p[0] == 0x09) { p += 1 }
            if index == 0 && p == stop { return nil }
            let fieldStart = p
            while p < stop && p[0] != 0x2C { p += 1 }
            var fieldEnd = p
            while fieldEnd > fieldStart && (fieldEnd[-1] == 0x20 || fieldEnd[-1] == 0x09) { fieldEnd -= 1 }
            let column = fieldStart - start + 1
            switch field {
            case .t:
                guard let value = parseInteger(fieldStart, fieldEnd) else {
                    throw fieldError(field, fieldStart, fieldEnd, column, "an integer timestamp in microseconds")
                }
                t = value
            case .x, .y:
                let limit = field == .x ? geometry.width : geometry.height
                guard let value = parseInteger(fieldStart, fieldEnd), value >= 0, value < limit else {
                    throw fieldError(field, fieldStart, fieldEnd, column, "an integer in 0..<\(limit) (sensor \(geometry))")
                }
                if field == .x { x = Int(value) } else { y = Int(value) }
            case .p:
                guard let value = parsePolarity(fieldStart, fieldEnd) else {
                    throw fieldError(field, fieldStart, fieldEnd, column, "polarity 0/1, -1/1 or true/false")
                }
                polarity = value
            }
            if index < 3 {
                guard p < stop else {
                    throw FeastEventsError.csvFieldCount(path: input.name, line: line, found: index + 1, expected: 4)
                }
                p += 1
            } else if p < stop {
                var found = 4
                while p < stop { if p[0] == 0x2C { found += 1 }; p += 1 }
                throw FeastEventsError.csvFieldCount(path: input.name, line: line, found: found, expected: 4)
            }
        }
        return Event(t: t, x: UInt16(x), y: UInt16(y), polarity: polarity)
    }

    private func fieldError(_ field: CSVColumns.Field, _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ column: Int, _ expected: String) -> FeastEventsError {
        let text = String(decoding: UnsafeBufferPointer(start: start, count: min(end - start, 40)), as: UTF8.self)
        return .csvField(path: input.name, line: line, column: column, field: field.name, found: text, expected: expected)
    }
}

/// Digits (no sign) at `p`, at most 18, followed by `separator`; advances
/// `p` past the separator and sets `length` to the digit count. `nil` (`p`
/// unchanged) otherwise.
@inline(__always)
private func scanDigits(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, then separator: UInt8, length: inout Int) -> Int64? {
    var q = p
    guard let v = scanDigits(&q, end), q < end && q[0] == separator else { return nil }
    length = q - p
    p = q + 1
    return v
}

/// Digits (no sign) at `p`, at most 18 (so no overflow); advances `p` past
/// them. `nil` (`p` unchanged) when there are none or more than 18.
@inline(__always)
private func scanDigits(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
    let limit = min(end, p + 18)
    var q = p
    var value: Int64 = 0
    while q < limit {
        let d = q[0] &- 0x30
        if d >= 10 { break }
        value = value &* 10 &+ Int64(d)
        q += 1
    }
    if q == p || (q == limit && q < end && q[0] &- 0x30 < 10) { return nil }
    p = q
    return value
}

/// Decimal integer with optional sign; `nil` on anything else or overflow.
@inline(__always)
private func parseInteger(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
    var p = start
    var negative = false
    if p < end && (p[0] == 0x2D || p[0] == 0x2B) { negative = p[0] == 0x2D; p += 1 }
    guard p < end, end - p <= 19 else {
        // 19 digits may overflow; longer never fits (leading zeros aside).
        return p < end ? parseLongInteger(p, end, negative) : nil
    }
    var value: Int64 = 0
    while p < end {
        let d = p[0] &- 0x30
        guard d < 10 else { return nil }
        value = value &* 10 &+ Int64(d)
        p += 1
    }
    if value < 0 { return parseLongInteger(start + (negative || start[0] == 0x2B ? 1 : 0), end, negative) }
    return negative ? -value : value
}

/// Slow path with overflow checks.
private func parseLongInteger(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ negative: Bool) -> Int64? {
    var value: Int64 = 0
    var p = start
    while p < end {
        let d = p[0] &- 0x30
        guard d < 10 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
        if o1 || o2 { return nil }
        value = s
        p += 1
    }
    return value
}

@inline(__always)
private func parsePolarity(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UInt8? {
    let n = end - start
    if n == 1 {
        if start[0] == 0x31 { return 1 }
        if start[0] == 0x30 { return 0 }
        return nil
    }
    if n == 2 && start[0] == 0x2D && start[1] == 0x31 { return 0 }
    if n == 2 && start[0] == 0x2B && start[1] == 0x31 { return 1 }
    if n == 4 || n == 5 {
        var word = ""
        for i in 0..<n { word.append(Character(Unicode.Scalar(start[i] | 0x20))) }
        if word == "true" { return 1 }
        if word == "false" { return 0 }
    }
    return nil
}
