import ArgumentParser
import FeastBench
import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast bench layer`: FEAST training and inference throughput for
/// N × R × arithmetic next to the C reference on the same recordings in the
/// same run, dataset extraction with 1 and 2 workers, and peak memory of
/// streaming at two input sizes. One table on stdout.
struct BenchLayer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer",
        abstract: "FEAST throughput (events/s) vs the C reference, parallel extraction, streaming memory.")

    @Option(help: "Training recordings (a dataset folder); default FEAST_DATA or ../shared/datasets, nmnist-small/Train. Synthetic events when absent.")
    var data: String?

    @Option(help: "Neuron counts, comma-separated (default 16,64,256; with --scaling 16,32,…,1024).")
    var neurons: String?

    @Option(help: "Window radii, comma-separated (default 3,5; with --scaling 2,3,5,7).")
    var radii: String?

    @Option(help: "Arithmetics, comma-separated: float, fixed.")
    var arithmetic = "float,fixed"

    @Option(help: "C reference source; 'none' skips it.")
    var reference: String?

    @Option(help: "Input sizes (events) of the streaming-memory measurement, comma-separated; 'none' skips it.")
    var memoryEvents = "10000000,100000000"

    @Option(help: "Sensor sizes of the sensor-size measurement (the same events joined into one stream, moved about the larger sensor), comma-separated; 'none' skips it.")
    var sensors = "34x34,1280x720"

    @Flag(help: "Skip the extraction measurement.")
    var noExtraction = false

    @Flag(help: "Skip evaluate and size with 1 and 2 workers.")
    var noParallelRuns = false

    @Option(help: "Use at most this many recordings.")
    var limit: Int?

    @Flag(help: "Instead: the scaling table, cost per event for N in 16…1024 and R in 2, 3, 5, 7 (or --neurons/--radii when given), float and fixed, against the roofline.")
    var scaling = false

    @Option(help: ArgumentHelp("With --scaling: also write the plot (training cost against N, with the roofline) to this PNG.", valueName: "FILE.png"))
    var plot: String?

    @Option(help: "With --scaling: events per configuration.")
    var scalingEvents = 300_000

    func validate() throws {
        if plot != nil && !scaling { throw ValidationError("--plot draws the scaling table: add --scaling") }
        if scalingEvents < 1 { throw ValidationError("--scaling-events \(scalingEvents): expected an integer >= 1") }
    }

    func run() throws {
        if scaling { return try runScaling() }
        var bench = LayerBenchmark()
        bench.data = data
        if let neurons { bench.neurons = neurons.split(separator: ",").compactMap { Int($0) } }
        if let radii { bench.radii = radii.split(separator: ",").compactMap { Int($0) } }
        bench.arithmetics = arithmetic.split(separator: ",").map(String.init)
        bench.reference = reference
        bench.memoryEvents = memoryEvents == "none" ? [] : memoryEvents.split(separator: ",").compactMap { Int($0) }
        bench.sensors = sensors == "none" ? [] : try sensors.split(separator: ",").map { try GeometryArgument.parse(String($0)).geometry }
        bench.extraction = !noExtraction
        bench.parallelRuns = !noParallelRuns
        bench.limit = limit
        try bench.run(console: .terminal)
    }

    func runScaling() throws {
        var bench = ScalingBenchmark()
        if let neurons { bench.neurons = neurons.split(separator: ",").compactMap { Int($0) } }
        if let radii { bench.radii = radii.split(separator: ",").compactMap { Int($0) } }
        bench.arithmetics = arithmetic.split(separator: ",").map(String.init)
        bench.events = scalingEvents
        let console = BenchConsole.terminal
        let recordings = try LayerBenchmark.recordings(data: data, limit: limit, console: console).recordings
        let peaks = MachinePeaks.measure()
        let rows = try bench.run(recordings: recordings, peaks: peaks, log: console.log)
        console.out(String(format: "Scaling: CPU ns per event over %d events per configuration; peaks of one core, measured: %.1f G multiply-adds/s (float SIMD), %.1f GB/s memory read",
                           bench.events, peaks.fmaPerSecond / 1e9, peaks.bytesPerSecond / 1e9))
        console.out("(bound = the dense roofline: N·K multiply-adds at the peak, or the weights from memory when they exceed the 1 MiB L2; dense GMAC/s = N·K ÷ inference time)")
        console.table(ScalingBenchmark.table(rows))
        if let plot {
            try ScalingBenchmark.plot(rows).write(to: plot)
            console.log("wrote \(plot)")
        }
    }
}
