import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast bench layer`: FEAST training and inference throughput for
/// N × R × arithmetic next to the C reference on the same recordings in the
/// same run, dataset extraction with 1 and 2 workers, and peak memory of
/// streaming at two input sizes. Tables through a ``BenchConsole``.
public struct LayerBenchmark: Sendable {
    /// Training recordings (a dataset folder); nil = `sharedRoot`/nmnist-small/Train,
    /// synthetic events when absent.
    public var data: String?
    public var neurons: [Int] = [16, 64, 256]
    public var radii: [Int] = [3, 5]
    /// "float" and/or "fixed".
    public var arithmetics: [String] = ["float", "fixed"]
    /// C reference source; nil = the shared one, "none" skips it.
    public var reference: String?
    /// Input sizes (events) of the streaming-memory measurement; empty skips it.
    public var memoryEvents: [Int] = [10_000_000, 100_000_000]
    /// Sensors of the sensor-size measurement; empty skips it.
    public var sensors: [SensorGeometry] = [.nmnist, SensorGeometry(width: 1280, height: 720)]
    /// Whether to measure parallel extraction.
    public var extraction = true
    /// Whether to measure evaluate and size with 1 and 2 workers.
    public var parallelRuns = true
    /// Use at most this many recordings.
    public var limit: Int?

    public init() {}

    /// FEAST_DATA, else ../shared/datasets beside the package.
    public static var sharedRoot: String {
        if let env = ProcessInfo.processInfo.environment["FEAST_DATA"], !env.isEmpty { return env }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("../shared/datasets").standardizedFileURL.path
    }

    /// The benchmark's input: `data` (default: `sharedRoot`/nmnist-small/Train)
    /// decoded, at most `limit` recordings, with their files and dataset;
    /// synthetic recordings (no files) when the folder is absent.
    public static func recordings(data: String?, limit: Int?, console: BenchConsole)
        throws -> (recordings: [ContiguousArray<Event>], files: [String], dataset: Dataset?) {
        let folder = data ?? Self.sharedRoot + "/nmnist-small/Train"
        guard FileManager.default.fileExists(atPath: folder) else {
            console.log("note: \(folder) not found; synthetic recordings (no C reference)")
            return (Self.synthetic(recordings: limit ?? 200), [], nil)
        }
        var d = try Dataset.load(path: folder)
        if let limit { d.recordings = Array(d.recordings.prefix(limit)) }
        var files: [String] = [], recordings: [ContiguousArray<Event>] = []
        for r in d.recordings {
            var source = try r.open()
            recordings.append(ContiguousArray(try source.readAll()))
            if case let .file(p) = r.location { files.append(p) }
        }
        console.log("input: \(d.count) recordings of \(folder), \(recordings.reduce(0) { $0 + $1.count }) events")
        return (recordings, files, d)
    }

    /// Measures and prints every table.
    public func run(console: BenchConsole) throws {
        let ns = neurons, rs = radii, kinds = arithmetics
        let (recordings, files, dataset) = try Self.recordings(data: data, limit: limit, console: console)
        let refSource = reference ?? Self.sharedRoot + "/../reference/feast_ref.c"
        let ref = refSource == "none" || files.isEmpty ? nil : ReferenceC.build(source: URL(fileURLWithPath: refSource).standardizedFileURL.path, console: console)
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
                    console.log(rows.last!.joined(separator: " "))
                }
            }
        }
        console.out("FEAST layer, \(recordings.count) recordings, \(recordings.reduce(0) { $0 + $1.count }) events per pass; million events/s")
        console.out("(cpu = per CPU-second of the measuring thread; wall = per elapsed second, load-dependent; C = ../shared/reference/feast_ref.c,")
        console.out(" gcc -O3 -march=native -ffast-math, its own timer answered with its process CPU time; train = 1 epoch, infer = best of 3)")
        console.table([["layer", "N", "R", "train cpu", "infer cpu", "train wall", "infer wall",
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
            console.out("")
            console.table([["", "N", "R", "train", "infer"]] + versus)
        }

        if !sensors.isEmpty {
            console.out("")
            try sensorTable(recordings: recordings, neurons: ns, radii: rs, kinds: kinds, console: console)
        }

        if extraction, let dataset {
            console.out("")
            try BenchExtraction.run(dataset: dataset, console: console)
        }
        if parallelRuns, let dataset {
            console.out("")
            try BenchParallel.run(dataset: dataset, console: console)
        }
        if !memoryEvents.isEmpty {
            console.out("")
            try BenchMemory.run(sizes: memoryEvents, console: console)
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
    private func sensorTable(recordings: [ContiguousArray<Event>], neurons: [Int], radii: [Int], kinds: [String], console: BenchConsole) throws {
        let targets = sensors
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
                        console.log(rows.last!.joined(separator: " "))
                    }
                }
            }
        }
        console.out("Sensor size: the same \(recordings.reduce(0) { $0 + $1.count }) events as one stream, recordings moved about the larger sensor; million events per CPU-second")
        console.table([["layer", "N", "R", "sensor", "surface MB", "train cpu", "infer cpu", "train vs first", "infer vs first"]] + rows)
    }

}
