import FeastCore
import FeastEvents

/// Histogram of winning neurons per recording, optionally split by input
/// polarity, by a k×k grid of spatial cells and by time bins.
///
/// Feature index of a win by neuron `n` (`0..<neurons`) at pixel `(x, y)`,
/// polarity `p`, time `t`:
///
///     ((bin * polarities + p') * cells + cell) * neurons + n
///
/// with `p' = p` when split by polarity else 0, `cell = cy * pool + cx`,
/// `cx = x * pool / width`, `cy = y * pool / height` (integer division, so the
/// cells tile the sensor as evenly as integers allow), and
/// `bin = min(timeBins - 1, max(t, 0) / binWidth)` with `t` in µs since the
/// recording clock's zero (the last bin is open-ended). Misses (neuron -1)
/// are not counted. Dimension: `timeBins · polarities · pool² · neurons`.
public struct WinHistogramExtractor: FeatureExtractor, Hashable {
    /// Number of neurons (all populations: the largest neuron index + 1).
    public let neurons: Int
    /// Sensor the events come from (for the pooling cells).
    public let geometry: SensorGeometry
    /// Separate histograms for OFF (p = 0) and ON (p = 1) input events.
    public let splitPolarity: Bool
    /// Cells per side of the pooling grid (1 = no pooling).
    public let pool: Int
    /// Number of time bins (1 = none).
    public let timeBins: Int
    /// Width of a time bin in µs (> 0).
    public let binWidth: Int64
    /// Scaling after accumulation.
    public let normalisation: FeatureNormalisation

    private let cellOfX: [Int32]
    private let cellOfY: [Int32]

    public init(neurons: Int, geometry: SensorGeometry = .nmnist, splitPolarity: Bool = false, pool: Int = 1,
                timeBins: Int = 1, binWidth: Int64 = 100_000, normalisation: FeatureNormalisation = .none) {
        precondition(neurons > 0, "neurons must be positive")
        precondition(pool >= 1 && pool <= min(geometry.width, geometry.height), "pool must be in 1...min(width, height)")
        precondition(timeBins >= 1 && binWidth > 0, "time bins and bin width must be positive")
        self.neurons = neurons
        self.geometry = geometry
        self.splitPolarity = splitPolarity
        self.pool = pool
        self.timeBins = timeBins
        self.binWidth = binWidth
        self.normalisation = normalisation
        cellOfX = (0..<geometry.width).map { Int32($0 * pool / geometry.width) }
        cellOfY = (0..<geometry.height).map { Int32($0 * pool / geometry.height) }
    }

    /// Number of polarity planes: 2 when split, else 1.
    public var polarities: Int { splitPolarity ? 2 : 1 }
    /// Number of pooling cells: `pool²`.
    public var cells: Int { pool * pool }
    public var dimension: Int { timeBins * polarities * cells * neurons }

    public func accumulate(_ chunk: UnsafeBufferPointer<OutputEvent>, into features: inout [Double], indexOffset: Int) throws {
        precondition(features.count == dimension, "feature vector length must equal dimension")
        let n = neurons, w = geometry.width, h = geometry.height, pool = pool, cells = cells
        let pols = polarities, bins = timeBins, width = binWidth, split = splitPolarity
        try cellOfX.withUnsafeBufferPointer { cx in
            try cellOfY.withUnsafeBufferPointer { cy in
                try features.withUnsafeMutableBufferPointer { f in
                    for i in 0..<chunk.count {
                        let o = chunk[i]
                        let neuron = Int(o.neuron)
                        if neuron < 0 {
                            if neuron == -1 { continue }
                            throw FeastLearningError.neuronOutOfRange(eventIndex: indexOffset &+ i, neuron: o.neuron, neurons: n)
                        }
                        guard neuron < n else {
                            throw FeastLearningError.neuronOutOfRange(eventIndex: indexOffset &+ i, neuron: o.neuron, neurons: n)
                        }
                        let x = Int(o.event.x), y = Int(o.event.y)
                        guard x < w, y < h else {
                            throw FeastLearningError.eventOutsideSensor(eventIndex: indexOffset &+ i, x: x, y: y, geometry: geometry)
                        }
                        let cell = Int(cy[y]) &* pool &+ Int(cx[x])
                        let p = split ? Int(o.event.polarity != 0 ? 1 : 0) : 0
                        let bin = bins == 1 ? 0 : Int(min(Int64(bins &- 1), max(o.event.t, 0) / width))
                        f[((bin &* pols &+ p) &* cells &+ cell) &* n &+ neuron] += 1
                    }
                }
            }
        }
    }

    public func finish(_ features: inout [Double]) { normalisation.apply(&features) }

    public var description: String {
        "win histogram: \(neurons) neurons\(splitPolarity ? " × 2 polarities" : "")\(pool > 1 ? " × \(pool)×\(pool) cells" : "")\(timeBins > 1 ? " × \(timeBins) bins of \(binWidth) µs" : ""), norm \(normalisation.rawValue) (\(dimension) features)"
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.neurons == b.neurons && a.geometry == b.geometry && a.splitPolarity == b.splitPolarity && a.pool == b.pool
            && a.timeBins == b.timeBins && a.binWidth == b.binWidth && a.normalisation == b.normalisation
    }

    public func hash(into h: inout Hasher) {
        h.combine(neurons); h.combine(geometry); h.combine(splitPolarity); h.combine(pool)
        h.combine(timeBins); h.combine(binWidth); h.combine(normalisation)
    }
}
