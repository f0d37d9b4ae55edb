import FeastAnalysis
import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// `feast evaluate` and `feast size` with 1 and 2 workers on the same
/// recordings: wall time, speed-up, and whether both worker counts give the
/// same result (they must: the work is split, never the randomness).
///
/// Evaluate: the stage table (stages a–d, logistic, one seed) on a 3:1
/// split of every k-th recording (at most `limit`); its layer training is one sequential pass, so
/// its speed-up is bounded by that share (Amdahl). Size: one configuration
/// per worker at a time over N ∈ `sizeNeurons`.
public enum BenchParallel {
    public static func run(dataset: Dataset, neurons: Int = 64, radius: Int = 5, limit: Int = 400,
                           sizeNeurons: [Int] = [16, 32, 48, 64], console: BenchConsole) throws {
        // Every k-th recording: all classes in both splits.
        let step = max(1, dataset.recordings.count / limit)
        let recordings = stride(from: 0, to: dataset.recordings.count, by: step).prefix(limit).map { dataset.recordings[$0] }
        // Interleaved 3:1, so both splits hold every class.
        let isTrain = { (k: Int) in k % 4 != 3 }
        let train = recordings.indices.filter(isTrain).map { recordings[$0] }
        let test = recordings.indices.filter { !isTrain($0) }.map { recordings[$0] }
        var rows: [[String]] = []
        // Decoded once: evaluate counts them, size trains on them (as `feast size` does).
        let decoded = try parallelMap(recordings, concurrency: 2) { r -> ContiguousArray<Event> in var s = try r.open(); return try s.readAll() }
        let events = decoded.reduce(0) { $0 + $1.count }

        // Evaluate.
        var evaluation = StageEvaluation(parameters: FeastParameters(neurons: neurons, radius: radius))
        var reference: [[ConfusionMatrix]]?, serial = 0.0
        for workers in [1, 2] {
            evaluation.concurrency = workers
            let w0 = FeastBenchmark.now()
            let report = try evaluation.run(train: train, test: test)
            let wall = FeastBenchmark.now() - w0
            let result = report.results.map(\.confusions)
            if workers == 1 { reference = result; serial = wall }
            rows.append(["evaluate", "\(workers)", "\(recordings.count)", "\(events)", String(format: "%.2f", wall),
                         String(format: "%.2f×", serial / wall), result == reference ? "yes" : "NO"])
            console.log(rows.last!.joined(separator: " "))
        }

        // Size, on the training recordings.
        let trainEvents = recordings.indices.filter(isTrain).map { decoded[$0] }
        let split = SizeStudy.Split(events: trainEvents, labels: train.map { $0.label ?? 0 })
        let classes = (train.compactMap(\.label).max() ?? 0) + 1
        let study = SizeStudy(base: FeastParameters(radius: radius), classes: classes, crossValidationFolds: 3)
        let grid = sizeNeurons.map { SizeConfiguration(neurons: $0, tau: FeastParameters().tau, seed: 1) }
        var sizeReference: [SizeRow]?
        for workers in [1, 2] {
            let w0 = FeastBenchmark.now()
            let result = try study.run(grid, train: split, test: nil, parallelism: workers)
            let wall = FeastBenchmark.now() - w0
            if workers == 1 { sizeReference = result; serial = wall }
            rows.append(["size", "\(workers)", "\(train.count)", "\(trainEvents.reduce(0) { $0 + $1.count } * grid.count)", String(format: "%.2f", wall),
                         String(format: "%.2f×", serial / wall), result == sizeReference ? "yes" : "NO"])
            console.log(rows.last!.joined(separator: " "))
        }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
        console.out("Parallel runs: evaluate (stages a-d, N=\(neurons) R=\(radius), logistic, 1 seed, \(train.count) train / \(test.count) test) and size (N = \(sizeNeurons.map(String.init).joined(separator: ",")), 3-fold CV); load average \(load)")
        console.table([["run", "workers", "recordings", "events", "wall s", "speed-up", "same as 1"]] + rows)
    }
}
