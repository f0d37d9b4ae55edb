import FeastEvents
import FeastIO
import Foundation

/// `feast bench decode`: decode throughput per format, from a file (page
/// cache) and from a pipe fed by a child `cat`, printed as a table.
public struct DecodeBenchmark: Sendable {
    /// Events in the generated recording.
    public var events: Int
    /// Runs per measurement; the best is reported.
    public var repeats: Int
    /// Seed of the generated events.
    public var seed: UInt64

    public init(events: Int = 10_000_000, repeats: Int = 3, seed: UInt64 = 1) {
        self.events = events
        self.repeats = repeats
        self.seed = seed
    }

    /// Generates the recordings in a temporary folder, measures, prints the table.
    public func run(console: BenchConsole) throws {
        let folder = NSTemporaryDirectory() + "feast-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        console.log("generating \(events) events in \(folder) ...")
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
                    throw BenchError.failed("\(format) from \(input): decoded \(count) events, expected \(events)")
                }
                if checksum == 42 { console.log("") }  // keeps the decode observable
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

        let faery = try measureCameraFormats(folder: folder, console: console, measure: measure)
        for i in rows.indices {
            // Rows measured ("best s" set) get faery's rate on the same file, when it read it.
            if let rate = faery[rows[i][0] + "\t" + rows[i][1]], let best = Double(rows[i][4]) {
                rows[i] += [String(format: "%.1f", rate / 1e6), String(format: "%.2f×", Double(events) / best / rate)]
            } else {
                rows[i] += ["-", "-"]
            }
        }
        if !faery.isEmpty { console.out("faery column: faery \(Self.faeryVersion ?? "") decoding the same file in this run through its Python API (scripts/bench-faery.py)") }

        console.table([["format", "input", "events", "MB", "best s", "Mev/s", "faery Mev/s", "× faery"]] + rows, leftAligned: 2)
    }
}
