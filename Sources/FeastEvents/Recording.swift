import Foundation
import ZIPFoundation

/// Train or test membership of a recording.
public enum Split: String, Sendable, Hashable, Codable {
    case train, test

    /// Reads `train`/`training`/`test`/`testing` (case-insensitive).
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "train", "training": self = .train
        case "test", "testing": self = .test
        default: return nil
        }
    }
}

/// One recording of a dataset: where its bytes are and what it is.
public struct Recording: Sendable, Hashable {
    /// Where the bytes are.
    public enum Location: Sendable, Hashable {
        /// A file on disk.
        case file(String)
        /// An entry of a zip archive (read without unpacking the archive).
        case zipEntry(archive: String, entry: String)
    }

    /// Path relative to the dataset root (or the archive), for messages,
    /// sorting and `info` output.
    public var name: String
    /// Class label (digit for N-MNIST), if known.
    public var label: Int?
    /// Train/test membership, if the layout says.
    public var split: Split?
    public var location: Location
    /// The part of the file that is this sample (labelled time windows);
    /// `nil` = the whole file.
    public var window: TimeWindow?

    public init(name: String, label: Int?, split: Split?, location: Location, window: TimeWindow? = nil) {
        self.name = name
        self.label = label
        self.split = split
        self.location = location
        self.window = window
    }

    /// The event format of the recording, from its extension.
    public var format: EventFormat? {
        switch location {
        case let .file(path): EventFormat(path: path)
        case let .zipEntry(_, entry): EventFormat(path: entry)
        }
    }

    /// A path for messages: the file, or `archive.zip:entry`, with
    /// `@start-end` (µs) for a time window.
    public var displayPath: String {
        let base = switch location {
        case let .file(path): path
        case let .zipEntry(archive, entry): "\(archive):\(entry)"
        }
        return window.map { "\(base)@\($0)" } ?? base
    }

    /// Opens the recording as a stream (`.bin` and `.csv`; HDF5 needs
    /// FeastIO, whose callers open `.file` locations themselves).
    ///
    /// A zip entry is extracted into memory first: N-MNIST recordings are
    /// a few tens of kilobytes, and ZIP's deflate stream is easiest to
    /// consume whole. Large entries would need a streaming inflater.
    public func open(lenient: Bool = false, columns: CSVColumns? = nil, geometry: SensorGeometry = .nmnist) throws -> any EventSource {
        guard let format else { throw FeastEventsError.unknownFormat(path: displayPath, tried: [EventFormatDetector.extensionAttempt(path: displayPath)], formatNotGiven: false) }
        let input: ByteInput
        switch location {
        case let .file(path):
            input = try ByteInput.open(path: path)
        case .zipEntry:
            input = ByteInput(bytes: try readEntryBytes(), name: displayPath)
        }
        switch format {
        case .nmnist: return NMNISTReader(input: input, geometry: geometry, lenient: lenient)
        case .csv: return CSVReader(input: input, geometry: geometry, columns: columns)
        case .hdf5:
            throw FeastEventsError.formatUnavailable(path: displayPath, format: "hdf5", reason: "HDF5 recordings are read by FeastIO (open the file with HDF5EventReader); HDF5 inside zip archives is not supported")
        default:
            throw FeastEventsError.formatUnavailable(path: displayPath, format: format.rawValue, reason: "camera files are opened through FeastIO's EventFileOpener, which knows every format")
        }
    }

    /// The whole entry of a zip location, in memory.
    public func readEntryBytes() throws -> [UInt8] {
        guard case let .zipEntry(archivePath, entryPath) = location else {
            preconditionFailure("readEntryBytes() is for zip entries")
        }
        let archive = try ZipDataset.openArchive(archivePath)
        guard let entry = archive[entryPath] else {
            throw FeastEventsError.dataset(path: archivePath, reason: "no entry '\(entryPath)' in the archive")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data in bytes.append(contentsOf: data) }
        } catch {
            throw FeastEventsError.dataset(path: displayPath, reason: "cannot extract the zip entry: \(error)")
        }
        return bytes
    }
}
