import ArgumentParser
import FeastBench
import FeastEvents
import FeastIO
import Foundation

/// `feast bench`: throughput measurements (build with `-c release`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks; meaningful in a release build (swift build -c release).",
        subcommands: [BenchAll.self, BenchDecode.self, BenchLayer.self, BenchGenerate.self, BenchStreamMemory.self])
}

/// `feast bench all`: decode, then layer (with its extraction and memory parts).
struct BenchAll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Every benchmark: decode, FEAST layer vs C, extraction with 1 and 2 workers, streaming memory.")

    @Option(help: "Training recordings for the layer benchmark (see `feast bench layer --help`).")
    var data: String?

    func run() throws {
        try BenchDecode.parse([]).run()
        print("")
        try BenchLayer.parse(data.map { ["--data", $0] } ?? []).run()
    }
}

/// `feast bench decode`: decode throughput per format, from a file (page
/// cache) and from a pipe fed by a child `cat`, printed as a table.
struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode throughput (million events/s) per format, from a file and from stdin (a pipe).")

    @Option(help: "Events in the generated recording.")
    var events = 10_000_000

    @Option(help: "Runs per measurement; the best is reported.")
    var repeats = 3

    @Option(help: "Seed of the generated events.")
    var seed: UInt64 = 1

    func validate() throws {
        guard events > 0, repeats > 0 else { throw ValidationError("--events and --repeats must be positive") }
    }

    func run() throws {
        try DecodeBenchmark(events: events, repeats: repeats, seed: seed).run(console: .terminal)
    }
}
