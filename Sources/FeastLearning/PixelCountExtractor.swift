import FeastCore
import FeastEvents

/// The raw-event baseline: event counts per pixel (or per `block × block`
/// pixel block), optionally split by polarity and by time bins. No FEAST
/// layer involved, so it shows what the layer adds.
///
/// Feature index of an event at `(x, y)`, polarity `p`, time `t`:
///
///     ((bin * polarities + p') * cellsY + y / block) * cellsX + x / block
///
/// with `cellsX = ceil(width / block)`, `cellsY = ceil(height / block)`,
/// `p' = p` when split else 0, and `bin` as in ``WinHistogramExtractor``.
/// As a ``FeatureExtractor`` over output events it counts every event,
/// misses included (the input event happened either way).
public struct PixelCountExtractor: FeatureExtractor, Hashable {
    /// Sensor the events come from.
    public let geometry: SensorGeometry
    /// Separate planes for OFF (p = 0) and ON (p = 1).
    public let splitPolarity: Bool
    /// Side of a pooling block in pixels (1 = per pixel).
    public let block: Int
    /// Number of time bins (1 = none).
    public let timeBins: Int
    /// Width of a time bin in µs (> 0).
    public let binWidth: Int64
    /// Scaling after accumulation.
    public let normalisation: FeatureNormalisation

    public init(geometry: SensorGeometry = .nmnist, splitPolarity: Bool = true, block: Int = 1,
                timeBins: Int = 1, binWidth: Int64 = 100_000, normalisation: FeatureNormalisation = .none) {
        precondition(block >= 1, "block must be positive")
        precondition(timeBins >= 1 && binWidth > 0, "time bins and bin width must be positive")
        self.geometry = geometry
        self.splitPolarity = splitPolarity
        self.block = block
        self.timeBins = timeBins
        self.binWidth = binWidth
        self.normalisation = normalisation
    }

    /// Blocks per row.
    public var cellsX: Int { (geometry.width + block - 1) / block }
    /// Blocks per column.
    public var cellsY: Int { (geometry.height + block - 1) / block }
    /// Number of polarity planes: 2 when split, else 1.
    public var polarities: Int { splitPolarity ? 2 : 1 }
    public var dimension: Int { timeBins * polarities * cellsX * cellsY }

    /// Adds plain input events (the usual use: no network needed).
    public func accumulate(events chunk: UnsafeBufferPointer<Event>, into features: inout [Double], indexOffset: Int = 0) throws {
        precondition(features.count == dimension, "feature vector length must equal dimension")
        let w = geometry.width, h = geometry.height, b = block, cx = cellsX, cy = cellsY
        let pols = polarities, bins = timeBins, width = binWidth, split = splitPolarity
        try features.withUnsafeMutableBufferPointer { f in
            for i in 0..<chunk.count {
                let e = chunk[i]
                let x = Int(e.x), y = Int(e.y)
                guard x < w, y < h else {
                    throw FeastLearningError.eventOutsideSensor(eventIndex: indexOffset &+ i, x: x, y: y, geometry: geometry)
                }
                let p = split ? Int(e.polarity != 0 ? 1 : 0) : 0
                let bin = bins == 1 ? 0 : Int(min(Int64(bins &- 1), max(e.t, 0) / width))
                f[((bin &* pols &+ p) &* cy &+ y / b) &* cx &+ x / b] += 1
            }
        }
    }

    public func accumulate(_ chunk: UnsafeBufferPointer<OutputEvent>, into features: inout [Double], indexOffset: Int) throws {
        let events = ContiguousArray(chunk.lazy.map(\.event))
        try events.withUnsafeBufferPointer { try accumulate(events: $0, into: &features, indexOffset: indexOffset) }
    }

    /// The finished feature vector of a whole recording of plain events.
    public func features<C: Collection>(ofEvents events: C) throws -> [Double] where C.Element == Event {
        var f = makeVector()
        if try events.withContiguousStorageIfAvailable({ try accumulate(events: $0, into: &f) }) == nil {
            try ContiguousArray(events).withUnsafeBufferPointer { try accumulate(events: $0, into: &f) }
        }
        finish(&f)
        return f
    }

    public func finish(_ features: inout [Double]) { normalisation.apply(&features) }

    public var description: String {
        "pixel counts: \(cellsX)×\(cellsY)\(block > 1 ? " blocks of \(block)×\(block)" : " pixels")\(splitPolarity ? " × 2 polarities" : "")\(timeBins > 1 ? " × \(timeBins) bins of \(binWidth) µs" : ""), norm \(normalisation.rawValue) (\(dimension) features)"
    }
}
