import ArgumentParser
import FeastEvents
import FeastAnalysis
import FeastIO
import FeastLearning
import Foundation

/// `feast merge OUT SHARD...`: joins the outputs of the `n` shards of one
/// run (`--shard i/n`) into the output the run would give in one piece.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the outputs of feast extract/size/evaluate --shard i/n runs into the single run's output.",
        discussion: """
            Inputs, in any order, must be all n shards 0/n … n-1/n of one run, each once: the same \
            network (file contents), options and input list, which every shard file records. \
            feast extract shards (-o PART.h5: output events or --features files) merge into the .h5 \
            file one extract run writes, byte for byte; feast size shards (-o PART.json) merge into \
            the report one size run gives: OUT .json is what size --json prints, .csv what --csv \
            writes, - prints the table (wall time: the shards' sum); feast evaluate shards (-o PART.json) \
            merge into the report of one evaluate run: OUT .json is what evaluate --json prints, - the \
            text report (confusion counts added up; times: the shards' sums). OUT is written whole or not at all.
            """)

    @Argument(help: "Merged output (.h5 for extract shards; .json, .csv or - for size shards; .json or - for evaluate shards).")
    var output: String

    @Argument(help: "The shard outputs.")
    var shards: [String]

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard files to merge after \(output)") }
    }

    func run() throws {
        if let first = try SizeShard.read(from: shards[0]) {
            try mergeSize(first)
            return
        }
        if let first = try EvaluateShard.read(from: shards[0]) {
            try mergeEvaluate(first)
            return
        }
        let files = try shards.map { path -> HDF5File in
            guard FileManager.default.fileExists(atPath: path) else { throw MergeError.unreadable(file: path, reason: "no such file") }
            return try HDF5File.open(path)
        }
        defer { for f in files { try? f.close() } }
        let kinds = try files.map(Self.kind(of:))
        for (f, k) in zip(files, kinds) where k != kinds[0] {
            throw MergeError.kindMismatch(file: f.name, kind: k, first: files[0].name, firstKind: kinds[0])
        }
        guard output != "-", (try? OutputEventFiles.kind(of: output)) == .hdf5 else {
            throw MergeError.badOutput(path: output, reason: "extract shards merge into an HDF5 file: OUT must end in .h5 or .hdf5")
        }
        if kinds[0] == Self.featuresKind {
            try mergeFeatures(files)
        } else {
            try mergeEvents(files)
        }
    }

    static let featuresKind = "feature vectors (extract --features)"
    static let eventsKind = "output events (extract)"

    static func kind(of file: HDF5File) throws -> String {
        if file.exists("/features") { return featuresKind }
        if file.hasAttribute("kind"), try file.stringAttribute("kind") == "feast-output-events" { return eventsKind }
        throw MergeError.unreadable(file: file.name, reason: "neither output events nor features of feast extract (no kind = feast-output-events attribute, no /features)")
    }

    /// Recordings of an events file: `/recordings/NNNNN` groups, or one at the root.
    static func recordingGroups(of file: HDF5File) throws -> [String] {
        if file.exists("/recordings") { return try file.childNames(of: "/recordings").map { "/recordings/" + $0 } }
        return file.exists("/events") ? [""] : []
    }

    private func mergeEvents(_ files: [HDF5File]) throws {
        var metas = [(file: String, meta: ShardMeta)]()
        var groups = [String: [String]]()
        for f in files {
            var m = try ShardMeta(file: f)
            let g = try Self.recordingGroups(of: f)
            m.items = g.count
            groups[f.name] = g
            metas.append((f.name, m))
        }
        let ordered = try ShardMeta.check(metas, itemName: "recordings")
        let n = ordered.count, total = ordered[0].meta.total
        let byName = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0) })
        let source = ordered.map { byName[$0.file]! }
        // Each shard must hold exactly its positions (a renamed or edited file would not).
        for (i, f) in source.enumerated() where total > 1 {
            let expected = Shard(index: i, count: n).positions(total: total).map { String(format: "/recordings/%05d", $0) }
            if groups[f.name]! != expected {
                throw MergeError.incomplete(file: f.name, shard: "\(i)/\(n)", expected: "recordings \(expected.prefix(3).joined(separator: ", "))…",
                                            found: groups[f.name]!.prefix(3).joined(separator: ", ") + "…")
            }
        }
        let first = source[0]
        try HDF5File.writeAtomically(to: output) { out in
            // The attributes and objects in the order extract writes them.
            try out.setAttribute("network", try first.attribute("network"))
            try out.setAttribute("kind", .string("feast-output-events"))
            for p in 0..<total {
                if Interrupt.requested { throw ExitCode(130) }
                let f = source[p % n]
                let group = total > 1 ? String(format: "/recordings/%05d", p) : ""
                let (columns, geometry) = try OutputEventFiles.readHDF5(from: f, group: group)
                try OutputEventFiles.writeHDF5(columns, geometry: geometry, to: out, group: group)
                if total > 1 {
                    try out.setAttribute("file", try f.attribute("file", of: group), on: group)
                    try out.setAttribute("label", try f.attribute("label", of: group), on: group)
                } else {
                    try out.setAttribute("file", try f.attribute("file"))
                }
            }
            if total > 1 { try out.setAttribute("recordings", .int(total)) }
        }
        Terminal.log("wrote \(output): \(total) recordings from \(n) shards")
    }

    private func mergeFeatures(_ files: [HDF5File]) throws {
        var metas = [(file: String, meta: ShardMeta)]()
        var parts = [String: FeatureFile]()
        for f in files {
            var m = try ShardMeta(file: f)
            let part = try FeatureFile.read(from: f.path)
            m.items = part.rows
            parts[f.name] = part
            metas.append((f.name, m))
        }
        let ordered = try ShardMeta.check(metas, itemName: "recordings")
        let n = ordered.count, total = ordered[0].meta.total
        let sources = ordered.map { parts[$0.file]! }
        let columns = sources[0].columns
        for (o, s) in zip(ordered, sources) where s.columns != columns {
            throw MergeError.mismatch(file: o.file, first: ordered[0].file, what: "feature dimension", found: "\(s.columns)", expected: "\(columns)")
        }
        var features = [Float](), labels = [Int32](), names = [String]()
        features.reserveCapacity(total * columns)
        for p in 0..<total {
            let s = sources[p % n], row = p / n
            features += s.row(row)
            labels.append(s.labels[row])
            if !s.files.isEmpty { names.append(s.files[row]) }
        }
        var attributes = sources[0].attributes
        for key in ShardAttributes.all { attributes[key] = nil }
        try FeatureFile(features: features, rows: total, columns: columns, labels: labels,
                        files: names.count == total ? names : [], attributes: attributes).write(to: output)
        Terminal.log("wrote \(output): \(total) × \(columns) features from \(n) shards")
    }

    private func mergeEvaluate(_ first: EvaluateShard) throws {
        let parts = try EvaluateShard.readAll(shards, first: first)
        let ordered = try ShardMeta.check(zip(shards, parts).map { ($0, $1.meta) }, itemName: "test recordings")
        let byFile = Dictionary(zip(shards, parts), uniquingKeysWith: { a, _ in a })
        let (report, wall) = try EvaluateShard.merge(ordered.map { ($0.file, byFile[$0.file]!) })
        guard let best = report.best else { throw MergeError.unreadable(file: shards[0], reason: "no results to merge") }
        if output == "-" {
            print(report.text(best: best, wall: wall))
        } else if output.lowercased().hasSuffix(".json") {
            try FeastJSON.text(StageReportJSON(report: report, best: best, wall: wall)).writeAtomically(to: output)
            Terminal.log("wrote \(output): \(report.testCount) test recordings from \(ordered.count) shards")
        } else {
            throw MergeError.badOutput(path: output, reason: "evaluate shards merge into a report: OUT must end in .json (what evaluate --json prints), or be - for the text report")
        }
    }

    private func mergeSize(_ first: SizeShard) throws {
        let parts = try SizeShard.readAll(shards, first: first)
        for (path, s) in zip(shards, parts) where s.rows.count != s.positions.count || s.positions != s.meta.shard.positions(total: s.shardTotal) {
            throw MergeError.incomplete(file: path, shard: s.meta.shard.description,
                                        expected: "the configurations at positions \(s.meta.shard.positions(total: s.shardTotal))",
                                        found: "\(s.rows.count) rows at \(s.positions)")
        }
        let ordered = try ShardMeta.check(zip(shards, parts).map { ($0, $1.meta) }, itemName: "configurations")
        let byFile = Dictionary(zip(shards, parts), uniquingKeysWith: { a, _ in a })
        let report = SizeShard.merge(ordered.map { byFile[$0.file]! })
        let lower = output.lowercased()
        if output == "-" {
            print(report.table)
        } else if lower.hasSuffix(".json") {
            try FeastJSON.text(report.json).writeAtomically(to: output)
        } else if lower.hasSuffix(".csv") {
            try report.csv.writeAtomically(to: output)
        } else {
            throw MergeError.badOutput(path: output, reason: "size shards merge into a report: OUT must end in .json or .csv, or be - for the table")
        }
        if output != "-" { Terminal.log("wrote \(output): \(report.points.count) rows from \(ordered.count) shards") }
    }
}
