import ArgumentParser
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

    static var sharedRoot: String {
        if let env = ProcessInfo.processInfo.environment["FEAST_DATA"], !env.isEmpty { return env }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("../shared/datasets").standardizedFileURL.path
    }

    func run() throws {
        let ns = neurons.split(separator: ",").compactMap { Int($0) }
        let rs = radii.split(separator: ",").compactMap { Int($0) }
        let kinds = arithmetic.split(separator: ",").map(String.init)
        let folder = data ?? Self.sharedRoot + "/nmnist-small/Train"
        var files: [String] = []
        var recordings: [ContiguousArray<Event>] = []
        var dataset: Dataset?
        if FileManager.default.fileExists(atPath: folder) {
            var d = try Dataset.load(path: folder)
            if let limit { d.recordings = Array(d.recordings.prefix(limit)) }
            dataset = d
            for r in d.recordings {
                var source = try r.open()
                recordings.append(ContiguousArray(try source.readAll()))
                if case let .file(p) = r.location { files.append(p) }
            }
            Terminal.log("input: \(d.count) recordings of \(folder), \(recordings.reduce(0) { $0 + $1.count }) events")
        } else {
            Terminal.log("note: \(folder) not found; synthetic recordings (no C reference)")
            recordings = Self.synthetic(recordings: limit ?? 200)
        }
        let refSource = reference ?? Self.sharedRoot + "/../reference/feast_ref.c"
        let ref = refSource == "none" || files.isEmpty ? nil : ReferenceC.build(source: URL(fileURLWithPath: refSource).standardizedFileURL.path)
        defer { if let ref { try? FileManager.default.removeItem(atPath: ref.binary) } }

        var rows: [[String]] = []
        let ratio = { (a: Double, b: Double?) -> String in b.map { $0 > 0 ? String(format: "%.2f×", a / $0) : "-" } ?? "-" }
        /// (kind, N, R) → (train, inference) events per CPU-second.
        var measured: [String: (train: Double, inference: Double)] = [:]
        func f(_ v: Double) -> String { String(format: "%.2f", v / 1e6) }
        for kind in kinds {
            for r in rs {
                for n in ns {
                    let p = FeastParameters(neurons: n, radius: r)
                    let result: FeastBenchmarkResult
                    if kind == "fixed" {
                        result = try FeastBenchmark.run(FixedPointArithmetic.self, recordings: recordings, parameters: p, arithmetic: FixedPointConfiguration())
                    } else {
                        result = try FeastBenchmark.run(FloatArithmetic.self, recordings: recordings, parameters: p, arithmetic: .init())
                    }
                    var c: ReferenceC.Figures?
                    if let ref {
                        c = ref.measure(files: files, neurons: n, radius: r, tau: p.tau, eta: p.eta, thresholdRise: p.thresholdRise,
                                        thresholdFall: p.thresholdFall, fixed: kind == "fixed", seed: p.seed)
                    }
                    measured["\(kind) \(n) \(r)"] = (result.trainEventsPerCPUSecond, result.inferenceEventsPerCPUSecond)
                    rows.append(["feast \(kind)", "\(n)", "\(r)",
                                 f(result.trainEventsPerCPUSecond), f(result.inferenceEventsPerCPUSecond),
                                 f(result.trainEventsPerSecond), f(result.inferenceEventsPerSecond),
                                 c.map { f($0.train) } ?? "-", c.map { f($0.inference) } ?? "-",
                                 ratio(result.trainEventsPerCPUSecond, c?.train),
                                 ratio(result.inferenceEventsPerCPUSecond, c?.inference)])
                    Terminal.log(rows.last!.joined(separator: " "))
                }
            }
        }
        print("FEAST layer, \(recordings.count) recordings, \(recordings.reduce(0) { $0 + $1.count }) events per pass; million events/s")
        print("(cpu = per CPU-second of the measuring thread; wall = per elapsed second, load-dependent; C = ../shared/reference/feast_ref.c,")
        print(" gcc -O3 -march=native -ffast-math, its own timer answered with its process CPU time; train = 1 epoch, infer = best of 3)")
        Self.printTable([["layer", "N", "R", "train cpu", "infer cpu", "train wall", "infer wall",
                          "C train cpu", "C infer cpu", "train ×C", "infer ×C"]] + rows)
        // Fixed point against float in the same run (per CPU-second).
        var versus: [[String]] = []
        for r in rs {
            for n in ns {
                guard let x = measured["fixed \(n) \(r)"], let y = measured["float \(n) \(r)"] else { continue }
                versus.append(["fixed ÷ float", "\(n)", "\(r)", ratio(x.train, y.train), ratio(x.inference, y.inference)])
            }
        }
        if !versus.isEmpty {
            print("")
            Self.printTable([["", "N", "R", "train", "infer"]] + versus)
        }

        if sensors != "none" {
            print("")
            try sensorTable(recordings: recordings, neurons: ns, radii: rs, kinds: kinds)
        }

        if !noExtraction, let dataset {
            print("")
            try BenchExtraction.run(dataset: dataset)
        }
        if memoryEvents != "none" {
            print("")
            try BenchMemory.run(sizes: memoryEvents.split(separator: ",").compactMap { Int($0) })
        }
    }

    /// N-MNIST-like synthetic recordings: a blob wandering over the sensor.
    static func synthetic(recordings: Int) -> [ContiguousArray<Event>] {
        var g = SplitMix64(seed: 7)
        return (0..<recordings).map { _ in
            var out = ContiguousArray<Event>()
            var t: Int64 = 0
            for i in 0..<4000 {
                let r = g.next()
                t += Int64(r & 127)
                let cx = 17 + Int(8 * sin(Double(i) / 600)), cy = 17 + Int(8 * cos(Double(i) / 900))
                let x = min(33, max(0, cx + Int((r >> 8) % 9) - 4)), y = min(33, max(0, cy + Int((r >> 16) % 9) - 4))
                out.append(Event(t: t, x: UInt16(x), y: UInt16(y), polarity: UInt8((r >> 24) & 1)))
            }
            return out
        }
    }

    /// FEAST on each `--sensors` size, same events: the hot path's cost of
    /// a large sensor's memory.
    private func sensorTable(recordings: [ContiguousArray<Event>], neurons: [Int], radii: [Int], kinds: [String]) throws {
        let targets = try sensors.split(separator: ",").map { try GeometryArgument.parse(String($0)).geometry }
        var rows = [[String]]()
        for kind in kinds {
            for r in radii {
                for n in neurons {
                    let p = FeastParameters(neurons: n, radius: r)
                    let results = kind == "fixed"
                        ? try SensorSizeBenchmark.run(FixedPointArithmetic.self, recordings: recordings, source: .nmnist, targets: targets, parameters: p, arithmetic: FixedPointConfiguration())
                        : try SensorSizeBenchmark.run(FloatArithmetic.self, recordings: recordings, source: .nmnist, targets: targets, parameters: p, arithmetic: .init())
                    let base = results[0].result
                    for row in results {
                        rows.append(["feast \(kind)", "\(n)", "\(r)", row.geometry.description, String(format: "%.2f", Double(row.timeSurfaceBytes) / 1e6),
                                     String(format: "%.2f", row.result.trainEventsPerCPUSecond / 1e6), String(format: "%.2f", row.result.inferenceEventsPerCPUSecond / 1e6),
                                     String(format: "%.0f%%", 100 * row.result.trainEventsPerCPUSecond / base.trainEventsPerCPUSecond),
                                     String(format: "%.0f%%", 100 * row.result.inferenceEventsPerCPUSecond / base.inferenceEventsPerCPUSecond)])
                        Terminal.log(rows.last!.joined(separator: " "))
                    }
                }
            }
        }
        print("Sensor size: the same \(recordings.reduce(0) { $0 + $1.count }) events as one stream, recordings moved about the larger sensor; million events per CPU-second")
        Self.printTable([["layer", "N", "R", "sensor", "surface MB", "train cpu", "infer cpu", "train vs first", "infer vs first"]] + rows)
    }

    static func printTable(_ all: [[String]]) {
        var widths = [Int](repeating: 0, count: all.map(\.count).max() ?? 0)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        for row in all {
            print(row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  "))
        }
    }
}
