import Dispatch
import FeastEvents
import Foundation

/// Writes a ``SyntheticDatasetPlan`` to disk in the N-MNIST layout:
/// `DIR/Train/<digit>/NNNNN.bin`, `DIR/Test/<digit>/NNNNN.bin` (5-byte
/// events) and `DIR/labels.csv` (`file,label,split`).
///
/// Recordings are made and written in parallel; each file appears whole or
/// not at all (``AtomicFile``), and the bytes do not depend on the number
/// of threads. `labels.csv` is written last, so a folder with a labels file
/// is complete.
public enum SyntheticDatasetWriter {
    public static func write(plan: SyntheticDatasetPlan, to directory: String,
                             simulator: SyntheticNMNIST = SyntheticNMNIST()) throws {
        let sensor = simulator.sensor(seed: plan.seed)
        try write(items: plan.items, labelsCSV: plan.labelsCSV, to: directory) { item in
            simulator.recording(digit: item.digit, index: item.index, seed: plan.seed, sensor: sensor)
        }
    }

    /// Writes a planes data set (``SyntheticPlanes``): `DIR/Train/<class>/NNNNN.es`,
    /// `DIR/Test/…` (Event Stream files of the 304 × 240 sensor, classes
    /// numbered as ``AircraftSilhouette``) and `DIR/labels.csv`. Returns the
    /// realism figures of what it wrote.
    @discardableResult
    public static func write(planes plan: SyntheticDatasetPlan, to directory: String,
                             simulator: SyntheticPlanes = SyntheticPlanes()) throws -> PassStatistics {
        precondition(plan.classes <= AircraftSilhouette.allCases.count, "one class per silhouette")
        let sensor = simulator.sensor(seed: plan.seed)
        let samples = try write(items: plan.items, labelsCSV: plan.labelsCSV, to: directory, geometry: simulator.geometry, measure: true) { item in
            simulator.recording(kind: item.digit, index: item.index, seed: plan.seed, sensor: sensor)
        }
        return PassStatistics(samples: samples.compactMap { $0 })
    }

    /// Writes `count` recordings of `generator` (indices `0..<count`) as
    /// `DIR/Train/0/NNNNN.bin`, all labelled 0 (they have no class: use
    /// them where only the events matter, e.g. `feast size --no-classifier`).
    public static func write(knownPatterns generator: KnownPatternsGenerator, count: Int, to directory: String) throws {
        let items = (0..<count).map {
            SyntheticDatasetPlan.Item(split: "train", digit: 0, index: $0,
                                      relativePath: "Train/0/\(SyntheticDatasetPlan.fiveDigits($0 + 1)).bin")
        }
        var csv = "file,label,split\n"
        for item in items { csv += "\(item.relativePath),0,train\n" }
        try write(items: items, labelsCSV: csv, to: directory) { generator.recording(index: $0.index).events }
    }

    /// Makes (in parallel) and writes every item, then the labels file;
    /// with `measure`, returns each recording's realism sample (else nils).
    /// `.es` items are written as Event Stream files of `geometry`, the
    /// others as N-MNIST `.bin`.
    @discardableResult
    static func write(items: [SyntheticDatasetPlan.Item], labelsCSV: String, to directory: String,
                      geometry: SensorGeometry = .nmnist, measure: Bool = false,
                      make: @Sendable (SyntheticDatasetPlan.Item) -> ContiguousArray<Event>) throws -> [PassStatistics.Sample?] {
        let fm = FileManager.default
        let folders = Set(items.map { item in item.relativePath.split(separator: "/").dropLast().joined(separator: "/") })
        for folder in folders.sorted() {
            let path = "\(directory)/\(folder)"
            do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw SimulatorError.cannotWrite(path: path, reason: "cannot create the folder (\(error.localizedDescription))")
            }
        }
        let results = ResultSlots<Result<PassStatistics.Sample?, any Error>>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { k in
            let item = items[k]
            let events = make(item)
            let path = "\(directory)/\(item.relativePath)"
            do {
                var writer: any EventSink = item.relativePath.hasSuffix(".es")
                    ? try EventStreamWriter(path: path, geometry: geometry) : try NMNISTWriter(path: path)
                try writer.write(events)
                try writer.finish()
                results.set(k, .success(measure ? PassStatistics.Sample(events, geometry: geometry) : nil))
            } catch { results.set(k, .failure(error)) }   // FeastEvents' errors name the path
        }
        let samples = try results.values().map { try $0.get() }
        try writeAtomically(Data(labelsCSV.utf8), to: "\(directory)/labels.csv")
        return samples
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let file = AtomicFile(destination: path)
        guard FileManager.default.createFile(atPath: file.temporaryPath, contents: data) else {
            file.abort()
            throw SimulatorError.cannotWrite(path: path, reason: "cannot create \(file.temporaryPath)")
        }
        do { try file.commit() } catch {
            file.abort()
            throw SimulatorError.cannotWrite(path: path, reason: "\(error)")
        }
    }
}
