import ArgumentParser
import FeastEvents
import FeastIO

extension EventFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { EventFormat.allCases.map(\.rawValue) }
}

/// An output format (`--to`): only the formats feast writes are offered.
struct WritableEventFormat: ExpressibleByArgument {
    var format: EventFormat
    init?(argument: String) {
        guard let f = EventFormat(name: argument), EventFormat.writable.contains(f) else { return nil }
        format = f
    }
    static var allValueStrings: [String] { EventFormat.writable.map(\.rawValue) }
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

    @OptionGroup(title: "Event filters") var filters: FilterOptions

    @Option(help: ArgumentHelp("Sensor size: for .bin and CSV inputs (default 34x34), and for camera files whose header gives none; overrides a header.", valueName: "WxH"), transform: GeometryArgument.parse)
    var geometry: GeometryArgument?

    /// `network`: the sensor of headerless inputs when --geometry is not
    /// given (commands that run a trained network); else 34×34.
    func readOptions(format: EventFormat?, network: SensorGeometry = .nmnist) -> EventReadOptions {
        EventReadOptions(format: format, lenient: lenient, columns: columns?.columns, geometry: geometry?.geometry,
                               headerlessGeometry: network, filters: (try? filters.spec()) ?? EventFilterSpec())
    }
}
