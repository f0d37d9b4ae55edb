import FeastCore

extension Matrix {
    /// The feature matrix of many recordings, one row each in input order,
    /// extracted in parallel (``parallelMap(_:concurrency:_:)``); identical
    /// to a serial loop. `events` loads or computes one recording's output
    /// events (decode + FEAST layer, typically).
    public static func features<T: Sendable>(of recordings: [T], extractor: any FeatureExtractor,
                                             concurrency: Int = defaultConcurrency,
                                             events: @Sendable (T) throws -> ContiguousArray<OutputEvent>) throws -> Matrix {
        let rows = try parallelMap(recordings, concurrency: concurrency) { try extractor.features(of: events($0)) }
        return try Matrix(rows, cols: extractor.dimension)
    }
}
