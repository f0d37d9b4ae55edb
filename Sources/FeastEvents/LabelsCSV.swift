import Foundation

/// A labels CSV: `file,label[,split]` with a header naming those columns
/// (other columns are ignored), or without a header in that order. Paths
/// are relative to the CSV's folder; an empty label is `nil`.
///
/// Labelled time windows: a header with `t_start` and `t_end` columns (µs,
/// half-open `[t_start, t_end)`) makes each line one sample of its file,
/// so one long recording may appear on many lines (DVS Gesture's
/// `*_labels.csv` layout, with a `file` column added). Such a recording is
/// named `file@t_start-t_end`.
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
        var startColumn: Int? = nil, endColumn: Int? = nil
        var recordings = [Recording]()
        var lineNumbers = [Int]()
        var files = [String]()
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
                startColumn = names.firstIndex(of: "t_start")
                endColumn = names.firstIndex(of: "t_end")
                if (startColumn == nil) != (endColumn == nil) {
                    throw FeastEventsError.dataset(path: "\(path):1", reason: "header has \(startColumn == nil ? "t_end" : "t_start") without \(startColumn == nil ? "t_start" : "t_end"); a time window needs both (µs)")
                }
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
            var window: TimeWindow? = nil
            if let startColumn, let endColumn {
                func time(_ column: Int, _ field: String) throws -> Int64 {
                    let text = column < fields.count ? fields[column] : ""
                    guard let value = Int64(text), value >= 0 else {
                        throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "\(field) '\(text)' is not a time in µs (an integer ≥ 0)")
                    }
                    return value
                }
                let start = try time(startColumn, "t_start"), end = try time(endColumn, "t_end")
                guard start < end else {
                    throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "t_start \(start) µs is not before t_end \(end) µs; expected a window [t_start, t_end)")
                }
                window = TimeWindow(start: start, end: end)
            }
            let location = file.hasPrefix("/") ? file : root + file
            let name = window.map { "\(file)@\($0)" } ?? file
            recordings.append(Recording(name: name, label: label, split: split, location: .file(location), window: window))
            lineNumbers.append(lineNumber)
            files.append(file)
        }
        if recordings.isEmpty {
            throw FeastEventsError.dataset(path: path, reason: "no recordings listed; expected lines file,label[,split]")
        }
        // Checked after the syntax so a typo is reported first, and before
        // any work starts so a long training does not stop at file 60,000.
        var checked = Set<String>()
        for (index, (recording, lineNumber)) in zip(recordings, lineNumbers).enumerated() {
            guard case let .file(location) = recording.location, checked.insert(location).inserted else { continue }
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: location, isDirectory: &isFolder) || isFolder.boolValue {
                throw FeastEventsError.dataset(path: "\(path):\(lineNumber)", reason: "listed file '\(files[index])' \(isFolder.boolValue ? "is a folder" : "does not exist") (looked for \(location); paths are relative to the labels CSV's folder)")
            }
        }
        return Dataset(source: path, recordings: recordings)
    }
}
