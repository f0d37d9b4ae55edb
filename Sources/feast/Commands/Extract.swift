import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning

/// `feast extract --network NET.h5 DATASET|FILE... -o OUT`: runs a trained
/// layer in inference mode (weights and thresholds frozen) over recordings
/// and writes their output events, or with `--features` one feature vector
/// per recording.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Output events (t,x,y,p,neuron) or feature vectors of recordings through a trained layer.",
        discussion: """
            Inference only: the network is not changed; the time surface is reset per recording. \
            OUT by extension: .csv (t,x,y,p,neuron; a leading file column for several recordings), \
            .h5 (/events/{x,y,p,t,neuron}, or /recordings/NNNNN/events/... for several), .bin \
            (17-byte little-endian records t:int64 x:uint16 y:uint16 p:uint8 neuron:int32; one \
            recording). With --features SPEC (e.g. hist, hist:polarity,pool=3, pixels) OUT is a \
            feature file (.h5: /features, /labels, /files). Recordings run in parallel, each on its \
            own copy of the layer; the output is identical to a serial run. With --shard i/n (-o .h5 \
            only) this run does recordings i, i+n, i+2n, … of the list (0-based; each dataset sorted by \
            name, inputs in the order given) and `feast merge OUT.h5 SHARD.h5...` joins the n files into \
            the one a single run writes.
            """)

    @Option(help: "Network file written by feast train.")
    var network: String

    @Argument(help: "Event files or datasets (folder, labels CSV, zip); - for stdin.")
    var inputs: [String]

    @Option(name: [.short, .customLong("output")], help: "Output file (- = CSV on stdout).")
    var output: String

    @Flag(name: .customLong("emit-misses"), help: "Also write missed events, with neuron −1.")
    var emitMisses = false

    @Option(help: ArgumentHelp("Write feature vectors (a FeatureFile) instead of events.", valueName: "SPEC"))
    var features: String?

    @Option(help: "Input format when the header does not tell (default: from the extension).")
    var format: EventFormat?

    @Option(parsing: .unconditional, help: "Recordings processed at once (default: the processor count).")
    var jobs: Int = defaultConcurrency

    @OptionGroup var input: EventInputOptions

    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1") }
        if let features {
            do { _ = try FeatureSpec(parsing: features) } catch { throw ValidationError("--features: \(error)") }
            guard output != "-", try FlagNames.usage({ try OutputEventFiles.kind(of: output) }) == .hdf5 else {
                throw ValidationError("--features writes a feature file: -o must end in .h5 or .hdf5, got \(output)")
            }
        } else {
            _ = try FlagNames.usage { try OutputEventFiles.kind(of: output) }
        }
        if let shard = sharding.shard, try output == "-" || FlagNames.usage({ try OutputEventFiles.kind(of: output) }) != .hdf5 {
            throw ValidationError("--shard \(shard): shards are merged as HDF5; -o must end in .h5 or .hdf5, got \(output)")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)  // past `ulimit -f`: EFBIG, reported, not a silent death
        let (_, layer) = try NetworkFile.loadLayer(from: network)
        let all = try InputRecordings.list(inputs, format: format)
        guard !all.isEmpty else { throw ValidationError("no recordings in \(inputs.joined(separator: " "))") }
        let options = input.readOptions(format: format, network: layer.geometry)
        let part = try ExtractShard(all: all, shard: sharding.parsed(), command: self)
        if let features {
            try writeFeatures(FeatureSpec(parsing: features), layer: layer, part: part, options: options)
        } else {
            try writeEvents(layer: layer, part: part, options: options)
        }
    }

    /// Output events of one recording through its own copy of the layer.
    static func outputEvents(of item: InputRecordings.Item, layer: AnyFeastLayer, options: EventReadOptions,
                             emitMisses: Bool) throws -> (events: ContiguousArray<OutputEvent>, geometry: SensorGeometry) {
        var copy = layer
        var source = try item.open(options, network: layer.geometry)
        var all = ContiguousArray<OutputEvent>()
        try copy.run(&source, learn: false, emitMisses: emitMisses) { all.append(contentsOf: $0) }
        for warning in EventFileOpener.warnings(for: source) { Terminal.printError(warning) }
        return (all, source.geometry)
    }

    private func writeEvents(layer: AnyFeastLayer, part: ExtractShard, options: EventReadOptions) throws {
        let items = part.items
        let kind = try OutputEventFiles.kind(of: output)
        let several = part.total > 1  // the layout of the whole run, also in its shards
        if kind == .binary && several {
            throw ValidationError("\(output): a .bin output holds one recording; use .csv or .h5 for \(items.count) recordings")
        }
        let emit = emitMisses
        var bar = ProgressBar(title: "extract", total: items.count)
        var done = 0
        // Batches keep memory bounded (two at a time); each batch runs in
        // parallel, results in order, and the next batch is computed while
        // this one is written: the writer is serial, and waiting for it
        // would idle the workers.
        // For .h5 the workers also compress the columns (the writer's costly
        // part), keeping only the encoded chunks.
        typealias Batch = [(item: InputRecordings.Item, events: ContiguousArray<OutputEvent>, geometry: SensorGeometry,
                            encoded: OutputEventFiles.EncodedEvents?)]
        let encode = kind == .hdf5
        func batches(_ body: (Batch) throws -> Void) throws {
            let size = max(1, jobs * 8), workers = jobs
            let starts = Array(stride(from: 0, to: items.count, by: size))
            func compute(_ k: Int) -> BackgroundTask<Batch> {
                let batch = Array(items[starts[k]..<min(items.count, starts[k] + size)])
                return BackgroundTask {
                    let results = try parallelMap(batch, concurrency: workers) { item in
                        let r = try Extract.outputEvents(of: item, layer: layer, options: options, emitMisses: emit)
                        return encode ? (ContiguousArray(), r.geometry, OutputEventFiles.encode(r.events)) : (r.events, r.geometry, nil)
                    }
                    return zip(batch, results).map { ($0, $1.0, $1.1, $1.2) }
                }
            }
            var next = starts.isEmpty ? nil : compute(0)
            defer { _ = try? next?.value() }  // no work left running behind an error
            for k in starts.indices {
                if Interrupt.requested { throw ExitCode(130) }
                let results = try next!.value()
                next = k + 1 < starts.count ? compute(k + 1) : nil
                try body(results)
                done += results.count
                bar.update(done)
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
        bar.finish()
    }

    private func writeFeatures(_ spec: FeatureSpec, layer: AnyFeastLayer, part: ExtractShard, options: EventReadOptions) throws {
        let items = part.items
        let geometry = try input.geometry?.geometry ?? part.first.open(options).geometry
        // Features of the output events (pixels: of the winners' addresses,
        // not the input's as in evaluate's stage a).
        let extractor = try spec.makeExtractor(neurons: layer.totalNeurons, geometry: geometry)
        let dimension = extractor.dimension
        let emit = emitMisses
        let rows = try parallelMap(items, concurrency: jobs) { item -> [Float] in
            var copy = layer
            var source = try item.open(options)
            var f = extractor.makeVector()
            var index = 0
            try copy.run(&source, learn: false, emitMisses: emit) { chunk in
                try extractor.accumulate(chunk, into: &f, indexOffset: index)
                index += chunk.count
            }
            extractor.finish(&f)
            return f.map { Float($0) }
        }
        let file = FeatureFile(features: rows.flatMap { $0 }, rows: rows.count, columns: dimension,
                               labels: items.map { Int32($0.label ?? -1) }, files: items.map(\.name),
                               attributes: ["spec": .string(spec.description), "network": .string(network),
                                            "neurons": .int(layer.totalNeurons)].merging(part.attributes) { $1 })
        try file.write(to: output)
        Terminal.log("wrote \(output): \(rows.count) × \(dimension) features (\(spec))")
    }
}
