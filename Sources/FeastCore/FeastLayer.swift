import FeastEvents

/// Counts kept by a layer since it was created (or restored).
public struct LayerCounters: Sendable, Codable, Equatable, Hashable {
    /// Events that reached the winner search (wins + misses).
    public var events: Int64 = 0
    public var wins: Int64 = 0
    public var misses: Int64 = 0
    /// Events skipped by ``BorderPolicy/skip``.
    public var skipped: Int64 = 0
    /// Events with x or y outside the sensor, or a channel ≥ the layer's
    /// channels (skipped, never stored).
    public var outsideSensor: Int64 = 0
    /// Inference events decided as misses by the score bound without scoring.
    public var boundSkips: Int64 = 0
    public init() {}
}

/// One FEAST layer (DESIGN.md, "FEAST in one paragraph"), generic over its
/// arithmetic: ``FeastLayer<FloatArithmetic>`` or
/// ``FeastLayer<FixedPointArithmetic>``. The algorithm is written once here.
///
/// Per event: the time surface of the event's polarity (or the shared one)
/// stores t; the context is the decayed (2R+1)² window around the event
/// (never-fired or decayed-to-zero pixels give 0, built as a sparse list of
/// nonzero entries), L2-normalised; all neurons of the population are scored
/// in one pass; eligible = score ≥ threshold; the eligible neuron with the
/// largest score wins (ties: lowest index). Learning moves the winner towards
/// the context and raises its threshold by Δclose, or on a miss lowers every
/// threshold of the population by Δopen. Inference changes nothing but the
/// time surface.
///
/// Time surface: what a pixel holds is the arithmetic's choice
/// (``FeastArithmetic/SurfaceWord``: a wrapping timestamp counter in fixed
/// point, an exponential in float); ages ≥ the arithmetic's horizon read 0.
/// A gap ≥ horizon between events, a timestamp going backwards and a new
/// recording expire every pixel. Requires horizon ≤ 2^(timestampBits−2).
///
/// No allocation per event: buffers live in a copy-on-write storage.
public struct FeastLayer<A: FeastArithmetic>: @unchecked Sendable {
    public let parameters: FeastParameters
    public let geometry: SensorGeometry
    /// N per population.
    public let neurons: Int
    public let populations: Int
    /// K, the context length.
    public let contextLength: Int
    /// Lanes per weight row: N rounded up to a multiple of 16.
    public let stride: Int
    public internal(set) var arithmetic: A
    public internal(set) var counters = LayerCounters()

    @usableFromInline var storage: LayerStorage<A.Score, A.SurfaceWord>
    @usableFromInline let side: Int
    @usableFromInline let radius: Int
    @usableFromInline let channels: Int
    @usableFromInline let surfaceStride: Int
    @usableFromInline let surfaceSize: Int
    /// K rounded up to a multiple of 16.
    @usableFromInline let paddedLength: Int
    /// Score every context entry (the storage's identity list) instead of
    /// listing the nonzero ones: for ≤ 32 lanes per row, the extra zero
    /// rows cost less than building the list.
    @usableFromInline let scoresEveryEntry: Bool
    /// Bytes per row of the packed weight copy, 0 when the layer keeps none:
    /// kept when the arithmetic's words fit bytes and N ≥ 128, where the
    /// Float rows no longer fit the first-level cache (measured: no faster
    /// at N = 64, slower at N = 16, whose 64-neuron blocks are mostly
    /// padding). A `var` so tests can switch it off on a copy and compare.
    @usableFromInline var packedRowBytes: Int
    @usableFromInline let horizon: UInt32
    @usableFromInline var fresh = true
    @usableFromInline var lastTime: Int64 = 0
    @usableFromInline var frozenStreak = 0
    @usableFromInline var boundsReady = false
    @usableFromInline var minimumThreshold: [A.Score]

    @usableFromInline var boundTrials = 0
    @usableFromInline var boundHits = 0
    @usableFromInline var boundRest = 0

    /// Frozen events before the inference score bound is (re)built.
    @usableFromInline static var boundWarmup: Int { 256 }
    /// Bound tries per efficiency check, and events it then rests for when
    /// it decided too few of them.
    @usableFromInline static var boundWindow: Int { 1024 }
    @usableFromInline static var boundRestLength: Int { 15 * 1024 }

    /// A new layer: weights uniform random in [0, 1) from `parameters.seed`,
    /// each neuron's vector normalised (then quantised for fixed point);
    /// thresholds at `initialThreshold`.
    public init(parameters: FeastParameters, geometry: SensorGeometry = .nmnist, arithmetic configuration: A.Configuration) throws {
        try parameters.validate(geometry: geometry)
        let k = parameters.contextLength
        let arithmetic = try A(configuration: configuration, parameters: parameters, contextLength: k)
        self.parameters = parameters
        self.geometry = geometry
        self.arithmetic = arithmetic
        neurons = parameters.neurons
        populations = parameters.populations
        contextLength = k
        stride = (parameters.neurons + 15) / 16 * 16
        side = parameters.windowSide
        radius = parameters.radius
        channels = parameters.channels
        surfaceStride = geometry.width + 2 * parameters.radius
        surfaceSize = surfaceStride * (geometry.height + 2 * parameters.radius)
        paddedLength = (k + 15) / 16 * 16
        // A stacked layer's many channels leave most entries zero: list them.
        scoresEveryEntry = stride <= 32 && parameters.channels <= 2
        packedRowBytes = arithmetic.packsWeightsAsBytes && stride >= 128 ? FeastKernels.packedRowBytes(stride: stride) : 0
        horizon = arithmetic.horizon
        guard Int64(horizon) <= Int64(1) << Int64(arithmetic.timestampBits - 2) else {
            throw FeastCoreError.invalidParameter(field: .tau, value: "\(parameters.tau)",
                                                  expected: "a decay horizon (\(horizon) µs) within a quarter of the \(arithmetic.timestampBits)-bit time surface")
        }
        storage = LayerStorage(weightCount: populations * k * stride, thresholdCount: populations * neurons,
                               surfaceCount: parameters.surfaces * surfaceSize, contextLength: k, stride: stride,
                               populations: populations, fill: arithmetic.initialThreshold,
                               empty: arithmetic.emptyWord, packedCount: populations * k * packedRowBytes)
        minimumThreshold = Array(repeating: arithmetic.initialThreshold, count: populations)
        var rng = SplitMix64(state: parameters.seed)
        var row = [Float](repeating: 0, count: k)
        for pop in 0..<populations {
            for n in 0..<neurons {
                var ss: Double = 0
                for i in 0..<k { row[i] = rng.unitFloat(); ss += Double(row[i]) * Double(row[i]) }
                let inv = Float(1 / ss.squareRoot())
                for i in 0..<k { storage.weights[(pop * k + i) * stride + n] = arithmetic.quantiseWeight(row[i] * inv) }
            }
        }
        repackWeights()
    }

    /// Neuron `n`'s byte for entry 0 in the packed rows (entry k
    /// `packedRowBytes · k` further), nil when the layer keeps no bytes.
    @inlinable @inline(__always)
    func packedColumn(population pop: Int, neuron n: Int, storage st: LayerStorage<A.Score, A.SurfaceWord>) -> UnsafeMutableRawPointer? {
        guard packedRowBytes > 0, let packed = st.packed else { return nil }
        return packed + (pop &* contextLength &* packedRowBytes &+ FeastKernels.packedOffset(neuron: n))
    }

    /// Rebuilds the packed weight copy from the weights (after they are set
    /// other than by learning).
    @usableFromInline
    mutating func repackWeights() {
        guard packedRowBytes > 0 else { return }
        makeUnique()
        for pop in 0..<populations {
            for n in 0..<neurons {
                guard let column = packedColumn(population: pop, neuron: n, storage: storage) else { return }
                FeastKernels.packColumn(storage.weights + (pop * contextLength * stride + n), stride: stride, length: contextLength,
                                        into: column, packedStride: packedRowBytes)
            }
        }
    }

    /// Rewrites the Float columns learning changed only in the packed bytes
    /// (packed layers learn on the bytes, which the kernel reads; the Float
    /// rows are for everything else). Runs at the end of every processing
    /// call, so outside them the Float weights are always current.
    @usableFromInline
    func rewriteStaleColumns() {
        guard let stale = storage.stale else { return }
        for i in 0..<(populations * neurons) where stale[i] != 0 {
            let pop = i / neurons, n = i % neurons
            guard let column = packedColumn(population: pop, neuron: n, storage: storage) else { return }
            FeastKernels.unpackColumn(column, packedStride: packedRowBytes, length: contextLength,
                                      into: storage.weights + (pop * contextLength * stride + n), stride: stride)
            stale[i] = 0
        }
    }

    /// Bytes of the time surfaces: `surfaces × (W + 2R) × (H + 2R)` words of
    /// `A.SurfaceWord` (1280×720, R = 5, one shared surface of 4-byte
    /// words: 3.8 MB). The only state that grows with the sensor.
    public var timeSurfaceBytes: Int { storage.surfaceCount * MemoryLayout<A.SurfaceWord>.stride }

    /// Forgets the time surface (call at the start of every recording).
    public mutating func reset() {
        fresh = true
    }

    @usableFromInline
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(populations: populations) }
    }

    /// Processes one event; returns the winner's global index
    /// (`population · N + n`), −1 for a miss, −2 for a skipped event.
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public mutating func process(_ event: Event, learn: Bool) -> Int32 {
        makeUnique()
        defer { rewriteStaleColumns() }
        return core(event, learn: learn, trace: nil, storage: storage)
    }

    /// Processes `chunk[range]`, writing each event's result (as
    /// ``process(_:learn:)`` returns it) to `winners` at the same index: the
    /// per-event results without a call per event.
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public mutating func process(_ chunk: ContiguousArray<Event>, range: Range<Int>, learn: Bool, winners: inout [Int32]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= chunk.count && winners.count >= range.upperBound)
        makeUnique()
        let st = storage
        chunk.withUnsafeBufferPointer { events in
            winners.withUnsafeMutableBufferPointer { w in
                for i in range { w[i] = core(events[i], learn: learn, trace: nil, storage: st) }
            }
        }
        rewriteStaleColumns()
    }

    /// Processes a chunk; appends an ``OutputEvent`` per winner (and per miss
    /// with neuron −1 when `emitMisses`) to `output`. Skipped events are not
    /// emitted.
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public mutating func process(_ chunk: ContiguousArray<Event>, learn: Bool,
                                 into output: inout ContiguousArray<OutputEvent>, emitMisses: Bool) {
        makeUnique()
        output.reserveCapacity(output.count + chunk.count)
        let st = storage   // one reference for the chunk: no retain per event
        chunk.withUnsafeBufferPointer { events in
            for e in events {
                let w = core(e, learn: learn, trace: nil, storage: st)
                if w >= 0 || (w == -1 && emitMisses) { output.append(OutputEvent(event: e, neuron: w)) }
            }
        }
        rewriteStaleColumns()
    }

    /// Processes one event and returns everything it computed (for test
    /// vectors and debugging). Same result and state change as ``process(_:learn:)``.
    public mutating func step(_ event: Event, learn: Bool) -> EventTrace {
        makeUnique()
        var trace = EventTrace(event: event)
        let w = withUnsafeMutablePointer(to: &trace) { core(event, learn: learn, trace: $0, storage: storage) }
        rewriteStaleColumns()
        trace.winner = w
        if w != -2 {
            let th = storage.thresholds + trace.population * neurons
            trace.thresholdsAfter = (0..<neurons).map { arithmetic.realValue(threshold: th[$0]) }
            trace.thresholdsAfterRaw = (0..<neurons).map { arithmetic.rawValue(threshold: th[$0]) }
        }
        return trace
    }

    /// Rebuilds the inference bound: per context entry the largest weight
    /// over neurons, per population the smallest threshold.
    @usableFromInline
    mutating func buildBounds() {
        let st = storage
        for pop in 0..<populations {
            for k in 0..<contextLength {
                let row = st.weights + (pop * contextLength + k) * stride
                var m: Float = 0
                for n in 0..<neurons { m = max(m, row[n]) }
                st.columnMax[pop * contextLength + k] = m
            }
            var lo = st.thresholds[pop * neurons]
            for n in 0..<neurons { lo = min(lo, st.thresholds[pop * neurons + n]) }
            minimumThreshold[pop] = lo
        }
        boundsReady = true
    }

    @usableFromInline @inline(__always)
    mutating func core(_ e: Event, learn: Bool, trace: UnsafeMutablePointer<EventTrace>?,
                       storage st: LayerStorage<A.Score, A.SurfaceWord>) -> Int32 {
        let x = Int(e.x), y = Int(e.y)
        guard x < geometry.width, y < geometry.height else { counters.outsideSensor &+= 1; return -2 }
        let t = e.t
        arithmetic.advanceClock(to: t, expire: fresh || t &- lastTime >= Int64(horizon) || t < lastTime,
                                surface: st.surface, count: st.surfaceCount)
        fresh = false
        lastTime = t
        // Polarity is a bit for a sensor, the channel of a stacked layer.
        let pol = channels > 2 ? Int(e.polarity) : (e.polarity != 0 ? 1 : 0)
        guard pol < max(channels, 2) else { counters.outsideSensor &+= 1; return -2 }
        let ownSurface = channels >= 2 || populations == 2 ? pol : 0
        let centre: Int = ownSurface &* surfaceSize &+ (y &+ radius) &* surfaceStride &+ x &+ radius
        st.surface[centre] = arithmetic.stamp
        if parameters.borderPolicy == .skip
            && (x < radius || y < radius || x &+ radius >= geometry.width || y &+ radius >= geometry.height) {
            counters.skipped &+= 1
            return -2
        }

        // Context: the window's rows, decayed by the arithmetic (16 lanes at
        // a time), zero padding, normalised; then, above 32 neurons, the list
        // of nonzero entries the score kernel walks.
        var k = 0
        for ch in 0..<channels {
            let surf = channels >= 2 ? ch : ownSurface
            arithmetic.gatherWindow(st.surface + (surf &* surfaceSize &+ y &* surfaceStride &+ x), rowStride: surfaceStride,
                                    side: side, into: st.context + k)
            k &+= side &* side
        }
        let context = st.context, nonzero = st.nonzero
        (context + contextLength).update(repeating: 0, count: paddedLength &- contextLength)
        arithmetic.normaliseContext(context, length: paddedLength)
        var count = contextLength
        if !scoresEveryEntry {
            count = 0
            // Eight entries at a time, branch-free: context values are ≥ 0,
            // so bits + 0x7FFF_FFFF carries into bit 31 exactly when a value
            // is nonzero; the eight flags (one per byte) times
            // 0x0102040810204080 gather into the top byte as a mask, whose
            // set positions the pack table lists. Entries past K are 0.
            let src = UnsafeRawPointer(context), table = UnsafeRawPointer(st.packTable)
            let dst = UnsafeMutableRawPointer(nonzero)
            var i = 0
            while i < paddedLength {
                let flags = (src.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<UInt32>.self) &+ 0x7FFF_FFFF) &>> 31
                let bytes = unsafeBitCast(SIMD8<UInt8>(truncatingIfNeeded: flags), to: UInt64.self)
                let mask = Int(truncatingIfNeeded: (bytes &* 0x0102_0408_1020_4080) &>> 56)
                let positions = SIMD8<Int32>(truncatingIfNeeded: table.loadUnaligned(fromByteOffset: mask &* 8, as: SIMD8<UInt8>.self))
                dst.storeBytes(of: positions &+ SIMD8(repeating: Int32(truncatingIfNeeded: i)), toByteOffset: count &* 4, as: SIMD8<Int32>.self)
                count &+= mask.nonzeroBitCount
                i &+= 8
            }
        }

        let pop = populations == 2 ? pol : 0
        let weights = st.weights + pop &* contextLength &* stride
        let th = st.thresholds + pop &* neurons
        var winner = -1
        var decided = false
        if !learn && trace == nil {
            frozenStreak &+= 1
            if !boundsReady && frozenStreak >= Self.boundWarmup { buildBounds() }
            if boundsReady && boundRest > 0 {
                boundRest &-= 1
            } else if boundsReady {
                let cm = st.columnMax + pop &* contextLength
                var b: Float = 0
                for j in 0..<count { let k = Int(st.nonzero[j]); b = b + cm[k] * st.context[k] }
                boundTrials &+= 1
                if let bound = arithmetic.upperBound(b), bound < minimumThreshold[pop] {
                    decided = true
                    counters.boundSkips &+= 1
                    boundHits &+= 1
                }
                // The bound costs a pass over the context; when it almost
                // never decides (< 1 in 16), rest it for a while. Which
                // events it skips never changes a result, only the cost.
                if boundTrials == Self.boundWindow {
                    if boundHits &* 16 < boundTrials { boundRest = Self.boundRestLength }
                    boundTrials = 0
                    boundHits = 0
                }
            }
        }
        if !decided {
            // The population's packed rows start at its neuron 0's byte.
            arithmetic.scores(weights: weights, packed: packedColumn(population: pop, neuron: 0, storage: st).map(UnsafeRawPointer.init),
                              stride: stride, neurons: neurons, context: st.context,
                              nonzero: st.nonzero, count: count, scratch: st.scratch, into: st.scores)
            winner = arithmetic.winner(scores: st.scores, thresholds: th, neurons: neurons)
        }
        if let trace {
            trace.pointee.population = pop
            trace.pointee.context = (0..<contextLength).map { arithmetic.realValue(context: st.context[$0]) }
            trace.pointee.contextRaw = (0..<contextLength).map { arithmetic.rawValue(context: st.context[$0]) }
            trace.pointee.scores = (0..<neurons).map { arithmetic.realValue(score: st.scores[$0]) }
            trace.pointee.scoresRaw = (0..<neurons).map { arithmetic.rawValue(score: st.scores[$0]) }
            trace.pointee.eligible = (0..<neurons).map { st.scores[$0] >= th[$0] }
            trace.pointee.thresholdsBefore = (0..<neurons).map { arithmetic.realValue(threshold: th[$0]) }
            trace.pointee.thresholdsBeforeRaw = (0..<neurons).map { arithmetic.rawValue(threshold: th[$0]) }
        }
        if learn {
            frozenStreak = 0
            boundsReady = false
            if winner < 0 {
                for n in 0..<neurons { arithmetic.lower(&th[n]) }
            } else {
                arithmetic.learn(weights: weights + winner, stride: stride, length: contextLength, context: st.context, score: st.scores[winner],
                                 packed: packedColumn(population: pop, neuron: winner, storage: st),
                                 packedStride: packedRowBytes)
                if packedRowBytes > 0, let stale = st.stale { stale[pop &* neurons &+ winner] = 1 }
                arithmetic.raise(&th[winner])
            }
        }
        counters.events &+= 1
        if winner < 0 { counters.misses &+= 1; return -1 }
        counters.wins &+= 1
        return Int32(truncatingIfNeeded: pop &* neurons &+ winner)
    }

    // MARK: - Reading the state

    /// Real-valued weights of neuron `n` of population `pop` (K entries).
    public func weights(population pop: Int, neuron n: Int) -> [Float] {
        let scale = arithmetic.weightScale
        return (0..<contextLength).map { Float(Double(storage.weights[(pop * contextLength + $0) * stride + n]) * scale) }
    }

    /// Real-valued thresholds, [population][neuron] flattened.
    public var thresholds: [Double] {
        (0..<populations * neurons).map { arithmetic.realValue(threshold: storage.thresholds[$0]) }
    }

    /// Mean, min and max threshold (real units) over all neurons.
    public var thresholdSummary: (mean: Double, min: Double, max: Double) {
        var s = 0.0, lo = Double.infinity, hi = -Double.infinity
        for i in 0..<populations * neurons {
            let v = arithmetic.realValue(threshold: storage.thresholds[i])
            s += v; lo = Swift.min(lo, v); hi = Swift.max(hi, v)
        }
        return (s / Double(populations * neurons), lo, hi)
    }

    /// Equilibrium miss rate of one population with the effective
    /// (quantised) threshold steps: Δclose / (Δclose + N·Δopen).
    public var predictedMissRate: Double {
        FeastParameters.predictedMissRate(rise: arithmetic.effectiveThresholdRise, fall: arithmetic.effectiveThresholdFall, neurons: neurons)
    }

    /// Calls `body` with every stored weight in storage units
    /// ([population][k][lane] layout, `stride` lanes per row).
    public func withStoredWeights<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.weights, count: storage.weightCount))
    }
}
