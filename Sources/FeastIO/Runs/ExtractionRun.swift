import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast extract`: a trained network (one layer or a stack) in inference mode (weights and
/// thresholds frozen, time surface reset per recording) over recordings,
/// writing their output events or one feature vector per recording.
///
/// Recordings run in parallel, each on its own copy of the layer; the
/// output is identical to a serial run. Memory stays bounded: events are
/// computed in batches of `8 × concurrency` recordings, the next batch
/// while the previous one is written.
public struct ExtractionRun: Sendable {
    /// The network file's path, recorded in the output.
    public var network: String
    /// How recordings are read (format, filters, leniency).
    public var options: EventReadOptions
    /// Also write missed events, with neuron −1.
    public var emitMisses: Bool
    /// Recordings processed at once (≥ 1).
    public var concurrency: Int

    public init(network: String, options: EventReadOptions, emitMisses: Bool = false, concurrency: Int = defaultConcurrency) {
        self.network = network
        self.options = options
        self.emitMisses = emitMisses
        self.concurrency = concurrency
    }

    /// Output events of one recording through its own copy of the layer;
    /// `warn` receives the reader's warnings (e.g. skipped records).
    public func outputEvents(of item: InputRecordings.Item, layer: FeastNetwork,
                             warn: (String) -> Void = { _ in }) throws -> (events: ContiguousArray<OutputEvent>, geometry: SensorGeometry) {
        var copy = layer
        var source = try item.open(options, network: layer.geometry)
        var all = ContiguousArray<OutputEvent>()
        try copy.run(&source, learn: false, emitMisses: emitMisses) { all.append(contentsOf: $0) }
        for warning in EventFileOpener.warnings(for: source) { warn(warning) }
        return (all, source.geometry)
    }

    /// Writes the output events of `part`'s recordings to `output` (its
    /// extension chooses CSV, `.bin` or HDF5; `-` is CSV on stdout). A run
    /// of several recordings (the whole run's, also in its shards) puts a
    /// file column in the CSV and one group per recording in HDF5; `.bin`
    /// holds one recording. `progress` gets the recordings done so far;
    /// `shouldStop` true between batches throws `CancellationError`, the
    /// output left unwritten (HDF5) or cut at a recording boundary.
    public func writeEvents(layer: FeastNetwork, part: ExtractShard, to output: String,
                            progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false },
                            warn: @escaping @Sendable (String) -> Void = { _ in }) throws {
        let items = part.items
        let kind = try OutputEventFiles.kind(of: output)
        let several = part.total > 1
        var done = 0
        // For .h5 the workers also compress the columns (the writer's costly
        // part), keeping only the encoded chunks.
        typealias Batch = [(item: InputRecordings.Item, events: ContiguousArray<OutputEvent>, geometry: SensorGeometry,
                            encoded: OutputEventFiles.EncodedEvents?)]
        let encode = kind == .hdf5
        let run = self
        func batches(_ body: (Batch) throws -> Void) throws {
            let size = max(1, concurrency * 8), workers = concurrency
            let starts = Array(stride(from: 0, to: items.count, by: size))
            func compute(_ k: Int) -> BackgroundTask<Batch> {
                let batch = Array(items[starts[k]..<min(items.count, starts[k] + size)])
                return BackgroundTask {
                    let results = try parallelMap(batch, concurrency: workers) { item in
                        let r = try run.outputEvents(of: item, layer: layer, warn: warn)
                        return encode ? (ContiguousArray(), r.geometry, OutputEventFiles.encode(r.events)) : (r.events, r.geometry, nil)
                    }
                    return zip(batch, results).map { ($0, $1.0, $1.1, $1.2) }
                }
            }
            var next = starts.isEmpty ? nil : compute(0)
            defer { _ = try? next?.value() }  // no work left running behind an error
            for k in starts.indices {
                if shouldStop() { throw CancellationError() }
                let results = try next!.value()
                next = k + 1 < starts.count ? compute(k + 1) : nil
                try body(results)
                done += results.count
                progress(done)
            }
        }
        switch kind {
        case .csv:
            let out = try ByteOutput(path: output)
            try out.write(several ? "file,t,x,y,p,neuron\n" : "t,x,y,p,neuron\n")
            try batches { results in
                for r in results {
                    var text = ""
                    OutputEventFiles.appendCSV(r.events, prefix: several ? InputRecordings.csvField(r.item.name) + "," : "", to: &text)
                    try out.write(text)
                }
            }
            try out.finish()
        case .binary:
            let out = try ByteOutput(path: output)
            try batches { results in
                for r in results {
                    var bytes = [UInt8]()
                    OutputEventFiles.appendBinary(r.events, to: &bytes)
                    try bytes.withUnsafeBytes { try out.write($0) }
                }
            }
            try out.finish()
        case .hdf5:
            var index = 0
            try HDF5File.writeAtomically(to: output) { file in
                try file.setAttribute("network", .string(network))
                try file.setAttribute("kind", .string("feast-output-events"))
                try batches { results in
                    for r in results {
                        if several {
                            let group = String(format: "/recordings/%05d", part.positions[index])
                            try OutputEventFiles.writeHDF5(r.encoded!, geometry: r.geometry, to: file, group: group)
                            try file.setAttribute("file", .string(r.item.name), on: group)
                            try file.setAttribute("label", .int(r.item.label ?? -1), on: group)
                        } else {
                            try OutputEventFiles.writeHDF5(r.encoded!, geometry: r.geometry, to: file, group: "")
                            try file.setAttribute("file", .string(r.item.name))
                        }
                        index += 1
                    }
                }
                if several { try file.setAttribute("recordings", .int(index)) }
                try file.setAttributes(part.attributes)
            }
        }
    }

    /// Writes one feature vector per recording of `part` (a ``FeatureFile``)
    /// to `output`: features of the output events (for `pixels`, of the
    /// winners' addresses, not the input's as in evaluate's stage a) on a
    /// sensor of `geometry` (nil: the whole run's first recording's).
    /// Returns the matrix's shape.
    @discardableResult
    public func writeFeatures(_ spec: FeatureSpec, layer: FeastNetwork, part: ExtractShard, geometry: SensorGeometry?,
                              to output: String) throws -> (rows: Int, columns: Int) {
        let items = part.items
        let geometry = try geometry ?? part.first.open(options).geometry
        let pipeline = try LayerFeaturePipeline(network: layer, specs: [spec], geometry: geometry, pixelEvents: .output, emitMisses: emitMisses)
        let options = self.options
        let rows = try pipeline.vectors(of: items, concurrency: concurrency, name: { $0.name }, open: { try $0.open(options) })
            .map { $0[0].map { Float($0) } }
        let columns = pipeline.dimensions[0]
        let file = FeatureFile(features: rows.flatMap { $0 }, rows: rows.count, columns: columns,
                               labels: items.map { Int32($0.label ?? -1) }, files: items.map(\.name),
                               attributes: ["spec": .string(spec.description), "network": .string(network),
                                            "neurons": .int(layer.totalNeurons)].merging(part.attributes) { $1 })
        try file.write(to: output)
        return (rows.count, columns)
    }
}
