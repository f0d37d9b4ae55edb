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

    @OptionGroup var workers: WorkerOptions

    @OptionGroup var input: EventInputOptions

    @OptionGroup var sharding: ShardOptions

    func validate() throws {
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
        let (_, layer) = try NetworkFile.loadNetwork(from: network)
        let all = try InputRecordings.list(inputs, format: format)
        guard !all.isEmpty else { throw ValidationError("no recordings in \(inputs.joined(separator: " "))") }
        let options = input.readOptions(format: format, network: layer.geometry)
        let part = try ExtractShard(all: all, shard: sharding.parsed(), network: network, options: shardOptions)
        let extraction = ExtractionRun(network: network, options: options, emitMisses: emitMisses, concurrency: workers.concurrency)
        if let features {
            let spec = try FeatureSpec(parsing: features)
            let shape = try extraction.writeFeatures(spec, layer: layer, part: part, geometry: input.geometry?.geometry, to: output)
            Terminal.log("wrote \(output): \(shape.rows) × \(shape.columns) features (\(spec))")
            return
        }
        if try OutputEventFiles.kind(of: output) == .binary && part.total > 1 {
            throw ValidationError("\(output): a .bin output holds one recording; use .csv or .h5 for \(part.items.count) recordings")
        }
        var bar = ProgressBar(title: "extract", total: part.items.count)
        try extraction.writeEvents(layer: layer, part: part, to: output, progress: { bar.update($0) },
                                   shouldStop: { Interrupt.requested }, warn: { Terminal.printError($0) })
        bar.finish()
    }

    /// The options besides the network and inputs that change the output
    /// (recorded in shards, so `feast merge` refuses shards of different runs).
    var shardOptions: String {
        [
            "emit-misses=\(emitMisses)",
            "features=\(features ?? "none")",
            "format=\(format.map { "\($0)" } ?? "auto")",
            "lenient=\(input.lenient)",
            "columns=\(input.columns.map { "\($0.columns)" } ?? "auto")",
            "geometry=\(input.geometry.map { "\($0.geometry.width)x\($0.geometry.height)" } ?? "auto")",
        ].joined(separator: " ")
    }
}
