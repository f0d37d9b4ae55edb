import FeastCore
import FeastEvents

/// Feature matrices of a set of recordings: one matrix per feature spec,
/// rows in recording order.
public struct FeatureTable: Sendable {
    /// The specs, in the order of ``matrices``.
    public let specs: [FeatureSpec]
    /// One `recordings × dimension` matrix per spec.
    public let matrices: [Matrix]
    /// Class label per row.
    public let labels: [Int]
    /// Recording name per row.
    public let names: [String]

    public init(specs: [FeatureSpec], matrices: [Matrix], labels: [Int], names: [String]) {
        self.specs = specs
        self.matrices = matrices
        self.labels = labels
        self.names = names
    }

    /// The matrix of `spec` (nil if it was not extracted).
    public func matrix(for spec: FeatureSpec) -> Matrix? {
        specs.firstIndex(of: spec).map { matrices[$0] }
    }
}

/// Runs a FEAST layer (or a stack of them, ``FeastNetwork``) in inference
/// over recordings, in parallel, and turns each recording's output events
/// (the last layer's) into feature vectors for several ``FeatureSpec``s in
/// one pass.
///
/// Every recording starts from a copy of the same layer with a reset time
/// surface and nothing is learnt, so a recording's features depend only on
/// the layer and that recording: the parallel result is identical to the
/// serial one, whatever the scheduling. `pixels` specs count the input
/// events directly (no layer needed) or, with ``PixelEvents/output``, the
/// winners' addresses; `hist` specs count the layer's winners.
///
/// This is the one path from a recording to feature vectors: `evaluate`'s
/// stages, `extract --features`, `fit` and `classify` all go through it.
public struct LayerFeaturePipeline: Sendable {
    /// Which events `pixels` specs count.
    public enum PixelEvents: Sendable {
        /// The recording's events (evaluate's stage a: no layer needed).
        case input
        /// The layer's output events (what `extract --features` writes).
        case output
    }

    /// The network (nil when only `pixels` specs over input events are asked for).
    public let network: FeastNetwork?
    public let specs: [FeatureSpec]
    public let geometry: SensorGeometry
    public let pixelEvents: PixelEvents
    /// Whether missed events (neuron −1) reach the extractors.
    public let emitMisses: Bool
    private let extractors: [any FeatureExtractor]

    /// Throws for an empty spec list, a spec that needs a layer without one,
    /// or a spec the geometry cannot take.
    public init(network: FeastNetwork?, specs: [FeatureSpec], geometry: SensorGeometry = .nmnist,
                pixelEvents: PixelEvents = .input, emitMisses: Bool = false) throws {
        guard !specs.isEmpty else { throw EvaluationError.noFeatureSpecs }
        let layer = network
        let neurons = network?.totalNeurons ?? 0
        var extractors = [any FeatureExtractor]()
        for spec in specs {
            if layer == nil && spec.kind == .hist { throw EvaluationError.histogramWithoutLayer(spec: spec.description) }
            if layer == nil && pixelEvents == .output { throw EvaluationError.outputEventsWithoutLayer(spec: spec.description) }
            extractors.append(try spec.makeExtractor(neurons: neurons, geometry: geometry))
        }
        self.network = network
        self.specs = specs
        self.geometry = geometry
        self.pixelEvents = pixelEvents
        self.emitMisses = emitMisses
        self.extractors = extractors
    }

    /// A pipeline through one layer (nil: `pixels` of input events only).
    public init(layer: AnyFeastLayer?, specs: [FeatureSpec], geometry: SensorGeometry = .nmnist,
                pixelEvents: PixelEvents = .input, emitMisses: Bool = false) throws {
        try self.init(network: layer.map { FeastNetwork($0) }, specs: specs, geometry: geometry, pixelEvents: pixelEvents, emitMisses: emitMisses)
    }

    /// A pipeline through `layer` (of any arithmetic).
    public init<A: FeastArithmetic>(layer: FeastLayer<A>, specs: [FeatureSpec], geometry: SensorGeometry = .nmnist) throws {
        try self.init(layer: AnyFeastLayer(layer), specs: specs, geometry: geometry)
    }

    /// Columns of each spec's feature vector, in spec order.
    public var dimensions: [Int] { extractors.map(\.dimension) }

    /// Feature vectors (one per spec) of one recording, read chunk by chunk.
    public func features(of source: inout any EventSource) throws -> [[Double]] {
        var vectors = extractors.map { $0.makeVector() }
        var local = network
        local?.reset()
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        var output = ContiguousArray<OutputEvent>()
        var inputIndex = 0, outputIndex = 0
        while try source.nextChunk(into: &chunk) {
            if local != nil {
                output.removeAll(keepingCapacity: true)
                local!.process(chunk, learn: false, into: &output, emitMisses: emitMisses)
            }
            for (i, extractor) in extractors.enumerated() {
                if pixelEvents == .input, let pixels = extractor as? PixelCountExtractor {
                    try chunk.withUnsafeBufferPointer { try pixels.accumulate(events: $0, into: &vectors[i], indexOffset: inputIndex) }
                } else {
                    try output.withUnsafeBufferPointer { try extractor.accumulate($0, into: &vectors[i], indexOffset: outputIndex) }
                }
            }
            inputIndex += chunk.count
            outputIndex += output.count
        }
        for i in extractors.indices { extractors[i].finish(&vectors[i]) }
        return vectors
    }

    /// Feature vectors (one per spec) of every item, in order, `concurrency`
    /// items at a time, each through its own copy of the layer. `open`
    /// opens an item; `finished` sees each source once it is read (for its
    /// warnings). The error of the first failing item (by index) names it.
    public func vectors<Item: Sendable>(of items: [Item], concurrency: Int = defaultConcurrency, name: @escaping @Sendable (Item) -> String,
                                        open: @escaping @Sendable (Item) throws -> any EventSource,
                                        finished: (@Sendable (any EventSource) -> Void)? = nil) throws -> [[[Double]]] {
        try parallelMap(items, concurrency: concurrency) { item -> [[Double]] in
            do {
                var source = try open(item)
                let v = try features(of: &source)
                finished?(source)
                return v
            } catch let error as EvaluationError {
                throw error
            } catch {
                throw EvaluationError.recordingFailed(name: name(item), underlying: UnderlyingError(error))
            }
        }
    }

    /// The first spec's features of every item as a matrix (one row per
    /// item, in order); see ``vectors(of:concurrency:name:open:finished:)``.
    public func matrix<Item: Sendable>(of items: [Item], concurrency: Int = defaultConcurrency, name: @escaping @Sendable (Item) -> String,
                                       open: @escaping @Sendable (Item) throws -> any EventSource,
                                       finished: (@Sendable (any EventSource) -> Void)? = nil) throws -> Matrix {
        let rows = try vectors(of: items, concurrency: concurrency, name: name, open: open, finished: finished)
        return try Matrix(rows: rows.count, cols: extractors[0].dimension, storage: rows.flatMap { $0[0] })
    }

    /// Features of every recording, `concurrency` recordings at a time.
    /// `open` opens a recording (default: ``Recording/open(lenient:columns:geometry:)``,
    /// which reads `.bin` and CSV). Throws for an unlabelled recording, or
    /// the error of the first failing recording (by index) naming it.
    public func run(_ recordings: [Recording], concurrency: Int = defaultConcurrency,
                    open: @escaping @Sendable (Recording) throws -> any EventSource = { try $0.open() }) throws -> FeatureTable {
        var labels = [Int]()
        for r in recordings {
            guard let label = r.label else { throw EvaluationError.unlabelledRecording(name: r.name) }
            labels.append(label)
        }
        let rows = try vectors(of: recordings, concurrency: concurrency, name: { $0.displayPath }, open: open)
        var matrices = [Matrix]()
        for (s, extractor) in extractors.enumerated() {
            var storage = [Double]()
            storage.reserveCapacity(rows.count * extractor.dimension)
            for row in rows { storage += row[s] }
            matrices.append(try Matrix(rows: rows.count, cols: extractor.dimension, storage: storage))
        }
        return FeatureTable(specs: specs, matrices: matrices, labels: labels, names: recordings.map(\.name))
    }
}
