/// The `%` text header of Prophesee RAW (EVT 2.0/3.0) and DAT files.
///
/// Lines starting with `%` (0x25) and ending with `\n`, read until the first
/// line that does not start with `%` or up to and including a `% end` line
/// (Metavision writes it so that binary data starting with 0x25 is not
/// taken for a header line). Each line is `% key value`: the key is the
/// first word, the value the rest, trimmed.
///
/// Geometry, first found in this order (later lines of a kind override):
/// `% format EVT3;height=720;width=1280` (options in any order),
/// `% geometry 1280x720`, DAT's `% Width 640` / `% Height 480`.
/// `% t0 N` / `% T0 N` (faery writes it when it zeroes timestamps) is an
/// offset in µs added to every timestamp, as faery's readers do.
///
/// Errors: a header line cut by the end of the stream, a header longer than
/// ``maximumLength`` bytes, control bytes or invalid UTF-8 in a line, an
/// unparsable geometry value.
public struct PropheseeHeader: Sendable, Equatable {
    /// `(key, value)` per line, in file order (`end` included).
    public var entries: [(key: String, value: String)]
    /// Header bytes consumed (the offset of the first data byte).
    public var length: Int
    /// The sensor size the header gives, if any.
    public var geometry: SensorGeometry?
    /// Where the geometry came from, for messages (e.g. `% geometry 1280x720`).
    public var geometrySource: String?
    /// `EVT2`, `EVT21`, `EVT3` from `% evt` or `% format`, or `nil`.
    public var evtVersion: String?
    /// DAT `% Version N` value, or `nil`.
    public var datVersion: Int?
    /// Timestamp offset, µs (`% t0`), 0 when absent.
    public var t0: Int64

    /// Cap on header bytes: real headers are a few hundred bytes; the cap
    /// stops a binary file without newlines from being read as one line.
    public static let maximumLength = 1 << 20

    /// What a reader's missingGeometry message says it looked for.
    public static let geometryKeys = "'% format …;width=W;height=H', '% geometry WxH', '% Width W' + '% Height H'"

    public static func == (a: PropheseeHeader, b: PropheseeHeader) -> Bool {
        a.length == b.length && a.geometry == b.geometry && a.evtVersion == b.evtVersion && a.datVersion == b.datVersion
            && a.t0 == b.t0 && a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    /// The value of the last line with `key` (case-insensitive).
    public func value(_ key: String) -> String? {
        let k = key.lowercased()
        return entries.last { $0.key.lowercased() == k }?.value
    }

    /// Reads and consumes the header at the start of `input`. `format` is
    /// for error messages.
    public static func read(from input: ByteInput, format: EventFormat) throws -> PropheseeHeader {
        var entries = [(key: String, value: String)]()
        var length = 0
        var line = [UInt8]()
        func fail(_ offset: Int, _ reason: String) -> FeastEventsError {
            .malformed(path: input.name, byteOffset: offset, format: format, reason: reason)
        }
        outer: while true {
            if input.available == 0 { _ = try input.fill() }
            if input.available == 0 { break }
            if input.bytes.load(as: UInt8.self) != UInt8(ascii: "%") { break }
            let lineStart = input.offset
            line.removeAll(keepingCapacity: true)
            // Collect one line, across refills.
            while true {
                if input.available == 0 { _ = try input.fill() }
                let n = input.available
                if n == 0 {
                    throw fail(lineStart, "the header ends without a newline after \(line.count) byte(s) of its last '%' line; expected '%' lines ending with '\\n' followed by the event data")
                }
                let p = input.bytes.assumingMemoryBound(to: UInt8.self)
                var i = 0
                while i < n && p[i] != 0x0A { i += 1 }
                let take = i < n ? i + 1 : n
                if length + line.count + take > maximumLength {
                    throw fail(lineStart, "the '%' header is longer than \(maximumLength) bytes; expected a short text header (is this a Prophesee file?)")
                }
                line.append(contentsOf: UnsafeBufferPointer(start: p, count: take))
                input.consume(take)
                if i < n { break }
            }
            // Text check: no control bytes but tab and CR, valid UTF-8.
            for (j, b) in line.dropLast().enumerated() where (b < 0x20 && b != 0x09 && b != 0x0D) || b == 0x7F {
                throw fail(lineStart + j, "byte 0x\(String(b, radix: 16, uppercase: true)) in a '%' header line; expected text")
            }
            guard let text = String(validating: line.dropFirst().dropLast(), as: UTF8.self) else {
                throw fail(lineStart, "a '%' header line is not UTF-8 text")
            }
            length += line.count
            let trimmed = text.trimmed
            let key: Substring, value: Substring
            if let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                key = trimmed[..<space]
                value = trimmed[space...]
            } else {
                key = trimmed[...]
                value = ""
            }
            entries.append((String(key), String(value).trimmed))
            if key.lowercased() == "end" { break outer }
        }
        var header = PropheseeHeader(entries: entries, length: length, geometry: nil, geometrySource: nil, evtVersion: nil, datVersion: nil, t0: 0)
        try header.interpret(fail: { fail(input.offset, $0) })
        return header
    }

    /// Fills the derived fields from `entries`.
    private mutating func interpret(fail: (String) -> FeastEventsError) throws {
        var formatGeometry: (SensorGeometry, String)?
        var geometryLine: (SensorGeometry, String)?
        var width: Int?, height: Int?
        func size(_ text: Substring, _ line: String) throws -> Int {
            guard let v = Int(text.trimmed), v > 0, v <= 65_536 else {
                throw fail("header line '\(line)': '\(text)' is not a sensor size; expected an integer 1...65536")
            }
            return v
        }
        for (key, value) in entries {
            let line = "% \(key) \(value)"
            switch key.lowercased() {
            case "evt":
                if value.hasPrefix("3") { evtVersion = "EVT3" } else if value.hasPrefix("2.1") { evtVersion = "EVT21" } else if value.hasPrefix("2") { evtVersion = "EVT2" } else { evtVersion = value }
            case "format":
                let parts = value.split(separator: ";")
                if let name = parts.first {
                    let n = name.trimmed.uppercased()
                    evtVersion = n.hasPrefix("EVT3") ? "EVT3" : n.hasPrefix("EVT21") || n.hasPrefix("EVT2.1") ? "EVT21" : n.hasPrefix("EVT2") ? "EVT2" : n
                }
                var w: Int?, h: Int?
                for option in parts.dropFirst() {
                    let kv = option.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { continue }
                    switch kv[0].trimmed.lowercased() {
                    case "width": w = try size(kv[1], line)
                    case "height": h = try size(kv[1], line)
                    default: break
                    }
                }
                if let w, let h { formatGeometry = (SensorGeometry(width: w, height: h), line) }
            case "geometry":
                let wh = value.lowercased().split(separator: "x")
                guard wh.count == 2 else { throw fail("header line '\(line)': expected '% geometry WxH'") }
                geometryLine = (SensorGeometry(width: try size(wh[0], line), height: try size(wh[1], line)), line)
            case "width": width = try size(value[...], line)
            case "height": height = try size(value[...], line)
            case "version": datVersion = Int(value)
            case "t0":
                guard let v = Int64(value), v >= 0, v < (1 << 62) else { throw fail("header line '\(line)': expected a timestamp offset in µs (0...2^62)") }
                t0 = v
            default: break
            }
        }
        if let (g, line) = formatGeometry ?? geometryLine {
            geometry = g
            geometrySource = line
        } else if let width, let height {
            geometry = SensorGeometry(width: width, height: height)
            geometrySource = "% Width \(width) / % Height \(height)"
        }
    }

    /// The geometry to use: the user's, else the header's, else a
    /// missingGeometry error.
    public func resolveGeometry(_ given: SensorGeometry?, path: String, format: EventFormat) throws -> SensorGeometry {
        if let given { return given }
        if let geometry { return geometry }
        throw FeastEventsError.missingGeometry(path: path, format: format, looked: PropheseeHeader.geometryKeys)
    }

    /// Throws when the header names an EVT version other than `expected`
    /// (`"EVT2"`/`"EVT3"`); a header without a version is accepted.
    public func checkVersion(_ expected: String, path: String, format: EventFormat) throws {
        if let v = evtVersion, v != expected {
            throw FeastEventsError.malformed(path: path, byteOffset: 0, format: format, reason: "the header says the data is \(v) ('% evt' / '% format' line); expected \(expected)")
        }
    }

    /// Header text for writers: `% evt V`, `% format NAME;height=H;width=W`,
    /// `% geometry WxH`, `% end`.
    static func text(evt: String, formatName: String, geometry: SensorGeometry) -> String {
        "% evt \(evt)\n% format \(formatName);height=\(geometry.height);width=\(geometry.width)\n% geometry \(geometry.width)x\(geometry.height)\n% end\n"
    }
}

extension StringProtocol {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
