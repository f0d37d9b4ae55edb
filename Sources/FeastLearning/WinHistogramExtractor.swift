import FeastCore
import FeastEvents

/// Histogram of winning neurons per recording, optionally split by input
/// polarity, by k×k grids of spatial cells (one grid, or several as a
/// spatial pyramid) and by time bins.
///
/// Feature index of a win by neuron `n` (`0..<neurons`) at pixel `(x, y)`,
/// polarity `p`, time `t`, counted once in every grid `g` of `pools`:
///
///     ((bin * polarities + p') * cells + offset[g] + cell[g]) * neurons + n
///
/// with `p' = p` when split by polarity else 0, `offset[g]` the cells of the
/// grids before `g`, `cell[g] = cy * k + cx` for `k = pools[g]`,
/// `cx = x * k / width`, `cy = y * k / height` (integer division, so the
/// cells tile the sensor as evenly as integers allow), and
/// `bin = min(timeBins - 1, max(t, 0) / binWidth)` with `t` in µs since the
/// recording clock's zero (the last bin is open-ended). Misses (neuron -1)
/// are not counted. Dimension: `timeBins · polarities · Σ k² · neurons`.
/// With one grid this is the plain pooled histogram.
public struct WinHistogramExtractor: FeatureExtractor, Hashable {
    /// Number of neurons (all populations: the largest neuron index + 1).
    public let neurons: Int
    /// Sensor the events come from (for the pooling cells).
    public let geometry: SensorGeometry
    /// Separate histograms for OFF (p = 0) and ON (p = 1) input events.
    public let splitPolarity: Bool
    /// Cells per side of each pooling grid, in feature order (`[1]` = no pooling).
    public let pools: [Int]
    /// Cells per side of the finest grid.
    public var pool: Int { pools.max()! }
    /// Number of time bins (1 = none).
    public let timeBins: Int
    /// Width of a time bin in µs (> 0).
    public let binWidth: Int64
    /// Scaling after accumulation.
    public let normalisation: FeatureNormalisation

    /// Per grid, `offset[g] + cy * k` for each row y, then `cx` for each column x
    /// (grid g's rows at g * height, columns at g * width).
    private let cellOfY: [Int32]
    private let cellOfX: [Int32]

    public init(neurons: Int, geometry: SensorGeometry = .nmnist, splitPolarity: Bool = false, pool: Int = 1,
                pools: [Int]? = nil, timeBins: Int = 1, binWidth: Int64 = 100_000,
                normalisation: FeatureNormalisation = .none) {
        let pools = pools ?? [pool]
        precondition(neurons > 0, "neurons must be positive")
        precondition(!pools.isEmpty && pools.allSatisfy { $0 >= 1 && $0 <= min(geometry.width, geometry.height) },
                     "every pool must be in 1...min(width, height)")
        precondition(timeBins >= 1 && binWidth > 0, "time bins and bin width must be positive")
        self.neurons = neurons
        self.geometry = geometry
        self.splitPolarity = splitPolarity
        self.pools = pools
        self.timeBins = timeBins
        self.binWidth = binWidth
        self.normalisation = normalisation
        var rows = [Int32](), columns = [Int32](), offset = 0
        for k in pools {
            rows += (0..<geometry.height).map { Int32(offset + $0 * k / geometry.height * k) }
            columns += (0..<geometry.width).map { Int32($0 * k / geometry.width) }
            offset += k * k
        }
        cellOfY = rows
        cellOfX = columns
    }

    /// Number of polarity planes: 2 when split, else 1.
    public var polarities: Int { splitPolarity ? 2 : 1 }
    /// Number of pooling cells over all grids: `Σ k²`.
    public var cells: Int { pools.reduce(0) { $0 + $1 * $1 } }
    public var dimension: Int { timeBins * polarities * cells * neurons }

    public func accumulate(_ chunk: UnsafeBufferPointer<OutputEvent>, into features: inout [Double], indexOffset: Int) throws {
        precondition(features.count == dimension, "feature vector length must equal dimension")
        let n = neurons, w = geometry.width, h = geometry.height, grids = pools.count, cells = cells
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
                        let p = split ? Int(o.event.polarity != 0 ? 1 : 0) : 0
                        let bin = bins == 1 ? 0 : Int(min(Int64(bins &- 1), max(o.event.t, 0) / width))
                        let plane = (bin &* pols &+ p) &* cells
                        for g in 0..<grids {
                            let cell = Int(cy[g &* h &+ y]) &+ Int(cx[g &* w &+ x])
                            f[(plane &+ cell) &* n &+ neuron] += 1
                        }
                    }
                }
            }
        }
    }

    public func finish(_ features: inout [Double]) { normalisation.apply(&features) }

    public var description: String {
        "win histogram: \(neurons) neurons\(splitPolarity ? " × 2 polarities" : "")\(cellsDescription)\(timeBins > 1 ? " × \(timeBins) bins of \(binWidth) µs" : ""), norm \(normalisation.rawValue) (\(dimension) features)"
    }

    private var cellsDescription: String {
        if pools == [1] { return "" }
        if pools.count == 1 { return " × \(pool)×\(pool) cells" }
        return " × (" + pools.map { "\($0)×\($0)" }.joined(separator: " + ") + ") cells"
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.neurons == b.neurons && a.geometry == b.geometry && a.splitPolarity == b.splitPolarity && a.pools == b.pools
            && a.timeBins == b.timeBins && a.binWidth == b.binWidth && a.normalisation == b.normalisation
    }

    public func hash(into h: inout Hasher) {
        h.combine(neurons); h.combine(geometry); h.combine(splitPolarity); h.combine(pools)
        h.combine(timeBins); h.combine(binWidth); h.combine(normalisation)
    }
}
