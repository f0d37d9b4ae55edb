import FeastAnalysis
import FeastEvents
import FeastLearning
import Foundation

/// `feast merge`: joins the outputs of the `n` shards of one run
/// (`--shard i/n`) into the output the run would give in one piece, after
/// checking that they are all `n` shards, each once, of one run (the same
/// network contents, options and inputs, which every shard records).
public enum ShardMerge {
    /// The rows of `feast size` shards, as one size run's report.
    public static func size(_ paths: [String], first: SizeShard) throws -> (report: SizeReport, shards: Int) {
        let parts = try SizeShard.readAll(paths, first: first)
        for (path, s) in zip(paths, parts) where s.rows.count != s.positions.count || s.positions != s.meta.shard.positions(total: s.shardTotal) {
            throw MergeError.incomplete(file: path, shard: s.meta.shard.description,
                                        expected: "the configurations at positions \(s.meta.shard.positions(total: s.shardTotal))",
                                        found: "\(s.rows.count) rows at \(s.positions)")
        }
        let ordered = try ShardMeta.check(zip(paths, parts).map { ($0, $1.meta) }, itemName: "configurations")
        let byFile = Dictionary(zip(paths, parts), uniquingKeysWith: { a, _ in a })
        return (SizeShard.merge(ordered.map { byFile[$0.file]! }), ordered.count)
    }

    /// The test recordings of `feast evaluate` shards, as one evaluate run's
    /// report (confusion counts added up; times: the shards' sums).
    public static func evaluate(_ paths: [String], first: EvaluateShard) throws -> (report: StageReport, best: StageResult, wall: Double, shards: Int) {
        let parts = try EvaluateShard.readAll(paths, first: first)
        let ordered = try ShardMeta.check(zip(paths, parts).map { ($0, $1.meta) }, itemName: "test recordings")
        let byFile = Dictionary(zip(paths, parts), uniquingKeysWith: { a, _ in a })
        let (report, wall) = try EvaluateShard.merge(ordered.map { ($0.file, byFile[$0.file]!) })
        guard let best = report.best else { throw MergeError.unreadable(file: paths[0], reason: "no results to merge") }
        return (report, best, wall, ordered.count)
    }

    /// `feast extract` shards (output events or feature files, HDF5) into
    /// the file one extract run writes at `output`, byte for byte; returns
    /// what was merged, for the log. `shouldStop` true between recordings
    /// throws `CancellationError`, `output` left unwritten.
    public static func extract(_ paths: [String], to output: String, shouldStop: () -> Bool = { false }) throws -> String {
        let files = try paths.map { path -> HDF5File in
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
        return kinds[0] == featuresKind ? try mergeFeatures(files, to: output) : try mergeEvents(files, to: output, shouldStop: shouldStop)
    }

    public static let featuresKind = "feature vectors (extract with features)"
    public static let eventsKind = "output events (extract)"

    public static func kind(of file: HDF5File) throws -> String {
        if file.exists("/features") { return featuresKind }
        if file.hasAttribute("kind"), try file.stringAttribute("kind") == "feast-output-events" { return eventsKind }
        throw MergeError.unreadable(file: file.name, reason: "neither output events nor features of feast extract (no kind = feast-output-events attribute, no /features)")
    }

    /// Recordings of an events file: `/recordings/NNNNN` groups, or one at the root.
    public static func recordingGroups(of file: HDF5File) throws -> [String] {
        if file.exists("/recordings") { return try file.childNames(of: "/recordings").map { "/recordings/" + $0 } }
        return file.exists("/events") ? [""] : []
    }

    /// Output events of extract shards into one file at `output`.
    static func mergeEvents(_ files: [HDF5File], to output: String, shouldStop: () -> Bool) throws -> String {
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
                if shouldStop() { throw CancellationError() }
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
        return "\(total) recordings from \(n) shards"
    }

    /// Feature files of extract shards into one at `output`.
    static func mergeFeatures(_ files: [HDF5File], to output: String) throws -> String {
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
        return "\(total) × \(columns) features from \(n) shards"
    }
}
