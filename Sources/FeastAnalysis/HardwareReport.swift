import FeastCore
import FeastEvents

import Foundation

/// `feast hw-report`'s figures (snake_case JSON keys; bits and counts).
public struct HardwareReport: Encodable {
    public struct Memory: Encodable {
        public var weights: Int
        public var thresholds: Int
        public var timeSurface: Int
        public var decayTable: Int
        public var total: Int
        public enum CodingKeys: String, CodingKey {
            case weights, thresholds, timeSurface = "time_surface", decayTable = "decay_table", total
        }
    }
    public struct Measured: Encodable {
        public var recordings: Int
        public var events: Int64 = 0
        public var misses: Int64 = 0
        public var meanNonzeroContext = 0.0
        public var meanMacsPerEvent = 0.0
        public var accumulatorPeak: Int64 = 0
        public var accumulatorBitsNeeded = 0
        public var accumulatorOverflows: Int64 = 0
        public var contextOverflows: Int64 = 0
        public var weightOverflows: Int64 = 0
        public var thresholdOverflows: Int64 = 0
        public enum CodingKeys: String, CodingKey {
            case recordings, events, misses
            case meanNonzeroContext = "mean_nonzero_context", meanMacsPerEvent = "mean_macs_per_event"
            case accumulatorPeak = "accumulator_peak", accumulatorBitsNeeded = "accumulator_bits_needed"
            case accumulatorOverflows = "accumulator_overflows", contextOverflows = "context_overflows"
            case weightOverflows = "weight_overflows", thresholdOverflows = "threshold_overflows"
        }
    }

    public var arithmetic: String
    public var neurons: Int
    public var radius: Int
    public var populations: Int
    public var surfaces: Int
    public var contextLength: Int
    public var sensorWidth: Int
    public var sensorHeight: Int
    public var weightBits: Int
    public var thresholdBits: Int
    public var contextBits: Int
    public var accumulatorBits: Int
    public var timestampBits: Int
    public var decayTableEntries: Int
    public var memoryBits: Memory
    public var macsPerEvent: Int
    public var measured: Measured?

    public enum CodingKeys: String, CodingKey {
        case arithmetic, neurons, radius, populations, surfaces
        case contextLength = "context_length", sensorWidth = "sensor_width", sensorHeight = "sensor_height"
        case weightBits = "weight_bits", thresholdBits = "threshold_bits", contextBits = "context_bits"
        case accumulatorBits = "accumulator_bits", timestampBits = "timestamp_bits", decayTableEntries = "decay_table_entries"
        case memoryBits = "memory_bits", macsPerEvent = "macs_per_event", measured
    }

    public init(layer: AnyFeastLayer) {
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
    public var text: String {
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

extension HardwareReport {
    /// Runs `layer` in inference over `recordings` recordings (opened by
    /// index, time surface reset per recording) and measures what its
    /// datapath really needs: nonzero context entries, accumulator peak
    /// and overflow counts. `progress` gets the recordings done.
    public static func measure(_ layer: FeastLayer<FixedPointArithmetic>, recordings count: Int, open: (Int) throws -> any EventSource,
                               progress: (Int) -> Void = { _ in }) throws -> Measured {
        var l = layer
        var m = Measured(recordings: count)
        var nonzero: Int64 = 0
        for i in 0..<count {
            var source = try open(i)
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
            progress(i + 1)
        }
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
}
