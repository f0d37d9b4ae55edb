import FeastIO
import ArgumentParser
import FeastEvents
import Foundation

/// `feast info FILE|DATASET...`: statistics per recording and in total.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recording statistics: events, ON/OFF, first/last t, extent, overflow markers, backwards timestamps, duplicates.",
        discussion: """
            Each argument is an event file (.bin, .csv, .h5, Prophesee .raw/.dat, AEDAT .aedat/.aedat4, Event Stream .es; - for stdin), a folder of class \
            sub-folders (Train/3/00012.bin), a labels CSV (file,label[,split][,t_start,t_end]) or a zip archive. \
            The sensor size comes from the file's header (or --geometry; 34x34 for .bin and CSV). \
            Duplicates are events equal (t, x, y, p) to an earlier event; totals add counts and \
            durations, t_first/t_last are the extremes.
            """)

    @Argument(help: "Event files or datasets.")
    var paths: [String]

    @Option(help: "Input format when the header does not tell (default: from the extension).")
    var format: EventFormat?

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @Flag(help: "Fail on timestamps that go backwards.")
    var strict = false

    @OptionGroup var input: EventInputOptions
    @OptionGroup var filters: FilterOptions

    func run() throws {
        // Like convert: a reader that stops early (`| head`) ends the command
        // quietly with status 0 instead of a SIGPIPE death (status 141).
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)  // past `ulimit -f`: EFBIG, reported, not a silent death
        let options = input.readOptions(format: format)
        var rows = [Row]()
        var total = EventStatistics()
        for path in paths {
            for (file, source) in try sources(for: path, options: options) {
                var source = try source()
                let stats = try statistics(of: &source)
                for warning in EventFileOpener.warnings(for: source) { Terminal.printError(warning) }
                if strict, let back = stats.firstBackwards {
                    throw FeastEventsError.backwardsTimestamp(path: file, eventIndex: back.index, t: back.t, previous: back.previous)
                }
                rows.append(Row(file: file, stats: stats, geometry: source.geometry,
                                skipped: (source as? any VendorEventSkipping)?.skippedEvents ?? (source as? TimeWindowSource).flatMap { ($0.base as? any VendorEventSkipping)?.skippedEvents } ?? [:]))
                total.merge(stats)
            }
        }
        if json {
            print(jsonReport(rows: rows, total: total))
        } else {
            print(table(rows: rows, total: total), terminator: "")
        }
    }

    /// The recordings of one argument, each with a deferred opener.
    private func sources(for path: String, options: EventReadOptions) throws -> [(String, () throws -> any EventSource)] {
        let isDatasetContainer: Bool = {
            if path == "-" { return false }
            // Folders and archives are datasets whatever --format says (it
            // then applies to their recordings); a labels CSV only without it.
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return true }
            let lower = path.lowercased()
            if lower.hasSuffix(".zip") { return true }
            return options.format == nil && lower.hasSuffix(".csv") && ((try? LabelsCSV.looksLikeLabels(path: path)) ?? false)
        }()
        guard isDatasetContainer else {
            return [(path, { try EventFileOpener.openSource(path: path, options: options) })]
        }
        let dataset = try Dataset.load(path: path)
        return dataset.recordings.map { recording in
            (recording.displayPath, { try EventFileOpener.openSource(recording: recording, options: options) })
        }
    }

    /// One recording's line: its statistics and the sensor its header (or
    /// --geometry, or the .bin/CSV default) gives.
    struct Row {
        var file: String
        var stats: EventStatistics
        var geometry: SensorGeometry
        /// Vendor words skipped by kind (camera formats).
        var skipped: [String: Int]
    }

    private func statistics(of source: inout any EventSource) throws -> EventStatistics {
        var chain = try filters.chain(geometry: source.geometry)
        var stats = EventStatistics()
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        let geometry = source.geometry
        while try source.nextChunk(into: &chunk) {
            chain.apply(&chunk)
            stats.add(chunk, geometry: geometry)
        }
        if let counting = source as? OverflowMarkerCounting { stats.overflowMarkers = counting.overflowMarkers }
        return stats
    }

    private func table(rows: [Row], total: EventStatistics) -> String {
        let header = ["file", "sensor", "events", "on", "off", "t_first_us", "t_last_us", "duration_us", "x", "y", "overflow", "backwards", "duplicates"]
        func cells(_ name: String, _ sensor: String, _ s: EventStatistics) -> [String] {
            func range(_ a: Int?, _ b: Int?) -> String { a.map { "\($0)..\(b!)" } ?? "-" }
            return [name, sensor, "\(s.events)", "\(s.onEvents)", "\(s.offEvents)", s.tFirst.map(String.init) ?? "-",
                    s.tLast.map(String.init) ?? "-", "\(s.duration)", range(s.xMin, s.xMax), range(s.yMin, s.yMax),
                    "\(s.overflowMarkers)", "\(s.backwardsTimestamps)", "\(s.duplicates)"]
        }
        var lines = [header] + rows.map { cells($0.file, $0.geometry.description, $0.stats) }
        if rows.count > 1 { lines.append(cells("total (\(rows.count) recordings)", Set(rows.map(\.geometry)).count == 1 ? rows[0].geometry.description : "mixed", total)) }
        var widths = [Int](repeating: 0, count: header.count)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for line in lines {
            let padded = line.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }
            out += padded.joined(separator: "  ") + "\n"
        }
        return out
    }

    private func jsonReport(rows: [Row], total: EventStatistics) -> String {
        func object(_ s: EventStatistics, file: String?, geometry: SensorGeometry?, skipped: [String: Int]?) -> String {
            func value(_ v: Int64?) -> String { v.map(String.init) ?? "null" }
            func value(_ v: Int?) -> String { v.map(String.init) ?? "null" }
            var fields = [String]()
            if let file { fields.append("\"file\": \(FeastJSON.quoted(file))") }
            // Per recording from its header; in the total only when all agree.
            fields += ["\"width\": \(value(geometry?.width))", "\"height\": \(value(geometry?.height))"]
            if let skipped {
                let entries = skipped.sorted { $0.key < $1.key }.map { "\(FeastJSON.quoted($0.key)): \($0.value)" }
                fields.append("\"skipped_vendor_events\": {" + entries.joined(separator: ", ") + "}")
            }
            fields += [
                "\"events\": \(s.events)", "\"on_events\": \(s.onEvents)", "\"off_events\": \(s.offEvents)",
                "\"t_first_us\": \(value(s.tFirst))", "\"t_last_us\": \(value(s.tLast))", "\"duration_us\": \(s.duration)",
                "\"overflow_markers\": \(s.overflowMarkers)", "\"backwards_timestamps\": \(s.backwardsTimestamps)",
                "\"duplicates\": \(s.duplicates)",
                "\"x_min\": \(value(s.xMin))", "\"x_max\": \(value(s.xMax))", "\"y_min\": \(value(s.yMin))", "\"y_max\": \(value(s.yMax))",
            ]
            return "{" + fields.joined(separator: ", ") + "}"
        }
        let recordings = rows.map { "    " + object($0.stats, file: $0.file, geometry: $0.geometry, skipped: $0.skipped) }.joined(separator: ",\n")
        let common = Set(rows.map(\.geometry)).count == 1 ? rows.first?.geometry : nil
        return "{\n  \"recordings\": [\n\(recordings)\n  ],\n  \"total\": \(object(total, file: nil, geometry: common, skipped: nil))\n}"
    }
}
