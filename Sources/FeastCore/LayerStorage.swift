/// The layer's buffers, allocated once. ``FeastLayer`` holds one and copies
/// it before mutating when it is shared (copy-on-write), so the layer keeps
/// value semantics while the hot path works on raw pointers.
@usableFromInline
final class LayerStorage<Score, Word>: @unchecked Sendable {
    @usableFromInline let weightCount: Int
    @usableFromInline let thresholdCount: Int
    @usableFromInline let surfaceCount: Int
    @usableFromInline let contextLength: Int
    @usableFromInline let stride: Int
    /// [population][k][lane]: one row of `stride` lanes (one per neuron, zero
    /// padded) per context entry, so a context entry scales a contiguous row.
    @usableFromInline let weights: UnsafeMutablePointer<Float>
    /// [population][neuron]
    @usableFromInline let thresholds: UnsafeMutablePointer<Score>
    /// [surface][(height + 2R) × (width + 2R)] words (see
    /// ``FeastArithmetic/SurfaceWord``), + 16 padding words for row loads.
    @usableFromInline let surface: UnsafeMutablePointer<Word>
    /// Context: K entries, then 0s up to a multiple of 16, then 16 scratch
    /// lanes for row writes.
    @usableFromInline let context: UnsafeMutablePointer<Float>
    /// Indices of the nonzero context entries (room for K padded + 8).
    @usableFromInline let nonzero: UnsafeMutablePointer<Int32>
    /// Left-pack table: for each 8-bit mask, the positions of its set bits
    /// in order (256 × 8 bytes).
    @usableFromInline let packTable: UnsafeMutablePointer<UInt8>
    @usableFromInline let scratch: UnsafeMutablePointer<Float>
    @usableFromInline let scores: UnsafeMutablePointer<Score>
    /// [population][k]: max over neurons of the weight (inference skip bound).
    @usableFromInline let columnMax: UnsafeMutablePointer<Float>
    /// [population][k] rows of `packedRowBytes` bytes: the weights as bytes
    /// in ``FeastKernels/byteScores`` layout, when the layer keeps them (nil
    /// otherwise). These are the weights of record while learning; `weights`
    /// catches up for the columns marked in `stale` at the end of each
    /// processing call.
    @usableFromInline let packed: UnsafeMutableRawPointer?
    @usableFromInline let packedCount: Int
    /// [population][neuron]: 1 where learning changed the packed column and
    /// the Float column is not rewritten yet (packed layers only).
    @usableFromInline let stale: UnsafeMutablePointer<UInt8>?

    @usableFromInline
    init(weightCount: Int, thresholdCount: Int, surfaceCount: Int, contextLength: Int, stride: Int, populations: Int, fill: Score, empty: Word,
         packedCount: Int) {
        self.weightCount = weightCount
        self.thresholdCount = thresholdCount
        self.surfaceCount = surfaceCount
        self.contextLength = contextLength
        self.stride = stride
        // Rows start on cache lines (stride is a multiple of 16 lanes), so a
        // 64-byte row load never straddles two lines.
        weights = Self.lineAligned(Float.self, weightCount)
        weights.initialize(repeating: 0, count: weightCount)
        thresholds = .allocate(capacity: thresholdCount)
        thresholds.initialize(repeating: fill, count: thresholdCount)
        surface = .allocate(capacity: surfaceCount + 16)
        surface.initialize(repeating: empty, count: surfaceCount + 16)
        let padded = (contextLength + 15) / 16 * 16 + 16
        context = Self.lineAligned(Float.self, padded)
        context.initialize(repeating: 0, count: padded)
        nonzero = .allocate(capacity: padded)
        // The identity list: layers that score every entry never rewrite it.
        for i in 0..<padded { (nonzero + i).initialize(to: Int32(i)) }
        packTable = .allocate(capacity: 256 * 8)
        packTable.initialize(repeating: 0, count: 256 * 8)
        for m in 0..<256 {
            var j = 0
            for b in 0..<8 where m & (1 << b) != 0 { packTable[m * 8 + j] = UInt8(b); j += 1 }
        }
        // Room for the packed kernel's 64-neuron blocks.
        scratch = Self.lineAligned(Float.self, FeastKernels.packedRowBytes(stride: stride))
        scratch.initialize(repeating: 0, count: FeastKernels.packedRowBytes(stride: stride))
        self.packedCount = packedCount
        if packedCount > 0 {
            let p = UnsafeMutableRawPointer.allocate(byteCount: packedCount, alignment: 64)
            p.initializeMemory(as: UInt8.self, repeating: 0, count: packedCount)
            packed = p
            stale = .allocate(capacity: thresholdCount)
            stale?.initialize(repeating: 0, count: thresholdCount)
        } else {
            packed = nil
            stale = nil
        }
        scores = .allocate(capacity: stride)
        scores.initialize(repeating: fill, count: stride)
        columnMax = .allocate(capacity: populations * contextLength)
        columnMax.initialize(repeating: 0, count: populations * contextLength)
    }

    /// Room for `count` values at a 64-byte (cache-line) boundary;
    /// released by `deallocate()` like any allocation.
    static func lineAligned<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<T>.stride, alignment: 64)
            .bindMemory(to: T.self, capacity: count)
    }

    @usableFromInline
    func copy(populations: Int) -> LayerStorage {
        let c = LayerStorage(weightCount: weightCount, thresholdCount: thresholdCount, surfaceCount: surfaceCount,
                             contextLength: contextLength, stride: stride, populations: populations, fill: scores.pointee,
                             empty: surface[surfaceCount], packedCount: packedCount)
        if let packed, let target = c.packed { target.copyMemory(from: packed, byteCount: packedCount) }
        if let stale, let target = c.stale { target.update(from: stale, count: thresholdCount) }
        c.weights.update(from: weights, count: weightCount)
        c.thresholds.update(from: thresholds, count: thresholdCount)
        c.surface.update(from: surface, count: surfaceCount + 16)
        c.columnMax.update(from: columnMax, count: populations * contextLength)
        return c
    }

    deinit {
        weights.deallocate()
        thresholds.deallocate()
        surface.deallocate()
        context.deallocate()
        nonzero.deallocate()
        packTable.deallocate()
        scratch.deallocate()
        scores.deallocate()
        columnMax.deallocate()
        packed?.deallocate()
        stale?.deallocate()
    }
}
