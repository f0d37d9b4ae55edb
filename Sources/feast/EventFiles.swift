import ArgumentParser
import Foundation
import FeastEvents
import FeastIO

/// Opening event sources and sinks by path and format, for every command.
/// `-` is stdin or stdout; the format comes from `--format/--from/--to` or
/// the file extension (`.bin`, `.csv`, `.h5`/`.hdf5`).
enum EventFiles {
    /// How to read inputs: options shared by commands that read events.
    struct ReadOptions {
        var format: EventFormat?
        var lenient = false
        var columns: CSVColumns?
        /// Sensor size given by the user; `.bin`/CSV default to N-MNIST's,
        /// HDF5 files carry their own.
        var geometry: SensorGeometry?
    }

    /// Opens one event file (`-` = stdin).
    static func openSource(path: String, options: ReadOptions) throws -> any EventSource {
        let format = try EventFormat.resolve(options.format, path: path)
        switch format {
        case .nmnist:
            return NMNISTReader(input: try ByteInput.open(path: path), geometry: options.geometry ?? .nmnist, lenient: options.lenient)
        case .csv:
            return CSVReader(input: try ByteInput.open(path: path), geometry: options.geometry ?? .nmnist, columns: options.columns)
        case .hdf5:
            if path == "-" {
                throw FeastEventsError.formatUnavailable(path: path, format: "hdf5", reason: "HDF5 needs a seekable file, not stdin")
            }
            _ = try ByteInput.open(path: path)  // missing file / folder: the same messages as other formats
            return try HDF5EventReader(path: path, geometry: options.geometry)
        }
    }

    /// Opens a dataset recording; `.file` locations may be any format,
    /// zip entries `.bin` or `.csv`.
    static func openSource(recording: Recording, options: ReadOptions) throws -> any EventSource {
        if case let .file(path) = recording.location {
            var options = options
            if options.format == nil { options.format = recording.format }
            return try openSource(path: path, options: options)
        }
        return try recording.open(lenient: options.lenient, columns: options.columns, geometry: options.geometry ?? .nmnist)
    }

    /// Creates a sink writing `path` atomically (`-` = stdout).
    static func makeSink(path: String, format: EventFormat?, geometry: SensorGeometry, columns: CSVColumns?) throws -> any EventSink {
        switch try EventFormat.resolve(format, path: path) {
        case .nmnist:
            return NMNISTWriter(output: try ByteOutput(path: path))
        case .csv:
            return CSVWriter(output: try ByteOutput(path: path), columns: columns ?? .standard)
        case .hdf5:
            if path == "-" {
                throw FeastEventsError.formatUnavailable(path: path, format: "hdf5", reason: "HDF5 needs a seekable file, not stdout")
            }
            return try HDF5EventWriter(path: path, geometry: geometry)
        }
    }

    /// Warnings a finished source leaves (a truncated `.bin` under --lenient).
    static func warnings(for source: any EventSource) -> [String] {
        if let reader = source as? NMNISTReader, reader.trailingBytes > 0 {
            return ["warning: \(reader.name): ignored \(reader.trailingBytes) trailing byte(s) of a partial event at the end (--lenient)"]
        }
        return []
    }
}

extension EventFiles {
    /// A JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Writes a line to stderr.
    static func printError(_ message: String) {
        var line = message + "\n"
        // write(2) on fd 2: unbuffered, and no shared C `stderr` global.
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

extension EventFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["nmnist", "csv", "hdf5"] }
}

/// `--geometry WxH`.
struct GeometryArgument: ExpressibleByArgument {
    var geometry: SensorGeometry
    init?(argument: String) {
        let parts = argument.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" })
        // Addresses are 16-bit: at most 65536 columns and rows.
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...65_536).contains(w), (1...65_536).contains(h) else { return nil }
        geometry = SensorGeometry(width: w, height: h)
    }

    /// For `transform:`: the reason in the message, not only "invalid".
    static func parse(_ argument: String) throws -> GeometryArgument {
        guard let g = GeometryArgument(argument: argument) else {
            throw ValidationError("expected WxH, width and height in 1…65536 (e.g. 34x34)")
        }
        return g
    }
}

/// `--columns t,x,y,p` (any order).
struct ColumnsArgument: ExpressibleByArgument {
    var columns: CSVColumns
    init?(argument: String) {
        guard let columns = CSVColumns(spec: argument) else { return nil }
        self.columns = columns
    }

    static func parse(_ argument: String) throws -> ColumnsArgument {
        guard let c = ColumnsArgument(argument: argument) else {
            throw ValidationError("expected t, x, y and p once each, comma-separated (e.g. x,y,p,t)")
        }
        return c
    }
}

/// Input options shared by commands reading event files.
struct EventInputOptions: ParsableArguments {
    @Flag(help: "Keep the whole events of a .bin file whose length is not a multiple of 5 (warns) instead of failing.")
    var lenient = false

    @Option(help: ArgumentHelp("CSV column order, e.g. x,y,p,t (overrides a header).", valueName: "t,x,y,p"), transform: ColumnsArgument.parse)
    var columns: ColumnsArgument?

    @Option(help: ArgumentHelp("Sensor size for .bin and CSV inputs.", valueName: "WxH"), transform: GeometryArgument.parse)
    var geometry: GeometryArgument?

    func readOptions(format: EventFormat?) -> EventFiles.ReadOptions {
        EventFiles.ReadOptions(format: format, lenient: lenient, columns: columns?.columns, geometry: geometry?.geometry)
    }
}
