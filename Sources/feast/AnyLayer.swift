import ArgumentParser
import FeastCore
import FeastIO
import FeastEvents

/// A FEAST layer of either arithmetic, chosen at run time (`--arithmetic`,
/// or a network file's `arithmetic`). Each method switches once and then
/// runs the specialised generic code over a whole chunk, never per event.
enum AnyLayer: Sendable {
    case float(FeastLayer<FloatArithmetic>)
    case fixed(FeastLayer<FixedPointArithmetic>)

    /// Restores a layer from a snapshot (a network file), bit for bit.
    init(restoring state: LayerState) throws {
        switch state.arithmetic {
        case FloatArithmetic.name: self = .float(try FeastLayer<FloatArithmetic>(restoring: state))
        case FixedPointArithmetic.name: self = .fixed(try FeastLayer<FixedPointArithmetic>(restoring: state))
        default:
            throw FeastCoreError.snapshotMismatch(field: "arithmetic", expected: "\(FloatArithmetic.name) or \(FixedPointArithmetic.name)",
                                                  found: state.arithmetic)
        }
    }

    var state: LayerState {
        switch self {
        case .float(let l): l.state
        case .fixed(let l): l.state
        }
    }

    var parameters: FeastParameters {
        switch self {
        case .float(let l): l.parameters
        case .fixed(let l): l.parameters
        }
    }

    var geometry: SensorGeometry {
        switch self {
        case .float(let l): l.geometry
        case .fixed(let l): l.geometry
        }
    }

    /// Neurons over all populations (the size of a win histogram).
    var totalNeurons: Int {
        switch self {
        case .float(let l): l.neurons * l.populations
        case .fixed(let l): l.neurons * l.populations
        }
    }

    /// Forgets the time surface (start of a recording).
    mutating func reset() {
        switch self {
        case .float(var l):
            self = .float(FeastLayer<FloatArithmetic>.placeholder)  // drop the enum's reference: no copy-on-write copy
            l.reset()
            self = .float(l)
        case .fixed(var l):
            self = .float(FeastLayer<FloatArithmetic>.placeholder)
            l.reset()
            self = .fixed(l)
        }
    }

    /// Processes a chunk, appending winners (and misses with neuron −1 when
    /// `emitMisses`) to `output`.
    mutating func process(_ chunk: ContiguousArray<Event>, learn: Bool, into output: inout ContiguousArray<OutputEvent>, emitMisses: Bool) {
        switch self {
        case .float(var l):
            self = .float(FeastLayer<FloatArithmetic>.placeholder)
            l.process(chunk, learn: learn, into: &output, emitMisses: emitMisses)
            self = .float(l)
        case .fixed(var l):
            self = .float(FeastLayer<FloatArithmetic>.placeholder)
            l.process(chunk, learn: learn, into: &output, emitMisses: emitMisses)
            self = .fixed(l)
        }
    }

    /// All output events of one recording (time surface reset first), in
    /// inference mode unless `learn`.
    mutating func run(_ source: inout any EventSource, learn: Bool, emitMisses: Bool,
                      each: (ContiguousArray<OutputEvent>) throws -> Void) throws {
        reset()
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        var output = ContiguousArray<OutputEvent>()
        output.reserveCapacity(EventChunk.defaultCapacity)
        while try source.nextChunk(into: &chunk) {
            output.removeAll(keepingCapacity: true)
            process(chunk, learn: learn, into: &output, emitMisses: emitMisses)
            try each(output)
        }
    }
}

extension FeastLayer where A == FloatArithmetic {
    /// A tiny shared layer parked in an ``AnyLayer`` while its real layer is
    /// mutated, so the real layer's storage stays uniquely referenced.
    static let placeholder: FeastLayer<FloatArithmetic> = {
        // swiftlint:disable:next force_try
        try! FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 1, radius: 0), geometry: SensorGeometry(width: 1, height: 1),
                                         arithmetic: .init())
    }()
}

extension AnyLayer {
    /// Reads a network file and restores its layer.
    static func load(network path: String) throws -> (file: NetworkFile, layer: AnyLayer) {
        let file = try NetworkFile.read(from: path)
        do {
            return (file, try AnyLayer(restoring: file.layer))
        } catch let error as FeastCoreError {
            throw ValidationError("\(path): /layer0: \(error)")
        }
    }
}
