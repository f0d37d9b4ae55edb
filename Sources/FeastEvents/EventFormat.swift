/// The event file formats the tool reads and writes.
///
/// A file's format is told by its magic bytes and header first (see
/// ``EventFormatDetector``), its extension second, `--format`/`--from` last.
public enum EventFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// N-MNIST binary, 5 bytes an event (`.bin`).
    case nmnist
    /// CSV text `t,x,y,p` (`.csv`).
    case csv
    /// HDF5 `/events/{x,y,p,t}` (`.h5`, `.hdf5`); the codec lives in FeastIO.
    case hdf5
    /// Prophesee EVT 2.0 RAW (`.raw`, `%` header, 32-bit words).
    case evt2
    /// Prophesee EVT 3.0 RAW (`.raw`, `%` header, 16-bit words).
    case evt3
    /// Prophesee DAT (`.dat`, `%` header, 8-byte CD events).
    case dat
    /// jAER AEDAT 2.0 (`.aedat`, `#!AER-DAT2.0`, big-endian 8-byte events).
    case aedat2
    /// AEDAT 3.1 (`.aedat`, `#!AER-DAT3.1`, polarity packets).
    case aedat3
    /// AEDAT 4.0 (`.aedat4`, `#!AER-DAT4.0`, flatbuffer packets, LZ4/ZSTD); the codec lives in FeastAEDAT4.
    case aedat4
    /// Event Stream 2.x (`.es`, `Event Stream` magic).
    case es

    /// Parses `--format` values: `nmnist`/`bin`, `csv`, `hdf5`/`h5`,
    /// `evt2`, `evt3`, `dat`, `aedat2`, `aedat3`/`aedat3.1`, `aedat4`, `es`.
    public init?(name: String) {
        switch name.lowercased() {
        case "nmnist", "bin", "n-mnist": self = .nmnist
        case "csv", "text": self = .csv
        case "hdf5", "h5": self = .hdf5
        case "evt2", "evt2.0", "evt20": self = .evt2
        case "evt3", "evt3.0", "evt30": self = .evt3
        case "dat": self = .dat
        case "aedat2", "aedat2.0": self = .aedat2
        case "aedat3", "aedat3.1", "aedat31": self = .aedat3
        case "aedat4", "aedat4.0": self = .aedat4
        case "es", "eventstream", "event-stream": self = .es
        default: return nil
        }
    }

    /// The format a path's extension names, if any (case-insensitive).
    /// `.raw` (EVT 2.0 or 3.0) and `.aedat` (2.0 or 3.1) need the header
    /// to tell the version: by extension alone they give the version the
    /// vendors' tools write by default (EVT 3.0, AEDAT 3.1 resp. 2.0 is
    /// read from the header when present).
    public init?(path: String) {
        guard let ext = EventFormat.fileExtension(of: path) else { return nil }
        switch ext {
        case "bin", "bs2": self = .nmnist
        case "csv": self = .csv
        case "h5", "hdf5": self = .hdf5
        case "raw": self = .evt3
        case "dat": self = .dat
        case "aedat": self = .aedat3
        case "aedat4": self = .aedat4
        case "es": self = .es
        default: return nil
        }
    }

    /// The lower-cased extension of `path`, without dot, if it has one.
    public static func fileExtension(of path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return String(path[path.index(after: dot)...]).lowercased()
    }

    /// The extensions ``init(path:)`` knows, for messages.
    public static let knownExtensions = [".bin", ".csv", ".h5", ".hdf5", ".raw", ".dat", ".aedat", ".aedat4", ".es"]

    /// `given` if set, else the format of `path`'s extension; throws when
    /// neither tells (stdin/stdout `-` needs an explicit format). For
    /// outputs; inputs go through ``EventFormatDetector``, which reads the
    /// header too.
    public static func resolve(_ given: EventFormat?, path: String) throws -> EventFormat {
        if let given { return given }
        if let byName = EventFormat(path: path) { return byName }
        throw FeastEventsError.unknownFormat(path: path, tried: [EventFormatDetector.extensionAttempt(path: path)], formatNotGiven: true)
    }

    /// The usual file extension, without dot.
    public var fileExtension: String {
        switch self {
        case .nmnist: "bin"
        case .csv: "csv"
        case .hdf5: "h5"
        case .evt2, .evt3: "raw"
        case .dat: "dat"
        case .aedat2, .aedat3: "aedat"
        case .aedat4: "aedat4"
        case .es: "es"
        }
    }

    /// Formats feast writes (`convert --to`, output events): the others are read only.
    public static let writable: [EventFormat] = [.nmnist, .csv, .hdf5, .evt2, .evt3, .es]

    /// A name for messages, as the vendors write it ("EVT 3.0", "AEDAT 4.0").
    public var displayName: String {
        switch self {
        case .nmnist: "N-MNIST .bin"
        case .csv: "CSV"
        case .hdf5: "HDF5"
        case .evt2: "EVT 2.0"
        case .evt3: "EVT 3.0"
        case .dat: "Prophesee DAT"
        case .aedat2: "AEDAT 2.0"
        case .aedat3: "AEDAT 3.1"
        case .aedat4: "AEDAT 4.0"
        case .es: "Event Stream"
        }
    }

    public var description: String { rawValue }
}
