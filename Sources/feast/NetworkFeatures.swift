import FeastCore
import FeastEvents
import FeastLearning

/// Feature vectors of recordings through a trained network, computed as
/// `feast evaluate` computes its stage (d) from `--network`: each recording
/// runs through its own copy of the layer (reset time surface, no
/// learning) in a ``LayerFeaturePipeline``, so `fit`, `classify` and
/// `evaluate` give the same rows for the same recording.
struct NetworkFeatures {
    let layer: AnyLayer
    let spec: FeatureSpec
    /// Sensor the extractors assume: `--geometry`, else the network's.
    let geometry: SensorGeometry

    /// Columns of the feature matrix (throws for a spec the layer or the
    /// sensor cannot take).
    func dimension() throws -> Int {
        try spec.makeExtractor(neurons: layer.totalNeurons, geometry: geometry).dimension
    }

    /// One row per item, in order, `jobs` recordings at a time. Labels are
    /// not needed (classify takes unlabelled files).
    func matrix(_ items: [InputRecordings.Item], options: EventFiles.ReadOptions, jobs: Int) throws -> Matrix {
        let cols = try dimension()
        switch layer {
        case .float(let l): return try Self.run(LayerFeaturePipeline(layer: l, specs: [spec], geometry: geometry), items, options, jobs, cols)
        case .fixed(let l): return try Self.run(LayerFeaturePipeline(layer: l, specs: [spec], geometry: geometry), items, options, jobs, cols)
        }
    }

    private static func run<A: FeastArithmetic>(_ pipeline: LayerFeaturePipeline<A>, _ items: [InputRecordings.Item],
                                                 _ options: EventFiles.ReadOptions, _ jobs: Int, _ cols: Int) throws -> Matrix {
        let rows = try parallelMap(items, concurrency: jobs) { item -> [Double] in
            do {
                var source = try item.open(options, network: pipeline.layer?.geometry)
                let row = try pipeline.features(of: &source)[0]
                for warning in EventFiles.warnings(for: source) { EventFiles.printError(warning) }
                return row
            } catch let error as EvaluationError {
                throw error
            } catch {
                throw EvaluationError.recordingFailed(name: item.name, reason: "\(error)")
            }
        }
        return try Matrix(rows: rows.count, cols: cols, storage: rows.flatMap { $0 })
    }
}
