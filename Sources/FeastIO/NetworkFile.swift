import Foundation
import FeastEvents
import FeastCore

/// A trained FEAST layer (and optionally its training history and resume
/// position) as HDF5:
///
/// - root attributes: `format_version` (this layout, ``formatVersion``),
///   `kind` = `"feast-network"`, `layers` = 1;
/// - `/layer0`: datasets `weights` (float32, `populations·neurons × K`),
///   `thresholds` (float32), and for fixed point `raw_weights` /
///   `raw_thresholds` (int32, in LSBs); attributes: every field of
///   ``LayerState`` flattened (`parameters.tau`, `geometry.width`,
///   `fixed_point.weight_bits`, `counters.events`, ...) for h5py users, and
///   `state_json`, the exact state without arrays, which loading uses;
/// - `/training` (when a monitor is given): history columns (`event`,
///   `moving_miss_rate`, `threshold_mean`, ... NaN where undefined), `wins`,
///   flattened attributes, and `monitor_json` (a one-string dataset: it can
///   exceed HDF5's 64 KiB attribute limit) holding the exact monitor.
///
/// Loading checks the version, that the arrays match the sizes the state
/// declares, and that weights and thresholds are finite.
public struct NetworkFile: Sendable, Equatable {
    /// Version of this layout; files with a larger one are refused.
    public static let formatVersion = 1

    /// Every layer, layer 0 (fed by the sensor) first; never empty.
    public var layers: [LayerState]
    /// Training history and counters of layer 0 (nil: not recorded).
    public var monitor: TrainingMonitor?
    /// The training history of layers 1…, in order (empty: not recorded;
    /// else one per deeper layer).
    public var deeperMonitors: [TrainingMonitor] = []
    /// Where an interrupted training run resumes (nil: finished).
    public var position: TrainingPosition?
    /// For a checkpoint of `feast stream --learn`: the input events consumed
    /// so far (the resumed stream is fed the events after them). Stored as
    /// `/stream` attribute `events_consumed`; nil when absent.
    public var streamEvents: Int64?

    public init(layer: LayerState, monitor: TrainingMonitor? = nil, position: TrainingPosition? = nil, streamEvents: Int64? = nil) {
        self.layers = [layer]
        self.monitor = monitor
        self.position = position
        self.streamEvents = streamEvents
    }

    public init(checkpoint: TrainingCheckpoint) {
        self.init(layer: checkpoint.layer, monitor: checkpoint.monitor, position: checkpoint.position)
    }

    /// A stacked network: `layers` (at least one) and, when recorded, one
    /// monitor per layer.
    public init(layers: [LayerState], monitors: [TrainingMonitor] = []) {
        precondition(!layers.isEmpty && (monitors.isEmpty || monitors.count == layers.count))
        self.layers = layers
        monitor = monitors.first
        deeperMonitors = Array(monitors.dropFirst())
    }

    /// Layer 0, the one a single-layer file holds.
    public var layer: LayerState {
        get { layers[0] }
        set { layers[0] = newValue }
    }

    /// Group of layer `k`: `/layer0`, `/layer1`, …
    public static func group(ofLayer k: Int) -> String { "/layer\(k)" }

    // MARK: - Writing

    public func write(to path: String) throws {
        var states = [(group: String, json: String)]()
        for (k, layer) in layers.enumerated() {
            var meta = layer
            meta.weights = []
            meta.thresholds = []
            meta.rawWeights = []
            meta.rawThresholds = []
            states.append((Self.group(ofLayer: k), try NetworkFile.json(meta, file: path, object: Self.group(ofLayer: k))))
        }
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format_version", .int(NetworkFile.formatVersion))
            try file.setAttribute("kind", .string("feast-network"))
            try file.setAttribute("layers", .int(layers.count))
            for (layer, state) in zip(layers, states) {
                let g = state.group
                let rows = layer.populations * layer.neurons
                let k = layer.contextLength
                try file.createGroup(g)
                try file.write(layer.weights, shape: [rows, k], to: g + "/weights")
                try file.write(layer.thresholds, to: g + "/thresholds")
                if !layer.rawWeights.isEmpty || !layer.rawThresholds.isEmpty {
                    try file.write(layer.rawWeights, shape: [rows, k], to: g + "/raw_weights")
                    try file.write(layer.rawThresholds, to: g + "/raw_thresholds")
                }
                try file.setAttributes(try NetworkFile.flatten(state.json), on: g)
                try file.setAttribute("state_json", .string(state.json), on: g)
            }
            if let monitor {
                try writeTraining(monitor, to: file, group: "/training")
            }
            for (k, monitor) in deeperMonitors.enumerated() {
                try writeTraining(monitor, to: file, group: Self.group(ofLayer: k + 1) + "/training")
            }
            if let position {
                try file.createGroup("/training")
                try file.setAttribute("position.epoch", .int(position.epoch), on: "/training")
                try file.setAttribute("position.recording", .int(position.recording), on: "/training")
            }
            if let streamEvents {
                try file.createGroup("/stream")
                try file.setAttribute("events_consumed", .int(Int(streamEvents)), on: "/stream")
            }
        }
    }

    private func writeTraining(_ monitor: TrainingMonitor, to file: HDF5File, group g: String) throws {
        let json = try NetworkFile.json(monitor, file: file.name, object: g)
        try file.createGroup(g)
        let h = monitor.history
        try file.write(h.map(\.event), to: g + "/event")
        try file.write(h.map(\.movingMissRate), to: g + "/moving_miss_rate")
        try file.write(h.map(\.thresholdMean), to: g + "/threshold_mean")
        try file.write(h.map(\.thresholdMin), to: g + "/threshold_min")
        try file.write(h.map(\.thresholdMax), to: g + "/threshold_max")
        try file.write(h.map { $0.winSpread ?? .nan }, to: g + "/win_spread")
        try file.write(h.map { Int64($0.deadNeurons) }, to: g + "/dead_neurons")
        try file.write(h.map { $0.thresholdDrift ?? .nan }, to: g + "/threshold_drift")
        try file.write(h.map { $0.weightDrift ?? .nan }, to: g + "/weight_drift")
        try file.write(monitor.wins, to: g + "/wins")
        var summary = try NetworkFile.flatten(json)
        summary = summary.filter { !$0.key.hasPrefix("history") && !$0.key.hasPrefix("wins") && !$0.key.hasPrefix("epoch_wins")
            && !$0.key.hasPrefix("window") && !$0.key.hasPrefix("threshold_sums") && !$0.key.hasPrefix("previous_weights") }
        try file.setAttributes(summary, on: g)
        try file.write(strings: [json], to: g + "/monitor_json")
    }

    // MARK: - Reading

    /// Whether `path` is an HDF5 file holding a network (root attribute
    /// `kind` = `"feast-network"`, or, in files older than that attribute,
    /// `format_version` and a `/layer0` group) rather than events. False for
    /// anything else, unreadable files included; reading it reports why.
    public static func isNetworkFile(path: String) -> Bool {
        // The HDF5 signature first, so text and binary event files are never
        // handed to the HDF5 library.
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        try? handle.close()
        guard head == Data(EventFormatDetector.hdf5Signature),
              let file = try? HDF5File.open(path) else { return false }
        defer { try? file.close() }
        if file.hasAttribute("kind"), let kind = try? file.stringAttribute("kind") { return kind == "feast-network" }
        return file.hasAttribute("format_version") && file.exists(group(ofLayer: 0))
    }

    public static func read(from path: String) throws -> NetworkFile {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        guard file.hasAttribute("format_version") else {
            throw FeastIOError.missingAttribute(file: path, object: "/", attribute: "format_version",
                                                expected: "an integer: is this a network file written by feast train?")
        }
        let version = try file.intAttribute("format_version")
        guard version <= formatVersion, version >= 1 else {
            throw FeastIOError.unsupportedVersion(file: path, object: "/", found: version, supported: formatVersion)
        }
        let depth = file.hasAttribute("layers") ? try file.intAttribute("layers") : 1
        guard (1...64).contains(depth) else {
            throw FeastIOError.invalidValue(file: path, object: "/ attribute 'layers'", index: nil, expected: "1…64 layers", found: "\(depth)")
        }
        var network = NetworkFile(layers: try (0..<depth).map { try readLayer(file, $0) })
        let rows = network.layer.populations * network.layer.neurons
        network.monitor = try readMonitor(file, "/training", neurons: rows, layer: "/layer0")
        for k in 1..<max(depth, 1) {
            let neurons = network.layers[k].populations * network.layers[k].neurons
            guard let monitor = try readMonitor(file, group(ofLayer: k) + "/training", neurons: neurons, layer: group(ofLayer: k)) else { continue }
            guard network.deeperMonitors.count == k - 1 else {
                throw FeastIOError.missing(file: path, object: group(ofLayer: k - 1) + "/training", expected: "the training history of every deeper layer, or of none")
            }
            network.deeperMonitors.append(monitor)
        }
        if file.hasAttribute("position.epoch", on: "/training") {
            network.position = TrainingPosition(epoch: try file.intAttribute("position.epoch", of: "/training"),
                                                recording: try file.intAttribute("position.recording", of: "/training"))
        }
        if file.hasAttribute("events_consumed", on: "/stream") {
            let consumed = try file.intAttribute("events_consumed", of: "/stream")
            guard consumed >= 0 else {
                throw FeastIOError.invalidValue(file: path, object: "/stream attribute 'events_consumed'", index: nil,
                                                expected: "a count of input events ≥ 0", found: "\(consumed)")
            }
            network.streamEvents = Int64(consumed)
        }
        return network
    }

    /// Layer `k`'s group: its state, arrays and their checks.
    private static func readLayer(_ file: HDF5File, _ k: Int) throws -> LayerState {
        let path = file.name, g = group(ofLayer: k)
        guard file.objectKind(g) == .group else {
            throw FeastIOError.missing(file: path, object: g, expected: "a group holding layer \(k)")
        }
        let stateJSON = try file.stringAttribute("state_json", of: g)
        var layer: LayerState = try decode(stateJSON, file: path, object: "\(g) attribute 'state_json'")
        guard layer.formatVersion <= LayerState.currentFormatVersion else {
            throw FeastIOError.unsupportedVersion(file: path, object: g, found: layer.formatVersion,
                                                  supported: LayerState.currentFormatVersion)
        }
        try checkState(layer, file: path, object: "\(g) attribute 'state_json'")
        let rows = layer.populations * layer.neurons
        let k = layer.contextLength
        layer.weights = try readMatrix(Float.self, file, g + "/weights", rows: rows, columns: k)
        layer.thresholds = try readVector(Float.self, file, g + "/thresholds", count: rows)
        try checkFinite(layer.weights, file: path, object: g + "/weights")
        try checkFinite(layer.thresholds, file: path, object: g + "/thresholds")
        if layer.arithmetic != "float32" || file.exists(g + "/raw_weights") {
            layer.rawWeights = try readMatrix(Int32.self, file, g + "/raw_weights", rows: rows, columns: k)
            layer.rawThresholds = try readVector(Int32.self, file, g + "/raw_thresholds", count: rows)
        }
        return layer
    }

    /// The monitor at `group`/monitor_json, nil when there is none.
    private static func readMonitor(_ file: HDF5File, _ group: String, neurons rows: Int, layer: String) throws -> TrainingMonitor? {
        let path = file.name
        guard file.exists(group + "/monitor_json") else { return nil }
        let json = try file.readStrings(from: group + "/monitor_json")
        guard json.count == 1 else {
            throw FeastIOError.wrongShape(file: path, object: group + "/monitor_json", expected: "one string", found: "\(json.count)")
        }
        let monitor: TrainingMonitor = try decode(json[0], file: path, object: group + "/monitor_json")
        guard monitor.neurons == rows else {
            throw FeastIOError.wrongShape(file: path, object: group + "/monitor_json",
                                          expected: "a monitor of \(rows) neurons like \(layer)", found: "\(monitor.neurons) neurons")
        }
        if let problem = monitor.inconsistency {
            throw FeastIOError.invalidValue(file: path, object: group + "/monitor_json", index: nil,
                                            expected: "a training monitor consistent with itself", found: problem)
        }
        return monitor
    }

    private static func readMatrix<T: HDF5Element>(_ type: T.Type, _ file: HDF5File, _ path: String, rows: Int, columns: Int) throws -> [T] {
        let dataset = try file.dataset(path, expected: "a \(rows)×\(columns) matrix of \(T.hdf5Kind.expectedClass)")
        defer { dataset.close() }
        try dataset.checkReadable(as: T.self)
        let shape = dataset.shape
        guard shape == [rows, columns] else {
            throw FeastIOError.wrongShape(file: file.name, object: path, expected: "\(rows)×\(columns) (neurons × context length)",
                                          found: shape.map(String.init).joined(separator: "×"))
        }
        return try dataset.readAll(T.self)
    }

    private static func readVector<T: HDF5Element>(_ type: T.Type, _ file: HDF5File, _ path: String, count: Int) throws -> [T] {
        let dataset = try file.dataset(path, expected: "\(count) \(T.hdf5Kind.expectedClass), one per neuron")
        defer { dataset.close() }
        try dataset.checkReadable(as: T.self)
        let shape = dataset.shape
        guard shape == [count] else {
            throw FeastIOError.wrongShape(file: file.name, object: path, expected: "\(count) values, one per neuron",
                                          found: HDF5Dataset.describe(shape: shape))
        }
        return try dataset.readAll(T.self)
    }

    /// Checks the decoded state before anything is sized from it: a corrupt
    /// or hand-edited file must not make the loader multiply absurd sizes
    /// or allocate a sensor of 2^60 pixels.
    static func checkState(_ layer: LayerState, file: String, object: String = "/layer0 attribute 'state_json'") throws {
        func bad(_ field: String, _ expected: String, _ found: Any) -> FeastIOError {
            .invalidValue(file: file, object: object, index: nil, expected: expected, found: "\(field) = \(found)")
        }
        guard layer.arithmetic == "float32" || layer.arithmetic == "fixed" else {
            throw bad("arithmetic", "float32 or fixed", "'\(layer.arithmetic)'")
        }
        let g = layer.geometry
        guard (1...65_536).contains(g.width), (1...65_536).contains(g.height) else {
            throw bad("geometry", "a sensor of 1…65536 × 1…65536 pixels", "\(g.width)×\(g.height)")
        }
        do {
            try layer.parameters.validate(geometry: g)
            if layer.arithmetic == "fixed" {
                guard let fixed = layer.fixedPoint else { throw bad("fixed_point", "a fixed-point configuration", "none") }
                try fixed.validate()
            }
        } catch let error as FeastCoreError {
            throw FeastIOError.invalidValue(file: file, object: object, index: nil, expected: "parameters a layer can have", found: "\(error)")
        }
        let p = layer.parameters
        guard layer.neurons == p.neurons else { throw bad("neurons", "\(p.neurons) like parameters.neurons", layer.neurons) }
        guard layer.populations == p.populations else {
            throw bad("populations", "\(p.populations) for polarity mode \(p.polarityMode.rawValue)", layer.populations)
        }
        guard layer.contextLength == p.contextLength else {
            throw bad("context_length", "\(p.contextLength) for radius \(p.radius)", layer.contextLength)
        }
    }

    private static func checkFinite(_ values: [Float], file: String, object: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw FeastIOError.invalidValue(file: file, object: object, index: i, expected: "finite numbers", found: "\(values[i])")
        }
    }

    // MARK: - JSON and flattening

    static func json<T: Encodable>(_ value: T, file: String, object: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw FeastIOError.invalidArgument(file: file, object: object, reason: "cannot encode: \(error)")
        }
    }

    static func decode<T: Decodable>(_ json: String, file: String, object: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(T.self, from: Data(json.utf8))
        } catch DecodingError.keyNotFound(let key, let context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw FeastIOError.invalidValue(file: file, object: object, index: nil, expected: "field '\(path)'", found: "it is missing")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                DecodingError.dataCorrupted(let context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw FeastIOError.invalidValue(file: file, object: object, index: nil, expected: "valid JSON for the field '\(path)'",
                                            found: context.debugDescription)
        } catch {
            throw FeastIOError.invalidValue(file: file, object: object, index: nil, expected: "valid JSON", found: "\(error)")
        }
    }

    /// Flattens a JSON object into attributes: nested keys joined with `.`,
    /// numbers as int or double, booleans as 0/1, numeric arrays as arrays;
    /// nulls and other arrays are left out.
    static func flatten(_ json: String) throws -> [String: HDF5AttributeValue] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [:] }
        var out: [String: HDF5AttributeValue] = [:]
        func number(_ n: NSNumber) -> HDF5AttributeValue {
            switch String(cString: n.objCType) {
            case "d", "f": return .double(n.doubleValue)
            case "c", "B": return .int(n.boolValue ? 1 : 0)
            case "Q" where n.uint64Value > UInt64(Int64.max): return .string(n.stringValue)
            default: return .int(Int(n.int64Value))
            }
        }
        func visit(_ value: Any, _ key: String) {
            if let s = value as? String {
                out[key] = .string(s)
            } else if let n = value as? NSNumber {
                out[key] = number(n)
            } else if let dict = value as? [String: Any] {
                for (k, v) in dict { visit(v, key.isEmpty ? k : "\(key).\(k)") }
            } else if let array = value as? [Any] {
                let numbers = array.compactMap { $0 as? NSNumber }
                guard numbers.count == array.count, !array.isEmpty else { return }
                if numbers.contains(where: { ["d", "f"].contains(String(cString: $0.objCType)) }) {
                    out[key] = .doubles(numbers.map(\.doubleValue))
                } else {
                    out[key] = .ints(numbers.map { Int($0.int64Value) })
                }
            }
        }
        visit(object, "")
        return out
    }
}
