/// Tells an input's event format from its first bytes, its name and the
/// format the user gave, in that order of trust:
///
/// 1. magic bytes and header: `#!AER-DAT2.0/3.1/4.0`, `Event Stream`, the
///    HDF5 signature, a Prophesee `%` header (`% evt 2.0|3.0`,
///    `% format EVT2|EVT3;…` for RAW; no `evt`/`format` line but
///    `Width`/`Height`/`Version` lines for DAT);
/// 2. the format given with `--format`/`--from` (for headerless `.bin` and
///    CSV, stdin, or files with an unusual name);
/// 3. the extension.
///
/// The bytes are only peeked at: nothing is consumed, so the reader that
/// follows sees the whole stream (stdin included).
public enum EventFormatDetector {
    /// Bytes looked at for magic and a Prophesee header.
    public static let peekLimit = 65_536

    public static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The format of `input`, or an ``FeastEventsError/unknownFormat(path:tried:formatNotGiven:)``
    /// that lists what was tried.
    ///
    /// It reads only as far as a decision needs (a live stdin that sends one
    /// CSV line and waits must not block here): one byte rules out every
    /// magic for most streams; a magic prefix or a Prophesee `%` header is
    /// read until it is complete, the stream ends or ``peekLimit`` is reached.
    public static func detect(input: ByteInput, given: EventFormat?) throws -> EventFormat {
        let limit = min(peekLimit, input.bufferCapacity)
        _ = try input.fill(atLeast: 1)
        while input.available < limit,
              needsMoreBytes(UnsafeRawBufferPointer(start: input.bytes, count: input.available)),
              try input.fill() {}
        let bytes = UnsafeRawBufferPointer(start: input.bytes, count: min(input.available, limit))
        if let byMagic = detect(header: bytes, path: input.name) { return byMagic }
        if let given { return given }
        if let byName = EventFormat(path: input.name) { return byName }
        let magic = bytes.isEmpty ? "the file is empty" : "no known magic bytes or header (#!AER-DAT, Event Stream, HDF5, Prophesee % header)"
        throw FeastEventsError.unknownFormat(path: input.name, tried: [magic, extensionAttempt(path: input.name)], formatNotGiven: true)
    }

    /// Conclusive first bytes and the format each names.
    static let magics: [(prefix: [UInt8], format: EventFormat)] = [
        (Array("#!AER-DAT4".utf8), .aedat4), (Array("#!AER-DAT3".utf8), .aedat3), (Array("#!AER-DAT2".utf8), .aedat2),
        (Array("#!AER-DAT1".utf8), .aedat2), (Array("Event Stream".utf8), .es), (hdf5Signature, .hdf5),
    ]

    /// Whether `bytes` (the start of a stream) could still turn into a
    /// magic or is an unfinished Prophesee header: then the decision needs
    /// more bytes.
    static func needsMoreBytes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.isEmpty { return true }
        for magic in magics where bytes.count < magic.prefix.count && zip(bytes, magic.prefix).allSatisfy({ $0 == $1 }) { return true }
        guard bytes[0] == UInt8(ascii: "%") else { return false }
        // "% key value" lines: a '%' followed by a coordinate byte (an
        // N-MNIST .bin starting at x = 37) is no header.
        if bytes.count == 1 { return true }
        let second = bytes[1]
        guard second == UInt8(ascii: " ") || (second | 0x20) >= UInt8(ascii: "a") && (second | 0x20) <= UInt8(ascii: "z") else { return false }
        return !percentLines(bytes).complete
    }

    /// The format the first bytes of a file name, if they are conclusive.
    /// `path` breaks the tie of a Prophesee header that names no version.
    public static func detect(header bytes: UnsafeRawBufferPointer, path: String) -> EventFormat? {
        for magic in magics where bytes.count >= magic.prefix.count && zip(bytes, magic.prefix).allSatisfy({ $0 == $1 }) {
            return magic.format
        }
        if bytes.first == UInt8(ascii: "%") { return prophesee(header: bytes, path: path) }
        return nil
    }

    /// The `%` lines at the start of `bytes` (the text after each '%',
    /// trimmed), and whether the header is complete: a line that does not
    /// start with '%' follows, or a `% end` line ends it. Incomplete when
    /// the bytes stop inside or right after a `%` line.
    static func percentLines(_ bytes: UnsafeRawBufferPointer) -> (lines: [String], complete: Bool) {
        var lines = [String]()
        var lineStart = 0
        while lineStart < bytes.count {
            guard bytes[lineStart] == UInt8(ascii: "%") else { return (lines, true) }
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(lineStart + 1)..<end]), as: UTF8.self)
                .trimmingCharacters(in: " \r\t")
            lines.append(line)
            if end == bytes.count { return (lines, false) }
            if line.lowercased() == "end" { return (lines, true) }
            lineStart = end + 1
        }
        return (lines, false)
    }

    /// RAW or DAT from the `%` lines.
    static func prophesee(header bytes: UnsafeRawBufferPointer, path: String) -> EventFormat? {
        var keys = [String: String]()
        for line in percentLines(bytes).lines {
            let parts = line.split(separator: " ", maxSplits: 1)
            if let key = parts.first { keys[key.lowercased()] = parts.count > 1 ? String(parts[1]) : "" }
        }
        if let evt = keys["evt"] {
            if evt.hasPrefix("3") { return .evt3 }
            if evt.hasPrefix("2") { return .evt2 }
        }
        if let format = keys["format"]?.uppercased() {
            if format.hasPrefix("EVT3") { return .evt3 }
            if format.hasPrefix("EVT2") && !format.hasPrefix("EVT21") { return .evt2 }
        }
        if keys["evt"] == nil && keys["format"] == nil
            && (keys["width"] != nil || keys["height"] != nil || keys["version"] != nil || keys["data"] != nil) {
            return .dat
        }
        return nil
    }

    /// What the extension said, for the unknown-format message.
    public static func extensionAttempt(path: String) -> String {
        if path == "-" { return "stdin/stdout has no extension" }
        guard let ext = EventFormat.fileExtension(of: path) else {
            return "no extension (known: \(EventFormat.knownExtensions.joined(separator: " ")))"
        }
        return "extension .\(ext) is not an event format (known: \(EventFormat.knownExtensions.joined(separator: " ")))"
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let drop = Set(set)
        var s = Substring(self)
        while let c = s.first, drop.contains(c) { s.removeFirst() }
        while let c = s.last, drop.contains(c) { s.removeLast() }
        return String(s)
    }
}
