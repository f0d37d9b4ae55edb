import Foundation
import ZIPFoundation

/// A zip archive of a class-folder tree (the real N-MNIST ships as
/// `Train.zip`/`Test.zip`), listed without unpacking; recordings are read
/// entry by entry (see ``Recording/open(lenient:columns:geometry:)``).
public enum ZipDataset {
    public static func load(archive path: String) throws -> Dataset {
        let archive = try openArchive(path)
        var paths = [String]()
        for entry in archive where entry.type == .file { paths.append(entry.path) }
        let dataset = Dataset.fromRelativePaths(paths, source: path) { .zipEntry(archive: path, entry: $0) }
        if dataset.recordings.isEmpty {
            throw FeastEventsError.dataset(path: path, reason: "no event files (.bin, .csv) in the archive; expected class folders like Train/3/00012.bin")
        }
        return dataset
    }

    static func openArchive(_ path: String) throws -> Archive {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw FeastEventsError.fileNotFound(path: path)
        }
        if isFolder.boolValue { throw FeastEventsError.isDirectory(path: path) }
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw FeastEventsError.dataset(path: path, reason: "not a readable zip archive (\(error))")
        }
    }
}
