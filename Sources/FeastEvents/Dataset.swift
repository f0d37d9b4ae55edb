import Foundation

/// A labelled collection of recordings in a deterministic order (sorted by
/// `name`). Loaded from a folder of class sub-folders, a labels CSV, a zip
/// archive of class folders, or a single event file (``Dataset/load(path:)``).
public struct Dataset: Sendable {
    /// Where the dataset came from (for messages).
    public var source: String
    public var recordings: [Recording]

    public init(source: String, recordings: [Recording]) {
        self.source = source
        self.recordings = recordings.sorted { ($0.name, $0.window?.start ?? 0) < ($1.name, $1.window?.start ?? 0) }
    }

    public var count: Int { recordings.count }

    /// Loads any dataset argument: a folder (class sub-folders), a `.zip`
    /// archive of one, a labels CSV (`file,label[,split]` header), or one
    /// event file (a single unlabelled recording).
    public static func load(path: String) throws -> Dataset {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw FeastEventsError.fileNotFound(path: path)
        }
        if isFolder.boolValue { return try ClassFolderDataset.load(folder: path) }
        if path.lowercased().hasSuffix(".zip") { return try ZipDataset.load(archive: path) }
        if path.lowercased().hasSuffix(".csv"), try LabelsCSV.looksLikeLabels(path: path) {
            return try LabelsCSV.load(path: path)
        }
        return Dataset(source: path, recordings: [Recording(name: path, label: nil, split: nil, location: .file(path))])
    }

    /// True for file names the loaders take as recordings.
    static func isEventFile(_ name: String) -> Bool {
        EventFormat(path: name) != nil
    }

    /// Label and split from a relative path such as `Train/3/00012.bin`:
    /// the parent folder, if an integer, is the label; a `Train`/`Test`
    /// folder anywhere above gives the split.
    static func labelAndSplit(relativePath: String) -> (label: Int?, split: Split?) {
        let parts = relativePath.split(separator: "/")
        guard parts.count >= 2 else { return (nil, nil) }
        let label = Int(parts[parts.count - 2])
        let split = parts.dropLast().lazy.compactMap { Split(name: $0) }.last
        return (label, split)
    }

    /// Keeps the class-folder files if there are any, else all event files.
    static func fromRelativePaths(_ paths: [String], source: String, location: (String) -> Recording.Location) -> Dataset {
        var labelled = [Recording]()
        var all = [Recording]()
        for path in paths where isEventFile(path) {
            let (label, split) = labelAndSplit(relativePath: path)
            let recording = Recording(name: path, label: label, split: split, location: location(path))
            all.append(recording)
            if label != nil { labelled.append(recording) }
        }
        return Dataset(source: source, recordings: labelled.isEmpty ? all : labelled)
    }
}

/// A folder of class sub-folders: `Train/3/00012.bin`, `Test/...`, or
/// `3/x.bin`. Event files outside integer-named folders are ignored when
/// any labelled file exists (so `labels.csv` beside `Train/` is not a
/// recording); a folder of loose files gives unlabelled recordings.
public enum ClassFolderDataset {
    public static func load(folder: String) throws -> Dataset {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw FeastEventsError.io(path: folder, operation: "list", reason: "cannot read the folder")
        }
        var paths = [String]()
        while let next = walker.nextObject() as? String { paths.append(next) }
        let root = folder.hasSuffix("/") ? folder : folder + "/"
        let dataset = Dataset.fromRelativePaths(paths, source: folder) { .file(root + $0) }
        if dataset.recordings.isEmpty {
            throw FeastEventsError.dataset(path: folder, reason: "no event files (.bin, .csv, .h5, .raw, .dat, .aedat, .aedat4, .es) found; expected class sub-folders like Train/3/00012.bin")
        }
        return dataset
    }
}
