import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// Dataset feature extraction (decode each file, FEAST inference, win
/// histogram) with 1 and 2 workers through ``Matrix/features(of:extractor:concurrency:events:)``,
/// checking that both give the same matrix.
public enum BenchExtraction {
    public static func run(dataset: Dataset, neurons: Int = 64, radius: Int = 5, repeats: Int = 2, console: BenchConsole) throws {
        let p = FeastParameters(neurons: neurons, radius: radius)
        var layer = try FeastLayer<FloatArithmetic>(parameters: p, arithmetic: .init())
        // A briefly trained layer, so inference sees realistic thresholds.
        var out = ContiguousArray<OutputEvent>()
        for r in dataset.recordings.prefix(200) {
            var source = try r.open()
            layer.reset()
            layer.process(ContiguousArray(try source.readAll()), learn: true, into: &out, emitMisses: false)
            out.removeAll(keepingCapacity: true)
        }
        let trained = layer
        let extractor = WinHistogramExtractor(neurons: neurons, pool: 2)
        var events = 0
        let counted = try parallelMap(dataset.recordings, concurrency: 1) { r -> Int in var s = try r.open(); return try s.readAll().count }
        events = counted.reduce(0, +)

        var rows: [[String]] = []
        var reference: Matrix?
        var serialWall = 0.0
        for workers in [1, 2] {
            var bestWall = Double.infinity, bestCPU = Double.infinity
            var matrix: Matrix?
            for _ in 0..<repeats {
                let w0 = FeastBenchmark.now(), c0 = ProcessClock.processCPU()
                matrix = try Matrix.features(of: dataset.recordings, extractor: extractor, concurrency: workers) { r in
                    var l = trained
                    var source = try r.open()
                    var chunk = ContiguousArray<Event>()
                    var output = ContiguousArray<OutputEvent>()
                    l.reset()
                    while try source.nextChunk(into: &chunk) {
                        l.process(chunk, learn: false, into: &output, emitMisses: false)
                    }
                    return output
                }
                bestWall = min(bestWall, FeastBenchmark.now() - w0)
                bestCPU = min(bestCPU, ProcessClock.processCPU() - c0)
            }
            if workers == 1 { reference = matrix; serialWall = bestWall }
            let same = matrix == reference
            rows.append(["\(workers)", "\(dataset.count)", "\(events)", String(format: "%.3f", bestWall), String(format: "%.3f", bestCPU),
                         String(format: "%.2f", Double(events) / bestWall / 1e6), String(format: "%.2f", Double(events) / bestCPU / 1e6),
                         String(format: "%.2f×", serialWall / bestWall), same ? "yes" : "NO"])
            console.log(rows.last!.joined(separator: " "))
        }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
        console.out("Extraction (decode files + FEAST float N=\(neurons) R=\(radius) inference + 2×2 win histogram), best of \(repeats); load average \(load)")
        console.table([["workers", "recordings", "events", "wall s", "CPU s", "Mev/s wall", "Mev/CPU-s", "speed-up", "same as 1"]] + rows)
    }
}
