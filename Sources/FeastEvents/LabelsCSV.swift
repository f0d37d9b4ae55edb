import Foundation

/// A labels CSV: `file,label[,split]` with a header naming those columns
/// (other columns are ignored), or without a header in that order. Paths
/// are relative to the CSV's folder; an empty label is `nil`.
public enum LabelsCSV {
    /// True when the first line starts with a `file` column.
    public static func looksLikeLabels(path: String) throws -> Bool {
        let input = try ByteInput.open(path: path, capacity: 4_096)
        _ = try input.fill(atLeast: 4_096)
        let text = String(decoding: UnsafeRawBufferPointer(start: input.bytes, count: input.available), as: UTF8.self)
        let first = text.split(maxSplits: 1, whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return first.split(separator: ",").first.map { $0.trimmingSpaces.lowercased() } == "file"
    }

    public static func load(path: String) throws -> Dataset {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FeastEventsError.io(path: path, operation: "read", reason: "not a readable UTF-8 text file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let root = folder.isEmpty ? "" : folder + "/"
        var fileColumn = 0, labelColumn = 1
        var splitColumn: Int? = 2
        var recordings = [Recording]()
        var lineNumbers = [Int]()
        // "\r\n" is one Character in Swift: split on either line ending.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingSpaces
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            if lineNumber == 1 && fields[0].lowercased() == "file" {
                let names = fields.map { $0.lowercased() }
                fileColumn = 0
                guard let label = names.firstIndex(of: "label") else {
                    throw FeastEventsError.dataset(path: "\(path):1", reason: "header has no 'label' column; expected file,label[,split]")
                }
                labelColumn = label
                splitColumn = names.firstIndex(of: "split")
                continue
            }
            guard fields.count > labelColumn else {
                throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "expected file,label[,split], found \(fields.count) field(s)")
            }
            let file = fields[fileColumn]
            let labelText = fields[labelColumn]
            var label: Int? = nil
            if !labelText.isEmpty {
                guard let value = Int(labelText) else {
                    throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "label '\(labelText)' is not an integer")
                }
                label = value
            }
            var split: Split? = nil
            if let splitColumn, splitColumn < fields.count, !fields[splitColumn].isEmpty {
                guard let value = Split(name: fields[splitColumn]) else {
                    throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "split '\(fields[splitColumn])' is neither train nor test")
                }
                split = value
            }
            let location = file.hasPrefix("/") ? file : root + file
            recordings.append(Recording(name: file, label: label, split: split, location: .file(location)))
            lineNumbers.append(lineNumber)
        }
        if recordings.isEmpty {
            throw FeastEventsError.dataset(path: path, reason: "no recordings listed; expected lines file,label[,split]")
        }
        // Checked after the syntax so a typo is reported first, and before
        // any work starts so a long training does not stop at file 60,000.
        for (recording, lineNumber) in zip(recordings, lineNumbers) {
            guard case let .file(location) = recording.location else { continue }
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: location, isDirectory: &isFolder) || isFolder.boolValue {
                throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "listed file '\(recording.name)' \(isFolder.boolValue ? "is a folder" : "does not exist") (looked for \(location); paths are relative to the labels CSV's folder)")
            }
        }
        return Dataset(source: path, recordings: recordings)
    }
}
