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

/// Runs a FEAST layer in inference over recordings, in parallel, and turns
/// each recording's output events into feature vectors for several
/// ``FeatureSpec``s in one pass.
///
/// Every recording starts from a copy of the same layer with a reset time
/// surface and nothing is learnt, so a recording's features depend only on
/// the layer and that recording: the parallel result is identical to the
/// serial one, whatever the scheduling. `pixels` specs count the input
/// events directly (no layer needed); `hist` specs count the layer's winners.
public struct LayerFeaturePipeline<A: FeastArithmetic>: Sendable {
    /// The layer (nil when only `pixels` specs are asked for).
    public let layer: FeastLayer<A>?
    public let specs: [FeatureSpec]
    public let geometry: SensorGeometry
    private let extractors: [any FeatureExtractor]

    /// Throws for an empty spec list, a `hist` spec without a layer, or a
    /// spec the geometry cannot take.
    public init(layer: FeastLayer<A>?, specs: [FeatureSpec], geometry: SensorGeometry = .nmnist) throws {
        guard !specs.isEmpty else { throw EvaluationError.noFeatureSpecs }
        let neurons = layer.map { $0.populations * $0.neurons } ?? 0
        var extractors = [any FeatureExtractor]()
        for spec in specs {
            if spec.kind == .hist && layer == nil { throw EvaluationError.histogramWithoutLayer(spec: spec.description) }
            extractors.append(try spec.makeExtractor(neurons: neurons, geometry: geometry))
        }
        self.layer = layer
        self.specs = specs
        self.geometry = geometry
        self.extractors = extractors
    }

    /// Feature vectors (one per spec) of one recording, read chunk by chunk.
    public func features(of source: inout any EventSource) throws -> [[Double]] {
        var vectors = extractors.map { $0.makeVector() }
        var local = layer
        local?.reset()
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        var output = ContiguousArray<OutputEvent>()
        var inputIndex = 0, outputIndex = 0
        while try source.nextChunk(into: &chunk) {
            if local != nil {
                output.removeAll(keepingCapacity: true)
                local!.process(chunk, learn: false, into: &output, emitMisses: false)
            }
            for (i, extractor) in extractors.enumerated() {
                if let pixels = extractor as? PixelCountExtractor {
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
        let rows = try parallelMap(recordings, concurrency: concurrency) { recording -> [[Double]] in
            do {
                var source = try open(recording)
                return try features(of: &source)
            } catch let error as EvaluationError {
                throw error
            } catch {
                throw EvaluationError.recordingFailed(name: recording.displayPath, reason: "\(error)")
            }
        }
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
