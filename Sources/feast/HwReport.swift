import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastIO

/// `feast hw-report`: what a FEAST layer costs in hardware: memory bits,
/// multiply-accumulates per event and, measured on data, the accumulator
/// width the scores really need.
struct HwReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hw-report",
        abstract: "Memory, MACs per event and the accumulator width actually needed by a FEAST layer.",
        discussion: """
            Memory: weights = populations·N·K·weight bits (K = channels·(2R+1)²), thresholds = \
            populations·N·threshold bits, time surface = surfaces·W·H·timestamp bits, decay table = \
            entries·context bits. MACs per event: N·K for a dense dot product; with --data also the \
            mean over the nonzero context entries (an event-driven datapath skips zeros). \
            --data runs the layer in inference over the dataset's test split (all recordings when \
            none is marked test; --recordings limits) and reports the largest accumulator value and \
            overflow counts. A float network with --arithmetic fixed is quantised first. Float \
            layers are costed as 32-bit words.
            """)

    @Option(help: "Network file (else the layer options describe the layer).")
    var network: String?

    @OptionGroup(title: "Layer") var layerOptions: LayerOptions

    @Option(help: "Dataset (or one event file) to measure the accumulator on.")
    var data: String?

    @Option(help: "Measure on at most this many recordings.")
    var recordings: Int?

    @Option(help: ArgumentHelp("Sensor size when no network or data gives it.", valueName: "WxH"))
    var geometry: GeometryArgument?

    @Flag(help: "Print the report as one JSON object on stdout.")
    var json = false

    func validate() throws {
        if let recordings, recordings < 1 { throw ValidationError("--recordings must be ≥ 1, got \(recordings)") }
    }

    func run() throws {
        var layer: AnyFeastLayer
        if let network {
            let (_, loaded) = try NetworkFile.loadLayer(from: network)
            layer = loaded
            if let f = loaded.layer(as: FloatArithmetic.self), let fixed = layerOptions.arithmetic(for: f.parameters).fixedPoint {
                layer = AnyFeastLayer(try FeastLayer<FixedPointArithmetic>(quantising: f.state, configuration: fixed))
            } else if loaded.layer(as: FixedPointArithmetic.self) != nil, layerOptions.fixedPoint.arithmetic == .fixed {
                Terminal.warn("\(network) is already fixed point: its own configuration is reported, the fixed-point flags are ignored")
            }
        } else {
            layer = try layerOptions.makeLayer(geometry: geometry?.geometry ?? .nmnist)
        }
        var report = HardwareReport(layer: layer)
        if let data {
            report.measured = try measure(layer: layer, data: data)
        }
        if json {
            try printJSON(report)
        } else {
            FileHandle.standardOutput.write(Data(report.text.utf8))
        }
    }

    private func measure(layer: AnyFeastLayer, data: String) throws -> HardwareReport.Measured {
        var files: [Recording]
        if !Self.isEventFile(data) {
            let all = try Dataset.load(path: data).recordings
            let tests = all.filter { $0.split == .test }
            files = tests.isEmpty ? all : tests
        } else {
            files = [Recording(name: data, label: nil, split: nil, location: .file(data))]
        }
        if let recordings { files = Array(files.prefix(recordings)) }
        guard var l = layer.layer(as: FixedPointArithmetic.self) else {
            throw ValidationError("--data measures fixed-point accumulators; give --arithmetic fixed (and bit widths)")
        }
        var m = HardwareReport.Measured(recordings: files.count)
        var nonzero: Int64 = 0
        var bar = ProgressBar(title: "hw-report", total: files.count)
        for (i, r) in files.enumerated() {
            var source = try EventFileOpener.openSource(recording: r, options: EventReadOptions(format: nil, lenient: false, columns: nil, geometry: nil))
            l.reset()
            try source.forEachChunk { chunk in
                for e in chunk {
                    let tr = l.step(e, learn: false)
                    guard tr.winner != -2 else { continue }
                    m.events += 1
                    for v in tr.contextRaw where v != 0 { nonzero += 1 }
                    if tr.winner == -1 { m.misses += 1 }
                }
            }
            bar.update(i + 1)
        }
        bar.finish()
        let c = l.arithmetic.counters
        m.meanNonzeroContext = m.events > 0 ? Double(nonzero) / Double(m.events) : 0
        m.meanMacsPerEvent = m.meanNonzeroContext * Double(l.neurons)
        m.accumulatorPeak = c.accumulatorPeak
        m.accumulatorBitsNeeded = HardwareWords.signedBits(forMagnitude: c.accumulatorPeak)
        m.accumulatorOverflows = c.accumulatorOverflows
        m.contextOverflows = c.contextOverflows
        m.weightOverflows = c.weightOverflows
        m.thresholdOverflows = c.thresholdOverflows
        return m
    }

    /// An event file rather than a dataset: `.bin`/`.h5`, or a `.csv` whose
    /// header does not start with a `file` column (a labels CSV does).
    static func isEventFile(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".bin") || lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") { return true }
        guard lower.hasSuffix(".csv"), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 256), as: UTF8.self).lowercased()
        return !head.hasPrefix("file,") && !head.hasPrefix("\"file\",")
    }
}

/// `feast hw-report`'s figures (snake_case JSON keys; bits and counts).
struct HardwareReport: Encodable {
    struct Memory: Encodable {
        var weights: Int
        var thresholds: Int
        var timeSurface: Int
        var decayTable: Int
        var total: Int
        enum CodingKeys: String, CodingKey {
            case weights, thresholds, timeSurface = "time_surface", decayTable = "decay_table", total
        }
    }
    struct Measured: Encodable {
        var recordings: Int
        var events: Int64 = 0
        var misses: Int64 = 0
        var meanNonzeroContext = 0.0
        var meanMacsPerEvent = 0.0
        var accumulatorPeak: Int64 = 0
        var accumulatorBitsNeeded = 0
        var accumulatorOverflows: Int64 = 0
        var contextOverflows: Int64 = 0
        var weightOverflows: Int64 = 0
        var thresholdOverflows: Int64 = 0
        enum CodingKeys: String, CodingKey {
            case recordings, events, misses
            case meanNonzeroContext = "mean_nonzero_context", meanMacsPerEvent = "mean_macs_per_event"
            case accumulatorPeak = "accumulator_peak", accumulatorBitsNeeded = "accumulator_bits_needed"
            case accumulatorOverflows = "accumulator_overflows", contextOverflows = "context_overflows"
            case weightOverflows = "weight_overflows", thresholdOverflows = "threshold_overflows"
        }
    }

    var arithmetic: String
    var neurons: Int
    var radius: Int
    var populations: Int
    var surfaces: Int
    var contextLength: Int
    var sensorWidth: Int
    var sensorHeight: Int
    var weightBits: Int
    var thresholdBits: Int
    var contextBits: Int
    var accumulatorBits: Int
    var timestampBits: Int
    var decayTableEntries: Int
    var memoryBits: Memory
    var macsPerEvent: Int
    var measured: Measured?

    enum CodingKeys: String, CodingKey {
        case arithmetic, neurons, radius, populations, surfaces
        case contextLength = "context_length", sensorWidth = "sensor_width", sensorHeight = "sensor_height"
        case weightBits = "weight_bits", thresholdBits = "threshold_bits", contextBits = "context_bits"
        case accumulatorBits = "accumulator_bits", timestampBits = "timestamp_bits", decayTableEntries = "decay_table_entries"
        case memoryBits = "memory_bits", macsPerEvent = "macs_per_event", measured
    }

    init(layer: AnyFeastLayer) {
        let p = layer.parameters, g = layer.geometry
        arithmetic = layer.state.arithmetic
        neurons = p.neurons
        radius = p.radius
        populations = p.populations
        surfaces = p.surfaces
        contextLength = p.contextLength
        sensorWidth = g.width
        sensorHeight = g.height
        if let l = layer.layer(as: FixedPointArithmetic.self) {
            let c = l.arithmetic.configuration
            weightBits = c.weightBits
            thresholdBits = c.thresholdBits
            contextBits = c.contextBits
            accumulatorBits = c.accumulatorBits
            timestampBits = c.timestampBits
            decayTableEntries = HardwareWords.decayTable(l.arithmetic).count
        } else {
            (weightBits, thresholdBits, contextBits, accumulatorBits, timestampBits, decayTableEntries) = (32, 32, 32, 32, 32, 0)
        }
        let w = populations * neurons * contextLength * weightBits
        let t = populations * neurons * thresholdBits
        let s = surfaces * g.width * g.height * timestampBits
        let d = decayTableEntries * contextBits
        memoryBits = Memory(weights: w, thresholds: t, timeSurface: s, decayTable: d, total: w + t + s + d)
        macsPerEvent = neurons * contextLength
    }

    /// The human-readable table.
    var text: String {
        func kib(_ bits: Int) -> String { String(format: "%.1f KiB", Double(bits) / 8192) }
        var lines = [
            "FEAST layer: \(arithmetic), N = \(neurons) × \(populations) population(s), R = \(radius), K = \(contextLength), sensor \(sensorWidth)×\(sensorHeight)",
            "words: weight \(weightBits) b, threshold \(thresholdBits) b, context \(contextBits) b, accumulator \(accumulatorBits) b, timestamp \(timestampBits) b",
            "",
            "memory            bits          size      formula",
            row("weights", memoryBits.weights, kib(memoryBits.weights), "\(populations)·\(neurons)·\(contextLength)·\(weightBits)"),
            row("thresholds", memoryBits.thresholds, kib(memoryBits.thresholds), "\(populations)·\(neurons)·\(thresholdBits)"),
            row("time surface", memoryBits.timeSurface, kib(memoryBits.timeSurface), "\(surfaces)·\(sensorWidth)·\(sensorHeight)·\(timestampBits)"),
            row("decay table", memoryBits.decayTable, kib(memoryBits.decayTable), "\(decayTableEntries)·\(contextBits)"),
            row("total", memoryBits.total, kib(memoryBits.total), ""),
            "",
            "MACs per event (dense N·K): \(macsPerEvent)",
        ]
        if let m = measured {
            lines += [
                "measured on \(m.recordings) recordings, \(m.events) events (\(m.misses) misses):",
                String(format: "  mean nonzero context entries %.1f → %.0f MACs per event when zeros are skipped", m.meanNonzeroContext, m.meanMacsPerEvent),
                "  accumulator peak \(m.accumulatorPeak) LSBs → \(m.accumulatorBitsNeeded) bits needed (signed) of \(accumulatorBits) configured",
                "  overflows: accumulator \(m.accumulatorOverflows), context \(m.contextOverflows), weight \(m.weightOverflows), threshold \(m.thresholdOverflows)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ name: String, _ bits: Int, _ size: String, _ formula: String) -> String {
        name.padding(toLength: 14, withPad: " ", startingAt: 0)
            + String(repeating: " ", count: max(0, 10 - "\(bits)".count)) + "\(bits)"
            + String(repeating: " ", count: max(0, 14 - size.count)) + size + "      " + formula
    }
}
