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

    /// The format of `input`, or an ``FeastEventsError/unknownFormat(path:tried:)``
    /// that lists what was tried.
    public static func detect(input: ByteInput, given: EventFormat?) throws -> EventFormat {
        _ = try input.fill(atLeast: min(peekLimit, input.bufferCapacity))
        let bytes = UnsafeRawBufferPointer(start: input.bytes, count: min(input.available, peekLimit))
        if let byMagic = detect(header: bytes, path: input.name) { return byMagic }
        if let given { return given }
        if let byName = EventFormat(path: input.name) { return byName }
        let magic = bytes.isEmpty ? "the file is empty" : "no known magic bytes or header (#!AER-DAT, Event Stream, HDF5, Prophesee % header)"
        throw FeastEventsError.unknownFormat(path: input.name, tried: [magic, extensionAttempt(path: input.name), "no --format/--from given"])
    }

    /// The format the first bytes of a file name, if they are conclusive.
    /// `path` breaks the tie of a Prophesee header that names no version.
    public static func detect(header bytes: UnsafeRawBufferPointer, path: String) -> EventFormat? {
        func starts(with prefix: String) -> Bool {
            let p = Array(prefix.utf8)
            return bytes.count >= p.count && zip(bytes, p).allSatisfy { $0 == $1 }
        }
        if starts(with: "#!AER-DAT4") { return .aedat4 }
        if starts(with: "#!AER-DAT3") { return .aedat3 }
        if starts(with: "#!AER-DAT2") || starts(with: "#!AER-DAT1") { return .aedat2 }
        if starts(with: "Event Stream") { return .es }
        if bytes.count >= 8 && zip(bytes, hdf5Signature).allSatisfy({ $0 == $1 }) { return .hdf5 }
        if bytes.first == UInt8(ascii: "%") { return prophesee(header: bytes, path: path) }
        return nil
    }

    /// RAW or DAT from the `%` lines.
    static func prophesee(header bytes: UnsafeRawBufferPointer, path: String) -> EventFormat? {
        var keys = [String: String]()
        var lineStart = 0
        while lineStart < bytes.count, bytes[lineStart] == UInt8(ascii: "%") {
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(lineStart + 1)..<end]), as: UTF8.self)
                .trimmingCharacters(in: " \r\t")
            let parts = line.split(separator: " ", maxSplits: 1)
            if let key = parts.first { keys[key.lowercased()] = parts.count > 1 ? String(parts[1]) : "" }
            if line.lowercased() == "end" { break }
            lineStart = end + 1
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
