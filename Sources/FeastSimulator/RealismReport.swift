import FeastEvents
import Foundation

/// Synthetic recordings side by side with real N-MNIST ones: the table in
/// `datasets/README.md`, reproduced by `feast simulate --realism REALDIR`.
public struct RealismReport: Sendable {
    public let real: RecordingStatistics
    public let synthetic: RecordingStatistics
    /// How the synthetic set was made, for the table's caption.
    public let recipe: String

    public init(real: RecordingStatistics, synthetic: RecordingStatistics, recipe: String) {
        self.real = real
        self.synthetic = synthetic
        self.recipe = recipe
    }

    /// Reads every `.bin` under `realDirectory` (recursively) and simulates
    /// `perClass` recordings of each digit with `seed` and `simulator`.
    public static func run(realDirectory: String, perClass: Int = 30, seed: UInt64 = 1,
                           simulator: SyntheticNMNIST = SyntheticNMNIST()) throws -> RealismReport {
        guard perClass > 0 else {
            throw SimulatorError.invalidParameter(name: "perClass", value: String(perClass), expected: "a positive count")
        }
        let (real, labels) = try loadRecordings(under: realDirectory)
        let plan = SyntheticDatasetPlan(trainPerClass: perClass, testPerClass: 0, seed: seed)
        let synthetic = simulator.recordings(for: plan.items, seed: seed)
        return RealismReport(
            real: RecordingStatistics.measure(real, labels: labels, geometry: simulator.geometry),
            synthetic: RecordingStatistics.measure(synthetic, labels: plan.items.map(\.digit), geometry: simulator.geometry),
            recipe: "\(synthetic.count) synthetic (\(perClass) per digit, seed \(seed)) vs \(real.count) real")
    }

    /// All `.bin` files under `directory`, decoded, in path order (decoding
    /// errors are FeastEvents' and name the file and byte offset), and their
    /// labels: the digit folder they sit in (`Train/3/…` → 3), else -1.
    static func loadRecordings(under directory: String) throws -> ([ContiguousArray<Event>], [Int]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw SimulatorError.cannotRead(path: directory, reason: "no such folder")
        }
        guard let all = FileManager.default.subpaths(atPath: directory) else {
            throw SimulatorError.cannotRead(path: directory, reason: "cannot list the folder")
        }
        let paths = all.filter { $0.hasSuffix(".bin") }.sorted()
        guard !paths.isEmpty else { throw SimulatorError.noRecordings(directory: directory) }
        let recordings = try paths.map { relative in
            var reader = try NMNISTReader(path: directory + "/" + relative)
            return try reader.readAll()
        }
        let labels = paths.map { relative -> Int in
            let parts = relative.split(separator: "/")
            guard parts.count >= 2, let digit = Int(parts[parts.count - 2]), (0...9).contains(digit) else { return -1 }
            return digit
        }
        return (recordings, labels)
    }

    /// The comparison as a markdown table (one row per figure).
    public var markdown: String {
        func f(_ v: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", v) }
        func pct(_ v: [Double]) -> String { v.map { String(format: "%.0f", $0 * 100) }.joined(separator: " / ") }
        func row(_ name: String, _ r: String, _ s: String) -> String { "| \(name) | \(r) | \(s) |\n" }
        let (r, s) = (real, synthetic)
        var out = "Realism: \(recipe) recordings.\n\n"
        out += "| figure | real N-MNIST | synthetic |\n|---|---|---|\n"
        out += row("recordings", "\(r.recordings)", "\(s.recordings)")
        out += row("events per recording min / p5 / median / p95 / max",
                   [r.eventsMin, r.eventsP5, r.eventsMedian, r.eventsP95, r.eventsMax].map { f($0) }.joined(separator: " / "),
                   [s.eventsMin, s.eventsP5, s.eventsMedian, s.eventsP95, s.eventsMax].map { f($0) }.joined(separator: " / "))
        out += row("median events per digit 0 … 9", r.eventsMedianPerDigit.map { $0.isNaN ? "–" : f($0) }.joined(separator: " "),
                   s.eventsMedianPerDigit.map { $0.isNaN ? "–" : f($0) }.joined(separator: " "))
        out += row("ON fraction (mean)", f(r.onFraction, 3), f(s.onFraction, 3))
        out += row("share of events in 0–100 / 100–200 / 200+ ms (%)", pct(r.thirds), pct(s.thirds))
        out += row("events per 10 ms bin, 0–310 ms (% of all)",
                   r.profile.map { f($0 * 100, 1) }.joined(separator: " "), s.profile.map { f($0 * 100, 1) }.joined(separator: " "))
        out += row("burst contrast (weakest burst peak / deepest gap)", f(r.burstContrast(), 1), f(s.burstContrast(), 1))
        out += row("first / last timestamp, median (ms)", "\(f(r.firstTimestamp / 1000, 1)) / \(f(r.lastTimestamp / 1000, 1))",
                   "\(f(s.firstTimestamp / 1000, 1)) / \(f(s.lastTimestamp / 1000, 1))")
        out += row("x min–max, y min–max (median)", "\(f(r.xMin))–\(f(r.xMax)), \(f(r.yMin))–\(f(r.yMax))",
                   "\(f(s.xMin))–\(f(s.xMax)), \(f(s.yMin))–\(f(s.yMax))")
        out += row("x p5–p95, y p5–p95 (median; the digit's extent)", "\(f(r.xP5))–\(f(r.xP95)), \(f(r.yP5))–\(f(r.yP95))",
                   "\(f(s.xP5))–\(f(s.xP95)), \(f(s.yP5))–\(f(s.yP95))")
        out += row("active pixels (median)", f(r.activePixels), f(s.activePixels))
        out += row("time between events at one pixel, median (ms)", f(r.samePixelInterval / 1000, 1), f(s.samePixelInterval / 1000, 1))
        return out
    }
}
