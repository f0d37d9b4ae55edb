import FeastEvents

/// FEAST layers in a stack: layer k+1 takes layer k's winners as its input
/// events, with the winning neuron (global index, `population · N + n`) as
/// the event's channel (`polarity`), at the same address and time. Misses
/// and skipped events of layer k do not reach layer k+1.
///
/// Invariants (checked by ``init(layers:)``): every layer sees the same
/// sensor; a deeper layer is in ``PolarityMode/polarityChannel`` with
/// ``FeastParameters/inputChannels`` equal to the layer before's neurons
/// over all populations (so ≤ 256 of them). A one-layer network is a plain
/// layer. A value type: copies learn apart (each layer is copy-on-write).
public struct FeastNetwork: Sendable {
    /// Layer 0 (fed by the sensor) first.
    public private(set) var layers: [AnyFeastLayer]

    /// Throws ``FeastCoreError/invalidParameter(field:value:expected:)``
    /// naming the first deeper layer that cannot take the layer before's output.
    public init(layers: [AnyFeastLayer]) throws {
        precondition(!layers.isEmpty, "a network has at least one layer")
        for k in layers.indices.dropFirst() {
            try Self.checkStackable(layers[k].parameters, after: layers[k - 1].totalNeurons, depth: k)
            guard layers[k].geometry == layers[0].geometry else {
                throw FeastCoreError.snapshotMismatch(field: "layer \(k) geometry", expected: "\(layers[0].geometry)", found: "\(layers[k].geometry)")
            }
        }
        self.layers = layers
    }

    public init(_ layer: AnyFeastLayer) {
        layers = [layer]
    }

    /// Throws unless `parameters` can follow a layer of `previous` neurons (all populations).
    public static func checkStackable(_ parameters: FeastParameters, after previous: Int, depth: Int) throws {
        guard previous <= 256 else {
            throw FeastCoreError.invalidParameter(field: .neurons, value: "\(previous)",
                                                  expected: "at most 256 neurons (all populations) in layer \(depth - 1): its winner is layer \(depth)'s channel byte")
        }
        guard parameters.polarityMode == .polarityChannel, parameters.inputChannels == previous else {
            throw FeastCoreError.invalidParameter(field: .inputChannels, value: "\(parameters.channels)",
                                                  expected: "\(previous) channels in layer \(depth), one per neuron of layer \(depth - 1)")
        }
    }

    /// The parameters of a layer stacked on one of `previous` neurons: `p`
    /// in ``PolarityMode/polarityChannel`` with `previous` channels.
    public static func stackedParameters(_ p: FeastParameters, after previous: Int) -> FeastParameters {
        var q = p
        q.polarityMode = .polarityChannel
        q.inputChannels = previous
        return q
    }

    /// Every layer's parameters from each layer's own (layer 0 first):
    /// deeper layers stacked on the layer before. Throws as
    /// ``checkStackable(_:after:depth:)`` for a layer below another that has
    /// more than 256 neurons.
    public static func stackedParameters(_ layers: [FeastParameters]) throws -> [FeastParameters] {
        var out = [FeastParameters]()
        for (k, p) in layers.enumerated() {
            guard let previous = out.last else { out.append(p); continue }
            let stacked = stackedParameters(p, after: previous.neurons * previous.populations)
            try checkStackable(stacked, after: previous.neurons * previous.populations, depth: k)
            out.append(stacked)
        }
        return out
    }

    /// Layers in the stack, L.
    public var depth: Int { layers.count }
    public var geometry: SensorGeometry { layers[0].geometry }
    /// The last layer's neurons over all populations (its win histogram's size).
    public var totalNeurons: Int { layers[layers.count - 1].totalNeurons }
    /// The first `count` layers (1…depth).
    public func prefix(_ count: Int) -> FeastNetwork {
        precondition(count >= 1 && count <= depth)
        var copy = self
        copy.layers.removeLast(depth - count)
        return copy
    }

    /// Replaces layer `k` (e.g. once it is trained); it must be of the same shape.
    public mutating func replaceLayer(_ k: Int, with layer: AnyFeastLayer) {
        precondition(layer.totalNeurons == layers[k].totalNeurons && layer.parameters.channels == layers[k].parameters.channels)
        layers[k] = layer
    }

    /// Forgets every time surface (start of a recording).
    public mutating func reset() {
        for k in layers.indices { layers[k].reset() }
    }

    /// Layer k's winners as layer k+1's input: same t, x, y; the neuron as channel.
    public static func channelEvents(_ output: ContiguousArray<OutputEvent>, into events: inout ContiguousArray<Event>) {
        events.removeAll(keepingCapacity: true)
        events.reserveCapacity(output.count)
        for o in output where o.neuron >= 0 {
            var e = o.event
            e.polarity = UInt8(truncatingIfNeeded: o.neuron)
            events.append(e)
        }
    }

    /// Processes a chunk through every layer, appending the last layer's
    /// winners (and its misses with neuron −1 when `emitMisses`) to
    /// `output`. `learn` makes every layer learn at once (online, as
    /// `feast stream --learn`); `feast train` trains layer by layer instead.
    public mutating func process(_ chunk: ContiguousArray<Event>, learn: Bool, into output: inout ContiguousArray<OutputEvent>, emitMisses: Bool) {
        if layers.count == 1 {
            layers[0].process(chunk, learn: learn, into: &output, emitMisses: emitMisses)
            return
        }
        var input = chunk
        var between = ContiguousArray<OutputEvent>()
        for k in 0..<(layers.count - 1) {
            between.removeAll(keepingCapacity: true)
            layers[k].process(input, learn: learn, into: &between, emitMisses: false)
            Self.channelEvents(between, into: &input)
        }
        layers[layers.count - 1].process(input, learn: learn, into: &output, emitMisses: emitMisses)
    }

    /// All output events of one recording (time surfaces reset first),
    /// handed to `each` chunk by chunk.
    public mutating func run(_ source: inout any EventSource, learn: Bool, emitMisses: Bool,
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

/// The input of a deeper layer: a recording through a frozen network
/// (inference, time surfaces reset at the start), each winner as an event
/// whose channel is the winning neuron. What a layer stacked on `network`
/// learns from, one recording at a time.
public struct StackedEventSource: EventSource {
    public var geometry: SensorGeometry { source.geometry }
    public var name: String { source.name }
    private var source: any EventSource
    private var network: FeastNetwork
    private var chunk = ContiguousArray<Event>()
    private var output = ContiguousArray<OutputEvent>()

    public init(_ source: any EventSource, through network: FeastNetwork) {
        self.source = source
        self.network = network
        self.network.reset()
    }

    public mutating func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        // A chunk whose events all miss gives no events: read on until some
        // win or the recording ends (an empty chunk would end the stream).
        while try source.nextChunk(into: &chunk) {
            output.removeAll(keepingCapacity: true)
            network.process(chunk, learn: false, into: &output, emitMisses: false)
            FeastNetwork.channelEvents(output, into: &buffer)
            if !buffer.isEmpty { return true }
        }
        buffer.removeAll(keepingCapacity: true)
        return false
    }
}
