import FeastEvents
import FeastIO
import FeastLearning

extension LayerFeaturePipeline {
    /// The first spec's features of command-line recordings (one row per
    /// item, in order), `jobs` at a time; readers' warnings go to stderr.
    /// `fit`, `classify` and `evaluate --network` compute the same rows.
    func matrix(of items: [InputRecordings.Item], options: EventReadOptions, jobs: Int) throws -> Matrix {
        let network = layer?.geometry
        return try matrix(of: items, concurrency: jobs, name: { $0.name }, open: { try $0.open(options, network: network) },
                          finished: { for warning in EventFileOpener.warnings(for: $0) { Terminal.printError(warning) } })
    }
}
