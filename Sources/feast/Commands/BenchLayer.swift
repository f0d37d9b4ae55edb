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

    @Option(help: "Neuron counts, comma-separated.")
    var neurons = "16,64,256"

    @Option(help: "Window radii, comma-separated.")
    var radii = "3,5"

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

    @Option(help: "Use at most this many recordings.")
    var limit: Int?

    func run() throws {
        var bench = LayerBenchmark()
        bench.data = data
        bench.neurons = neurons.split(separator: ",").compactMap { Int($0) }
        bench.radii = radii.split(separator: ",").compactMap { Int($0) }
        bench.arithmetics = arithmetic.split(separator: ",").map(String.init)
        bench.reference = reference
        bench.memoryEvents = memoryEvents == "none" ? [] : memoryEvents.split(separator: ",").compactMap { Int($0) }
        bench.sensors = sensors == "none" ? [] : try sensors.split(separator: ",").map { try GeometryArgument.parse(String($0)).geometry }
        bench.extraction = !noExtraction
        bench.limit = limit
        try bench.run(console: .terminal)
    }
}
