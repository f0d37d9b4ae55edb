/// The event file formats the tool reads and writes.
public enum EventFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// N-MNIST binary, 5 bytes an event (`.bin`).
    case nmnist
    /// CSV text `t,x,y,p` (`.csv`).
    case csv
    /// HDF5 `/events/{x,y,p,t}` (`.h5`, `.hdf5`); the codec lives in FeastIO.
    case hdf5

    /// Parses `--format` values: `nmnist`/`bin`, `csv`, `hdf5`/`h5`.
    public init?(name: String) {
        switch name.lowercased() {
        case "nmnist", "bin", "n-mnist": self = .nmnist
        case "csv", "text": self = .csv
        case "hdf5", "h5": self = .hdf5
        default: return nil
        }
    }

    /// The format a path's extension names, if any (case-insensitive).
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "bin", "bs2": self = .nmnist
        case "csv": self = .csv
        case "h5", "hdf5": self = .hdf5
        default: return nil
        }
    }

    /// `given` if set, else the format of `path`'s extension; throws when
    /// neither tells (stdin/stdout `-` needs an explicit format).
    public static func resolve(_ given: EventFormat?, path: String) throws -> EventFormat {
        if let given { return given }
        if let byName = EventFormat(path: path) { return byName }
        throw FeastEventsError.unknownFormat(path: path)
    }

    /// The usual file extension, without dot.
    public var fileExtension: String {
        switch self {
        case .nmnist: "bin"
        case .csv: "csv"
        case .hdf5: "h5"
        }
    }

    public var description: String { rawValue }
}
