import FeastIO
import ArgumentParser
import FeastEvents
import Foundation

/// `feast info FILE|DATASET...`: statistics per recording and in total.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recording statistics: events, ON/OFF, first/last t, extent, overflow markers, backwards timestamps, duplicates; or what a network file holds.",
        discussion: """
            A network file (written by feast train) is described instead: per layer its neurons, window, τ, arithmetic, \
            the events it has seen, its miss rate against the equilibrium one, its thresholds and its training history. \
            With --json, give network files and recordings in separate calls. \
            Each other argument is an event file (.bin, .csv, .h5, Prophesee .raw/.dat, AEDAT .aedat/.aedat4, Event Stream .es; - for stdin), a folder of class \
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

    func run() throws {
        // Like convert: a reader that stops early (`| head`) ends the command
        // quietly with status 0 instead of a SIGPIPE death (status 141).
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)  // past `ulimit -f`: EFBIG, reported, not a silent death
        let options = input.readOptions(format: format)
        var rows = [RecordingStatisticsReport.Row]()
        var total = EventStatistics()
        var networks = [NetworkSummary]()
        for path in paths {
            if path != "-" && NetworkFile.isNetworkFile(path: path) {
                networks.append(try NetworkSummary.read(path: path))
                continue
            }
            for (file, source) in try sources(for: path, options: options) {
                var source = try source()
                let stats = try statistics(of: &source)
                for warning in EventFileOpener.warnings(for: source) { Terminal.printError(warning) }
                if strict, let back = stats.firstBackwards {
                    throw FeastEventsError.backwardsTimestamp(path: file, eventIndex: back.index, t: back.t, previous: back.previous)
                }
                rows.append(RecordingStatisticsReport.Row(file: file, stats: stats, geometry: source.geometry,
                                skipped: (source.reader as? any VendorEventSkipping)?.skippedEvents ?? [:]))
                total.merge(stats)
            }
        }
        if json && !networks.isEmpty && !rows.isEmpty {
            throw ValidationError("--json prints one kind of object: give network files and recordings in separate calls")
        }
        if json && !networks.isEmpty {
            print(try NetworkSummary.json(networks))
            return
        }
        if !rows.isEmpty || networks.isEmpty {
            let report = RecordingStatisticsReport(rows: rows, total: total)
            print(json ? report.json : report.table, terminator: json ? "\n" : "")
        }
        for network in networks { print(network.text, terminator: "") }
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

    private func statistics(of source: inout any EventSource) throws -> EventStatistics {
        var stats = EventStatistics()
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        let geometry = source.geometry
        while try source.nextChunk(into: &chunk) {
            stats.add(chunk, geometry: geometry)
        }
        if let counting = source.reader as? OverflowMarkerCounting { stats.overflowMarkers = counting.overflowMarkers }
        return stats
    }
}
