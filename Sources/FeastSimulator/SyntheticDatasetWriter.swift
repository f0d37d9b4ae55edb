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
        let fm = FileManager.default
        for folder in ["Train", "Test"] {
            for digit in 0...9 {
                let path = "\(directory)/\(folder)/\(digit)"
                do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                    throw SimulatorError.cannotWrite(path: path, reason: "cannot create the folder (\(error.localizedDescription))")
                }
            }
        }
        let sensor = simulator.sensor(seed: plan.seed)
        let failures = ResultSlots<(any Error)?>(count: plan.items.count)
        DispatchQueue.concurrentPerform(iterations: plan.items.count) { k in
            let item = plan.items[k]
            let events = simulator.recording(digit: item.digit, index: item.index, seed: plan.seed, sensor: sensor)
            let path = "\(directory)/\(item.relativePath)"
            do {
                var writer = try NMNISTWriter(path: path)
                try writer.write(events)
                try writer.finish()
                failures.set(k, nil)
            } catch { failures.set(k, error) }   // FeastEvents' errors name the path
        }
        if let first = failures.values().compactMap({ $0 }).first { throw first }
        try writeAtomically(Data(plan.labelsCSV.utf8), to: "\(directory)/labels.csv")
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
