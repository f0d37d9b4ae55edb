import FeastAEDAT4
import FeastEvents

/// How to read event inputs, shared by every command that reads events.
public struct EventReadOptions: Sendable {
    /// The format the user gave; trusted after the magic bytes, before the
    /// extension (see ``EventFormatDetector``).
    public var format: EventFormat?
    /// Keep the whole events of a truncated `.bin` instead of failing.
    public var lenient: Bool
    /// CSV column order (overrides a header).
    public var columns: CSVColumns?
    /// Sensor size given by the user. Headerless `.bin`/CSV default to
    /// N-MNIST's 34×34; camera files take theirs from the header, and this
    /// overrides it (the reader then checks addresses against it).
    public var geometry: SensorGeometry?
    /// The sensor of headerless inputs (`.bin`, CSV) when `geometry` is
    /// nil: N-MNIST's, or the network's for commands that run one.
    public var headerlessGeometry: SensorGeometry
    /// Filters every source applies as it is read (none by default).
    public var filters: EventFilterSpec

    public init(format: EventFormat? = nil, lenient: Bool = false, columns: CSVColumns? = nil, geometry: SensorGeometry? = nil,
                headerlessGeometry: SensorGeometry = .nmnist, filters: EventFilterSpec = EventFilterSpec()) {
        self.filters = filters
        self.format = format
        self.lenient = lenient
        self.columns = columns
        self.geometry = geometry
        self.headerlessGeometry = headerlessGeometry
    }
}

/// Opens event sources and sinks by path, for every format: the one place
/// that maps a format to its reader and writer. `-` is stdin or stdout.
public enum EventFileOpener {
    /// Opens one event file (`-` = stdin), telling the format from the
    /// magic bytes, `options.format` and the extension, in that order.
    public static func openSource(path: String, options: EventReadOptions = EventReadOptions()) throws -> any EventSource {
        try filtered(openReader(path: path, options: options), options)
    }

    /// `source` through `options.filters` (itself when there are none).
    static func filtered(_ source: any EventSource, _ options: EventReadOptions) -> any EventSource {
        options.filters.isEmpty ? source : FilteredSource(source, chain: options.filters.chain(geometry: source.geometry))
    }

    private static func openReader(path: String, options: EventReadOptions) throws -> any EventSource {
        let input = try ByteInput.open(path: path)
        let format = try EventFormatDetector.detect(input: input, given: options.format)
        if format == .hdf5 {
            if path == "-" {
                throw FeastEventsError.formatUnavailable(path: path, format: "hdf5", reason: "HDF5 needs a seekable file, not stdin")
            }
            return try HDF5EventReader(path: path, geometry: options.geometry)
        }
        return try openSource(input: input, format: format, options: options)
    }

    /// Opens a stream already open as a ``ByteInput`` (a file, stdin, a
    /// zip entry in memory) in a known format other than HDF5.
    public static func openSource(input: ByteInput, format: EventFormat, options: EventReadOptions) throws -> any EventSource {
        switch format {
        case .nmnist:
            return NMNISTReader(input: input, geometry: options.geometry ?? options.headerlessGeometry, lenient: options.lenient)
        case .csv:
            return CSVReader(input: input, geometry: options.geometry ?? options.headerlessGeometry, columns: options.columns)
        case .hdf5:
            throw FeastEventsError.formatUnavailable(path: input.name, format: "hdf5", reason: "HDF5 needs a seekable file, not a stream")
        case .evt2:
            return try EVT2Reader(input: input, geometry: options.geometry)
        case .evt3:
            return try EVT3Reader(input: input, geometry: options.geometry)
        case .dat:
            return try DATReader(input: input, geometry: options.geometry)
        case .aedat2:
            return try AEDAT2Reader(input: input, geometry: options.geometry)
        case .aedat3:
            return try AEDAT3Reader(input: input, geometry: options.geometry)
        case .aedat4:
            return try AEDAT4Reader(input: input, geometry: options.geometry)
        case .es:
            return try EventStreamReader(input: input, geometry: options.geometry)
        }
    }

    /// Opens a dataset recording: files in any format, zip entries in any
    /// streamable format (read into memory first); a recording with a time
    /// window gives only the events inside it.
    public static func openSource(recording: Recording, options: EventReadOptions) throws -> any EventSource {
        let source: any EventSource
        switch recording.location {
        case let .file(path):
            source = try openReader(path: path, options: options)
        case let .zipEntry(archive, entry):
            let input = ByteInput(bytes: try recording.readEntryBytes(), name: "\(archive):\(entry)")
            source = try openSource(input: input, format: try EventFormatDetector.detect(input: input, given: options.format), options: options)
        }
        guard let window = recording.window else { return filtered(source, options) }
        return filtered(TimeWindowSource(source, window: window), options)
    }

    /// Creates a sink writing `path` atomically (`-` = stdout) in `format`
    /// (or the extension's), recording `geometry` where the format has a
    /// header for it.
    public static func makeSink(path: String, format: EventFormat?, geometry: SensorGeometry, columns: CSVColumns?) throws -> any EventSink {
        let format = try EventFormat.resolve(format, path: path)
        switch format {
        case .nmnist:
            return NMNISTWriter(output: try ByteOutput(path: path))
        case .csv:
            return CSVWriter(output: try ByteOutput(path: path), columns: columns ?? .standard)
        case .hdf5:
            if path == "-" {
                throw FeastEventsError.formatUnavailable(path: path, format: "hdf5", reason: "HDF5 needs a seekable file, not stdout")
            }
            return try HDF5EventWriter(path: path, geometry: geometry)
        case .evt2:
            return EVT2Writer(output: try ByteOutput(path: path), geometry: geometry)
        case .evt3:
            return EVT3Writer(output: try ByteOutput(path: path), geometry: geometry)
        case .es:
            return try EventStreamWriter(output: try ByteOutput(path: path), geometry: geometry)
        default:
            throw FeastEventsError.formatUnavailable(path: path, format: format.rawValue, reason: "feast reads \(format.displayName) but does not write it; write evt2, evt3, es, hdf5, csv or nmnist")
        }
    }

    /// Throws when `source` comes from a sensor larger than `network`'s:
    /// a layer would skip every event off its own sensor.
    public static func checkSensor(of source: any EventSource, fits network: SensorGeometry) throws {
        let g = source.geometry
        guard g.width <= network.width && g.height <= network.height else {
            throw FeastIOError.sensorTooLarge(file: source.name, sensor: "\(g)", network: "\(network)")
        }
    }

    /// Warnings a finished source leaves: a truncated `.bin` under
    /// `lenient`, vendor words skipped by a camera reader.
    public static func warnings(for source: any EventSource) -> [String] {
        var lines = [String]()
        let source = source.reader
        if let reader = source as? NMNISTReader, reader.trailingBytes > 0 {
            lines.append("warning: \(reader.name): ignored \(reader.trailingBytes) trailing byte(s) of a partial event at the end (lenient reading)")
        }
        if let reader = source as? any VendorEventSkipping, !reader.skippedEvents.isEmpty {
            lines.append("note: \(source.name): skipped non-CD vendor events: \(reader.skippedSummary)")
        }
        return lines
    }
}
