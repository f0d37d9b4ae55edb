import FeastAnalysis
import FeastCore
import FeastEvents
import Foundation

extension SweepData {
    /// Decodes the labelled train and test recordings of `dataset` (at
    /// most `trainLimit` / `testLimit` of each) once, into memory, read
    /// with `options` (filters, leniency, geometry).
    public static func load(dataset: String, trainLimit: Int?, testLimit: Int?, options: EventReadOptions = EventReadOptions()) throws -> SweepData {
        let all = try Dataset.load(path: dataset)
        var train = all.recordings.filter { $0.split == .train && $0.label != nil }
        var test = all.recordings.filter { $0.split == .test && $0.label != nil }
        guard !train.isEmpty, !test.isEmpty else {
            throw SweepError.noTrainTestSplit(dataset: dataset)
        }
        if let trainLimit { train = Array(train.prefix(trainLimit)) }
        if let testLimit { test = Array(test.prefix(testLimit)) }
        let classes = (train + test).map { $0.label! }.max()! + 1
        let trainEvents = try train.map { r -> ContiguousArray<Event> in var s = try EventFileOpener.openSource(recording: r, options: options); return try s.readAll() }
        let testEvents = try test.map { r -> ContiguousArray<Event> in var s = try EventFileOpener.openSource(recording: r, options: options); return try s.readAll() }
        let geometry = try EventFileOpener.openSource(recording: train[0], options: options).geometry
        return SweepData(train: trainEvents, test: testEvents, trainLabels: train.map { $0.label! },
                         testLabels: test.map { $0.label! }, classes: classes, geometry: geometry)
    }
}

extension SweepReport {
    /// Accuracy, quantised accuracy and agreement against the weight word length
    /// (configurations of one context length per series when context was swept).
    public var plot: LinePlot {
        let fixed = rows.dropFirst()
        let contexts = Array(Set(fixed.map { $0.contextBits! })).sorted()
        let paired = fixed.allSatisfy { $0.weightBits == $0.contextBits }
        var series = [LinePlot.Series]()
        let groups: [(String, [SweepRow])] = paired ? [("", Array(fixed))] : contexts.map { c in (" c\(c)", fixed.filter { $0.contextBits == c }) }
        for (suffix, g) in groups {
            let x = g.map { Double($0.weightBits!) }
            series.append(LinePlot.Series(name: "accuracy" + suffix, x: x, y: g.map(\.accuracy), markers: true))
            series.append(LinePlot.Series(name: "quantised accuracy" + suffix, x: x, y: g.map(\.quantisedAccuracy), markers: true))
            series.append(LinePlot.Series(name: "winner agreement" + suffix, x: x, y: g.map(\.agreement), markers: true))
        }
        return LinePlot(title: "fixed point vs float32 (N = \(neurons), R = \(radius))",
                        xLabel: paired ? "weight = context bits" : "weight bits", yLabel: "fraction",
                        series: series, referenceLines: [LinePlot.ReferenceLine(y: floatAccuracy, label: "float32 accuracy")])
    }
}
