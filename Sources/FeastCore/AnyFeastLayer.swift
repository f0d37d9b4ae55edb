import FeastEvents

/// Work on a FEAST layer of whichever arithmetic it computes in: the one
/// generic method ``AnyFeastLayer/apply(_:)`` calls with the concrete layer,
/// so code that needs the layer's type (training, feature pipelines) is
/// written once, generic over ``FeastArithmetic``.
public protocol FeastLayerVisitor {
    associatedtype Result
    mutating func visit<A: FeastArithmetic>(_ layer: inout FeastLayer<A>) throws -> Result
}

/// The arithmetic-erased face of a ``FeastLayer``: what every command does
/// with a layer without knowing its arithmetic. `FeastLayer` provides all
/// of it, so the box is the layer itself.
protocol FeastLayerBox: Sendable {
    var state: LayerState { get }
    var parameters: FeastParameters { get }
    var geometry: SensorGeometry { get }
    var neurons: Int { get }
    var populations: Int { get }
    mutating func reset()
    mutating func process(_ chunk: ContiguousArray<Event>, learn: Bool, into output: inout ContiguousArray<OutputEvent>, emitMisses: Bool)
    mutating func accept<V: FeastLayerVisitor>(_ visitor: inout V) throws -> V.Result
}

extension FeastLayer: FeastLayerBox {
    mutating func accept<V: FeastLayerVisitor>(_ visitor: inout V) throws -> V.Result {
        try visitor.visit(&self)
    }
}

/// A FEAST layer whose arithmetic is chosen at run time (a network file's
/// `arithmetic`, or ``LayerArithmetic``). Every call dispatches once, by
/// the layer's own protocol witness, and then runs the specialised generic
/// code over a whole chunk, never per event. A value type: a copy learns
/// apart from the original (copy-on-write of the layer's storage).
public struct AnyFeastLayer: Sendable {
    private var box: any FeastLayerBox

    public init<A: FeastArithmetic>(_ layer: FeastLayer<A>) {
        box = layer
    }

    /// A fresh layer (seeded initial weights) on a sensor of `geometry`.
    public init(parameters: FeastParameters, geometry: SensorGeometry, arithmetic: LayerArithmetic) throws {
        switch arithmetic {
        case .float: box = try FeastLayer<FloatArithmetic>(parameters: parameters, geometry: geometry, arithmetic: .init())
        case .fixed(let c): box = try FeastLayer<FixedPointArithmetic>(parameters: parameters, geometry: geometry, arithmetic: c)
        }
    }

    /// Restores a layer from a snapshot (a network file), bit for bit.
    public init(restoring state: LayerState) throws {
        switch state.arithmetic {
        case FloatArithmetic.name: box = try FeastLayer<FloatArithmetic>(restoring: state)
        case FixedPointArithmetic.name: box = try FeastLayer<FixedPointArithmetic>(restoring: state)
        default:
            throw FeastCoreError.snapshotMismatch(field: "arithmetic", expected: "\(FloatArithmetic.name) or \(FixedPointArithmetic.name)",
                                                  found: state.arithmetic)
        }
    }

    /// Runs `visitor` on the concrete layer (the single dispatch point).
    public mutating func apply<V: FeastLayerVisitor>(_ visitor: inout V) throws -> V.Result {
        try box.accept(&visitor)
    }

    /// Runs `visitor` on a copy of the layer: what it changes is dropped.
    public func read<V: FeastLayerVisitor>(_ visitor: V) throws -> V.Result {
        var copy = self, v = visitor
        return try copy.apply(&v)
    }

    /// The layer itself when it computes in `A`, else nil.
    public func layer<A: FeastArithmetic>(as type: A.Type) -> FeastLayer<A>? {
        box as? FeastLayer<A>
    }

    public var state: LayerState { box.state }
    public var parameters: FeastParameters { box.parameters }
    public var geometry: SensorGeometry { box.geometry }
    /// The arithmetic's name as network files record it.
    public var arithmeticName: String { box.state.arithmetic }
    /// Neurons over all populations (the size of a win histogram).
    public var totalNeurons: Int { box.neurons * box.populations }

    /// Forgets the time surface (start of a recording).
    public mutating func reset() { box.reset() }

    /// Processes a chunk, appending winners (and misses with neuron −1 when
    /// `emitMisses`) to `output`.
    public mutating func process(_ chunk: ContiguousArray<Event>, learn: Bool, into output: inout ContiguousArray<OutputEvent>, emitMisses: Bool) {
        box.process(chunk, learn: learn, into: &output, emitMisses: emitMisses)
    }

    /// All output events of one recording (time surface reset first), in
    /// inference mode unless `learn`, handed to `each` chunk by chunk.
    public mutating func run(_ source: inout any EventSource, learn: Bool, emitMisses: Bool,
                             each: (ContiguousArray<OutputEvent>) throws -> Void) throws {
        var network = FeastNetwork(self)
        defer { self = network.layers[0] }
        try network.run(&source, learn: learn, emitMisses: emitMisses, each: each)
    }
}
