import Foundation

/// The recordings named by a command's inputs: event files as they are,
/// datasets (folders of class sub-folders, labels CSVs, zip archives)
/// expanded into their recordings, each dataset sorted by name, inputs in
/// the order given.
public enum InputRecordings {
    /// One recording to read: a dataset's ``Recording`` or a plain path
    /// (`-` = stdin).
    public struct Item: Sendable {
        /// What messages and outputs call it (the path, or the dataset entry).
        public var name: String
        public var label: Int?
        public var path: String?
        public var recording: Recording?

        public init(name: String, label: Int?, path: String?, recording: Recording?) {
            self.name = name
            self.label = label
            self.path = path
            self.recording = recording
        }

        /// A dataset recording.
        public init(_ recording: Recording) {
            self.init(name: recording.displayPath, label: recording.label, path: nil, recording: recording)
        }
    }

    /// The recordings of `paths`; `format` is the format the user gave for
    /// the event files (a `.csv` is then an event file, never a labels CSV).
    public static func list(_ paths: [String], format: EventFormat?) throws -> [Item] {
        var items = [Item]()
        for path in paths {
            if isDataset(path, format: format) {
                items += try Dataset.load(path: path).recordings.map(Item.init)
            } else {
                items.append(Item(name: path, label: nil, path: path, recording: nil))
            }
        }
        return items
    }

    /// Folders and archives are datasets whatever the format given (it then
    /// applies to their recordings); a CSV only when it looks like labels
    /// and no format is given.
    public static func isDataset(_ path: String, format: EventFormat?) -> Bool {
        if path == "-" { return false }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return true }
        let lower = path.lowercased()
        if lower.hasSuffix(".zip") { return true }
        return format == nil && lower.hasSuffix(".csv") && ((try? LabelsCSV.looksLikeLabels(path: path)) ?? false)
    }

    /// A CSV field, quoted when needed.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
