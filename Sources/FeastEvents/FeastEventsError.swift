/// Every error the event layer throws. Each case names the file (or `-` for
/// stdin/stdout), where in it the problem is (byte offset, line and column,
/// event index) and what was expected, so a user can find and fix it.
/// Event indices and byte offsets are 0-based; lines and columns are 1-based
/// (as editors show them).
public enum FeastEventsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case fileNotFound(path: String)
    /// A folder was given where a file was expected.
    case isDirectory(path: String)
    /// `open(2)`/`read(2)`/`write(2)` failed for another reason.
    case io(path: String, operation: String, reason: String)
    /// The reader of stdout went away (`EPIPE`): not an error for the user,
    /// the CLI ends quietly.
    case outputClosed(path: String)
    /// A `.bin` file whose length is not a multiple of 5: `trailingBytes`
    /// bytes from `byteOffset` do not form a whole event.
    case truncatedEvent(path: String, byteOffset: Int, trailingBytes: Int)
    /// An event address outside the sensor. `eventIndex` counts records in
    /// the file (overflow markers included for `.bin`).
    case addressOutsideGeometry(path: String, eventIndex: Int, x: Int, y: Int, geometry: SensorGeometry)
    /// A timestamp smaller than the previous one, under `--strict`.
    case backwardsTimestamp(path: String, eventIndex: Int, t: Int64, previous: Int64)
    /// A timestamp the output format cannot hold (negative in `.bin`).
    case timestampNotEncodable(path: String, eventIndex: Int, t: Int64, reason: String)
    /// An address the output format cannot hold (x > 255 or y ≥ 240 in `.bin`).
    case addressNotEncodable(path: String, eventIndex: Int, x: Int, y: Int, reason: String)
    /// A CSV field that does not parse.
    case csvField(path: String, line: Int, column: Int, field: String, found: String, expected: String)
    /// A CSV line with the wrong number of fields.
    case csvFieldCount(path: String, line: Int, found: Int, expected: Int)
    /// A CSV line longer than the reader's cap (protects memory).
    case csvLineTooLong(path: String, line: Int, limit: Int)
    /// Bytes that cannot be CSV text (NUL, control characters): probably a
    /// binary file read as CSV.
    case binaryInput(path: String, byteOffset: Int, byte: UInt8)
    /// A CSV header line (its first 80 characters in `header`) that does not
    /// name the columns t, x, y, p once each.
    case csvHeader(path: String, line: Int, header: String)
    /// The format of an input cannot be told; `tried` lists, in order, what
    /// was looked at (magic bytes, extension) and what it said;
    /// `formatNotGiven` adds that no explicit format was given either.
    case unknownFormat(path: String, tried: [String], formatNotGiven: Bool)
    /// A binary camera file (EVT 2.0/3.0, DAT, AEDAT, Event Stream) that
    /// breaks its format at `byteOffset`: a truncated header or packet, a
    /// bad field, a corrupt compressed block. `reason` says what was found
    /// and what was expected.
    case malformed(path: String, byteOffset: Int, format: EventFormat, reason: String)
    /// A file whose header gives no sensor size and no geometry was
    /// given (the size is never guessed from the largest address).
    case missingGeometry(path: String, format: EventFormat, looked: String)
    /// The format is known but not available in this build or context.
    case formatUnavailable(path: String, format: String, reason: String)
    /// A dataset layout problem (labels CSV, zip archive, empty folder).
    case dataset(path: String, reason: String)

    /// A reading option a message points the user to. The library names
    /// each by its `rawValue`; the CLI spells it as its flag
    /// (``message(naming:)``).
    public enum ReadOption: String, Sendable, CaseIterable {
        case lenient = "lenient reading"
        case strict = "strict reading"
        /// The format of one input.
        case format = "the format"
        /// The format of an input or of a conversion's ends.
        case anyFormat = "format"
        case columns = "the columns option"
        case geometry = "a sensor geometry WxH"
    }

    public var description: String { message(naming: \.rawValue) }

    /// The message, with each reading option it suggests spelled by `name`.
    public func message(naming name: (ReadOption) -> String) -> String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): no such file or folder"
        case let .isDirectory(path):
            return "\(path): is a folder, expected an event file"
        case let .io(path, operation, reason):
            return "\(path): cannot \(operation): \(reason)"
        case let .outputClosed(path):
            return "\(path): the reader closed the output"
        case let .truncatedEvent(path, offset, trailing):
            return "\(path): byte offset \(offset): \(trailing) trailing byte\(trailing == 1 ? "" : "s") do not form a whole 5-byte event (file length is not a multiple of 5); use \(name(.lenient)) to keep the whole events"
        case let .addressOutsideGeometry(path, index, x, y, geometry):
            return "\(path): event \(index): address x=\(x) y=\(y) is outside the \(geometry) sensor (expected x < \(geometry.width), y < \(geometry.height))"
        case let .backwardsTimestamp(path, index, t, previous):
            return "\(path): event \(index): timestamp \(t) µs goes backwards (previous event at \(previous) µs); expected non-decreasing timestamps (\(name(.strict)))"
        case let .timestampNotEncodable(path, index, t, reason):
            return "\(path): event \(index): timestamp \(t) µs cannot be written: \(reason)"
        case let .addressNotEncodable(path, index, x, y, reason):
            return "\(path): event \(index): address x=\(x) y=\(y) cannot be written: \(reason)"
        case let .csvField(path, line, column, field, found, expected):
            return "\(path):\(line):\(column): field '\(field)': expected \(expected), found '\(found)'"
        case let .csvFieldCount(path, line, found, expected):
            return "\(path):\(line): expected \(expected) comma-separated fields, found \(found)"
        case let .csvLineTooLong(path, line, limit):
            return "\(path):\(line): line longer than \(limit) bytes; expected short CSV event lines (is this a CSV file?)"
        case let .binaryInput(path, offset, byte):
            return "\(path): byte offset \(offset): byte 0x\(String(byte, radix: 16, uppercase: true)) is not CSV text; expected CSV lines 't,x,y,p' (binary data? use \(name(.format)) nmnist for .bin)"
        case let .csvHeader(path, line, header):
            return "\(path):\(line): header '\(header)' does not name the columns t, x, y, p once each (also accepted: timestamp, polarity); use \(name(.columns)) to give the order"
        case let .unknownFormat(path, tried, formatNotGiven):
            let steps = tried + (formatNotGiven ? ["no \(name(.anyFormat)) given"] : [])
            return "\(path): cannot tell the event format (tried: \(steps.joined(separator: "; "))); give \(name(.anyFormat)) \(EventFormat.allCases.map(\.rawValue).joined(separator: "|"))"
        case let .malformed(path, offset, format, reason):
            return "\(path): byte offset \(offset): not a valid \(format.displayName) file: \(reason)"
        case let .missingGeometry(path, format, looked):
            return "\(path): the \(format.displayName) header gives no sensor size (looked for \(looked)); give \(name(.geometry)) (feast never guesses it from the largest address)"
        case let .formatUnavailable(path, format, reason):
            return "\(path): format \(format) is not available: \(reason)"
        case let .dataset(path, reason):
            return "\(path): \(reason)"
        }
    }
}
