import ArgumentParser
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
        let folder = NSTemporaryDirectory() + "feast-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        Terminal.printError("generating \(events) events in \(folder) ...")
        let paths = (bin: folder + "/bench.bin", csv: folder + "/bench.csv", h5: folder + "/bench.h5")
        var sinks: [any EventSink] = [
            NMNISTWriter(output: try ByteOutput(path: paths.bin)),
            CSVWriter(output: try ByteOutput(path: paths.csv)),
            try HDF5EventWriter(path: paths.h5, geometry: .nmnist),
        ]
        var generator = SplitMix64(seed: seed)
        var t: Int64 = 0
        var chunk = ContiguousArray<Event>()
        var remaining = events
        while remaining > 0 {
            chunk.removeAll(keepingCapacity: true)
            for _ in 0..<min(remaining, EventChunk.defaultCapacity) {
                let r = generator.next()
                t += Int64(r & 127)  // ~64 µs apart: N-MNIST-like rates
                chunk.append(Event(t: t, x: UInt16((r >> 8) % 34), y: UInt16((r >> 16) % 34), polarity: UInt8((r >> 24) & 1)))
            }
            for i in sinks.indices { try sinks[i].write(chunk) }
            remaining -= chunk.count
        }
        for i in sinks.indices { try sinks[i].finish() }

        var rows = [[String]]()
        func measure(_ format: String, _ input: String, _ path: String, _ open: () throws -> any EventSource) throws {
            var best = Double.infinity
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                var source = try open()
                var count = 0
                var checksum: Int64 = 0
                var buffer = ContiguousArray<Event>()
                buffer.reserveCapacity(EventChunk.defaultCapacity)
                while try source.nextChunk(into: &buffer) {
                    count += buffer.count
                    checksum &+= buffer[buffer.count - 1].t
                }
                let elapsed = ContinuousClock.now - start
                guard count == events else {
                    throw ValidationError("\(format) from \(input): decoded \(count) events, expected \(events)")
                }
                if checksum == 42 { Terminal.printError("") }  // keeps the decode observable
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            rows.append([format, input, "\(events)", String(format: "%.1f", Double(size) / 1e6), String(format: "%.4f", best),
                         String(format: "%.1f", Double(events) / best / 1e6)])
        }

        /// A child `cat FILE` whose stdout is our input pipe.
        func piped(_ path: String, _ make: @escaping (ByteInput) -> any EventSource) throws -> () throws -> any EventSource {
            return {
                let cat = Process()
                cat.executableURL = URL(fileURLWithPath: "/bin/cat")
                cat.arguments = [path]
                let pipe = Pipe()
                cat.standardOutput = pipe
                try cat.run()
                try? pipe.fileHandleForWriting.close()
                let fd = dup(pipe.fileHandleForReading.fileDescriptor)
                return make(ByteInput(fd: fd, name: "-", ownsDescriptor: true))
            }
        }

        try measure("nmnist", "file", paths.bin) { try NMNISTReader(path: paths.bin) }
        try measure("nmnist", "stdin (pipe)", paths.bin, try piped(paths.bin) { NMNISTReader(input: $0) })
        try measure("csv", "file", paths.csv) { try CSVReader(path: paths.csv) }
        try measure("csv", "stdin (pipe)", paths.csv, try piped(paths.csv) { CSVReader(input: $0) })
        try measure("hdf5", "file", paths.h5) { try HDF5EventReader(path: paths.h5) }
        rows.append(["hdf5", "stdin (pipe)", "-", "-", "-", "n/a (HDF5 needs a seekable file)"])

        let faery = try measureCameraFormats(folder: folder, measure: measure)
        for i in rows.indices {
            // Rows measured ("best s" set) get faery's rate on the same file, when it read it.
            if let rate = faery[rows[i][0] + "\t" + rows[i][1]], let best = Double(rows[i][4]) {
                rows[i] += [String(format: "%.1f", rate / 1e6), String(format: "%.2f×", Double(events) / best / rate)]
            } else {
                rows[i] += ["-", "-"]
            }
        }
        if !faery.isEmpty { print("faery column: faery \(Self.faeryVersion ?? "") decoding the same file in this run through its Python API (scripts/bench-faery.py)") }

        let header = ["format", "input", "events", "MB", "best s", "Mev/s", "faery Mev/s", "× faery"]
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        for row in all {
            print(row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < 2 ? cell + pad : pad + cell
            }.joined(separator: "  "))
        }
    }
}
