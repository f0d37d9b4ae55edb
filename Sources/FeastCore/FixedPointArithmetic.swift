import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fixed-point FEAST modelling synapse hardware: unsigned weight and context
/// words, a signed accumulator and signed thresholds, a decay table or
/// shifter, η = 2^−k, threshold steps in LSBs, explicit rounding and
/// overflow (see ``FixedPointConfiguration``). Bit-exact: the same
/// configuration, input and seed give the same bits on every machine.
///
/// Units: weights in 2^−Fw, contexts in 2^−Fc, scores and the accumulator in
/// 2^−(Fw+Fc); thresholds are kept in score units (raw threshold word shifted
/// left by Fw+Fc−Ft) so they compare directly with scores.
public struct FixedPointArithmetic: FeastArithmetic {
    public typealias Score = Int64
    public typealias Configuration = FixedPointConfiguration

    public static let name = "fixed"
    public let configuration: FixedPointConfiguration
    public var timestampBits: Int { configuration.timestampBits }
    public let horizon: UInt32

    @usableFromInline let rounding: RoundingMode
    @usableFromInline let contextBias: Int64
    @usableFromInline let overflow: OverflowMode
    @usableFromInline let weightBits: Int
    @usableFromInline let weightFraction: Int
    @usableFromInline let contextBits: Int
    @usableFromInline let contextFraction: Int
    @usableFromInline let thresholdBits: Int
    @usableFromInline let thresholdShift: Int      // score fraction − threshold fraction
    @usableFromInline let accumulatorBits: Int
    @usableFromInline let etaShift: Int
    @usableFromInline let riseSteps: Int64
    @usableFromInline let fallSteps: Int64
    @usableFromInline let normalisation: WeightNormalisation
    @usableFromInline let table: DecayTable        // raw context units, a final 0
    /// The table computed in lanes, when that equals it at every index.
    @usableFromInline var decayLanes: DecayLanes?
    @usableFromInline let tableShift: UInt32
    /// Every table index (age >> step shift) is below 2^23, so the decay
    /// lanes take it unclamped.
    @usableFromInline let directIndex: Bool
    @usableFromInline let useShifts: Bool
    @usableFromInline let halfLife: UInt32
    @usableFromInline let exactInFloat: Bool
    /// Σc² over the padded context fits UInt32 lanes (context words ≤ 15
    /// bits and padded K · max(c)² < 2^32).
    @usableFromInline let squaresInLanes: Bool
    /// Weights fit bytes, contexts 15 bits and K·max(w)·max(c) < 2^31.
    @usableFromInline let packable: Bool
    public let initialThreshold: Int64
    @usableFromInline var rng: SplitMix64
    /// The UInt32-lane learning path (tests turn it off to compare it with
    /// the scalar loops, which give the same integers).
    @usableFromInline var lanesEnabled = true
    public var counters = ArithmeticCounters()

    public var randomState: UInt64 {
        get { rng.state }
        set { rng.state = newValue }
    }

    public init(configuration: FixedPointConfiguration, parameters: FeastParameters, contextLength: Int) throws {
        try configuration.validate()
        let c = configuration.resolved(for: parameters)
        try c.validate()
        self.configuration = c
        rounding = c.rounding
        contextBias = c.contextRounding == .nearest ? Int64(1) << 31 : 0
        overflow = c.overflow
        weightBits = c.weightBits
        weightFraction = c.weightFractionalBits
        contextBits = c.contextBits
        contextFraction = c.contextFractionalBits
        thresholdBits = c.thresholdBits
        thresholdShift = c.weightFractionalBits + c.contextFractionalBits - c.thresholdFractionalBits
        accumulatorBits = c.accumulatorBits
        etaShift = c.etaShift!
        riseSteps = Int64(c.thresholdRiseSteps!)
        fallSteps = Int64(c.thresholdFallSteps!)
        normalisation = c.normalisation
        let one = Double(1 << c.contextFractionalBits)
        let cMax = Float((1 << c.contextBits) - 1)
        useShifts = c.decay == .shifts
        halfLife = UInt32(c.halfLifeShift!)
        tableShift = UInt32(c.decayStepShift!)
        directIndex = c.timestampBits - c.decayStepShift! <= 23
        var log2K = 0
        while (1 << log2K) < contextLength { log2K += 1 }
        exactInFloat = c.weightBits + c.contextBits + log2K <= 24
        let paddedK = Int64((contextLength + 15) / 16 * 16), cMaxWord = Int64((1 << c.contextBits) - 1)
        squaresInLanes = c.contextBits <= 15 && paddedK * cMaxWord * cMaxWord < Int64(1) << 32
        packable = c.weightBits <= 8 && c.contextBits <= 15
            && Int64(contextLength) * Int64((1 << c.weightBits) - 1) * Int64((1 << c.contextBits) - 1) < Int64(Int32.max)
        if useShifts {
            table = DecayTable([])
            decayLanes = nil
            horizon = UInt32(min(Int64(UInt32.max), Int64(c.contextFractionalBits + 1) << Int64(c.halfLifeShift!)))
        } else {
            let n = c.decayTableEntries!
            // One 0 entry past the end: ``zeroAge`` (= horizon) reads it.
            table = DecayTable((0..<n).map { i in min(cMax, Float((exp(-Double(i << c.decayStepShift!) / parameters.tau) * one).rounded())) } + [0])
            decayLanes = DecayLanes(table: table, stepShift: c.decayStepShift!, tau: parameters.tau, contextFraction: c.contextFractionalBits)
            horizon = UInt32(min(Int64(UInt32.max), Int64(n) << Int64(c.decayStepShift!)))
        }
        guard Int64(horizon) <= Int64(1) << Int64(c.timestampBits - 2) else {
            throw FeastCoreError.invalidFixedPoint(field: "timestamp bits", value: "\(c.timestampBits)",
                expected: "enough for the decay horizon of \(horizon) µs (≤ 2^(bits−2) µs, here ≥ \(64 - (Int64(horizon) - 1).leadingZeroBitCount + 2) bits)")
        }
        let t0 = FixedPointMath.fit(Int64((parameters.initialThreshold * Double(1 << c.thresholdFractionalBits)).rounded()),
                                    bits: c.thresholdBits, signed: true, mode: .saturate).value
        initialThreshold = t0 << Int64(thresholdShift)
        rng = SplitMix64.derived(seed: parameters.seed, salt: 0x5354_4F43_4841_5354)
    }

    @inlinable @inline(__always)
    mutating func round(_ v: Int64, _ shift: Int) -> Int64 {
        // Same result as FixedPointMath.roundShift, with the mode test
        // reduced to one predictable branch on the hot path.
        if shift == 0 { return v }
        if rounding == .stochastic {
            return (v &+ Int64(bitPattern: rng.next() & ((UInt64(1) << UInt64(shift)) &- 1))) >> Int64(shift)
        }
        let bias: Int64 = rounding == .nearest ? Int64(1) << Int64(shift - 1) : 0
        return (v &+ bias) >> Int64(shift)
    }

    /// The horizon: past the table's last entry (a 0 is appended), or
    /// (Fc + 1) halvings of 1.0 for shifts.
    public var zeroAge: UInt32 { horizon }

    @inlinable @inline(__always)
    public func decay(age: UInt32) -> Float {
        if useShifts {
            return Float((Int64(1) << Int64(contextFraction)) >> Int64(age >> halfLife))
        }
        return table.entries[Int(age &>> tableShift)]
    }

    // MARK: Time surface

    /// Pixels hold timestamp counters of ``FixedPointConfiguration/timestampBits``
    /// bits, as a hardware timestamp register; ages are computed modulo
    /// 2^bits. A scrubber keeps them unambiguous: when the clock has advanced
    /// by 2^(bits−1) µs, pixels already past the horizon are re-stamped to
    /// exactly the horizon; expiry re-stamps every pixel so. Results equal
    /// those of exact 64-bit ages.
    public typealias SurfaceWord = UInt32
    public var emptyWord: UInt32 { 0 }
    @usableFromInline var lastScrub: Int64 = 0
    /// The current time's counter value.
    @usableFromInline var current: UInt32 = 0
    @inlinable public var stamp: UInt32 { current }

    @inlinable @inline(__always)
    var counterMask: UInt32 { timestampBits >= 32 ? .max : (UInt32(1) << UInt32(timestampBits)) &- 1 }

    @inlinable @inline(__always)
    public mutating func advanceClock(to t: Int64, expire: Bool, surface: UnsafeMutablePointer<UInt32>, count: Int) {
        let mask = counterMask
        let tc = UInt32(truncatingIfNeeded: t) & mask
        current = tc
        if expire {
            surface.update(repeating: (tc &- horizon) & mask, count: count)
            lastScrub = t
        } else if t &- lastScrub >= Int64(1) << Int64(timestampBits - 1) {
            let stale = (tc &- horizon) & mask
            for i in 0..<count where (tc &- surface[i]) & mask >= horizon { surface[i] = stale }
            lastScrub = t
        }
    }

    @inlinable @inline(__always)
    public func gatherWindow(_ window: UnsafePointer<UInt32>, rowStride: Int, side: Int, into context: UnsafeMutablePointer<Float>) {
        let mask = counterMask, tc = stamp
        if let lanes = decayLanes {
            // Table indices row by row (as bit patterns in the context
            // buffer), then the entries of the whole window in lanes.
            let out = UnsafeMutableRawPointer(context)
            let now = SIMD16<UInt32>(repeating: tc), wrap = SIMD16<UInt32>(repeating: mask)
            let shift = SIMD16<UInt32>(repeating: tableShift), last = SIMD16<Int32>(repeating: Int32(bitPattern: lanes.last))
            for r in 0..<side {
                let row = UnsafeRawPointer(window + r &* rowStride)
                var dx = 0
                if directIndex {
                    // Indices below 2^23 as they are: ``DecayLanes/values``
                    // zeroes those past the last entry itself.
                    while dx < side {
                        let age = (now &- row.loadUnaligned(fromByteOffset: dx &* 4, as: SIMD16<UInt32>.self)) & wrap
                        out.storeBytes(of: age &>> shift, toByteOffset: (r &* side &+ dx) &* 4, as: SIMD16<UInt32>.self)
                        dx &+= 16
                    }
                    continue
                }
                while dx < side {
                    let age = (now &- row.loadUnaligned(fromByteOffset: dx &* 4, as: SIMD16<UInt32>.self)) & wrap
                    // Ages ≥ 2^31 (far past the horizon) to 2^31 − 1, so the
                    // index is a nonnegative Int32; then min(index, last)
                    // by the sign of index − last (SIMD min is not inlined).
                    let capped = (age | (SIMD16(repeating: 0) &- (age &>> 31))) & SIMD16(repeating: 0x7FFF_FFFF)
                    let d = unsafeBitCast(capped &>> shift, to: SIMD16<Int32>.self) &- last
                    out.storeBytes(of: last &+ (d & (d &>> 31)), toByteOffset: (r &* side &+ dx) &* 4, as: SIMD16<Int32>.self)
                    dx &+= 16
                }
            }
            var i = 0
            while i < side &* side {
                let index = out.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<UInt32>.self)
                out.storeBytes(of: lanes.values(index), toByteOffset: i &* 4, as: SIMD16<Float>.self)
                i &+= 16
            }
            return
        }
        for r in 0..<side {
            let row = window + r &* rowStride, ctx = context + r &* side
            if useShifts {
                for dx in 0..<side {
                    let halvings = ((tc &- row[dx]) & mask) >> halfLife
                    ctx[dx] = Float((Int64(1) << Int64(contextFraction)) >> Int64(halvings < 63 ? halvings : 63))
                }
                continue
            }
            // Ages past the horizon index the table's final 0.
            let tab = table.entries, last = table.last
            for dx in 0..<side {
                let i = ((tc &- row[dx]) & mask) &>> tableShift
                ctx[dx] = tab[Int(i < last ? i : last)]
            }
        }
    }

    /// Exact integer L2 normalisation: n = ⌊√Σc²⌋, r = ⌊2^(Fc+32)/n⌋,
    /// c ← fit(⌊(c·r + bias)/2^32⌋). n ≥ 2^Fc (the centre pixel is 1.0), so
    /// r ≤ 2^32; with r = rh·2^16 + rl the quotient is ⌊(c·rh + ⌊(c·rl +
    /// bias)/2^16⌋)/2^16⌋, whose products fit UInt32 lanes for context words
    /// ≤ 15 bits (Σc² in UInt32 lanes where it fits, else an Int64 loop).
    /// Wider words take the Int64 loop; both give the same integers.
    @inlinable @inline(__always)
    public mutating func normaliseContext(_ context: UnsafeMutablePointer<Float>, length: Int) {
        let raw = UnsafeMutableRawPointer(context)
        var ss: Int64 = 0
        if squaresInLanes {
            // Exact in UInt32 lanes, in two chains (integer sums: any order).
            var a = SIMD16<UInt32>(), b = SIMD16<UInt32>()
            var i = 0
            while i &+ 32 <= length {
                let u = FixedPointMath.integers(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self))
                let v = FixedPointMath.integers(raw.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self))
                a = a &+ u &* u
                b = b &+ v &* v
                i &+= 32
            }
            if i < length {
                let u = FixedPointMath.integers(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self))
                a = a &+ u &* u
            }
            ss = Int64(FixedPointMath.laneSum(a &+ b))
        } else {
            for k in 0..<length { let v = Int64(context[k]); ss &+= v &* v }
        }
        let n = FixedPointMath.isqrt(ss)
        guard n > 0 else { return }
        let r = FixedPointMath.reciprocal(n, shift: contextFraction + 32)
        if contextBits <= 15 && r <= Int64(1) << 32 {
            let rh = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: r >> 16))
            let rl = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: r & 0xFFFF))
            let bias = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: contextBias))
            let limit = SIMD16<UInt32>(repeating: (UInt32(1) << UInt32(contextBits)) &- 1)
            var over = SIMD16<UInt32>()
            var i = 0
            while i < length {
                let v = FixedPointMath.integers(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self))
                let q = (v &* rh &+ ((v &* rl &+ bias) &>> 16)) &>> 16
                // Nonzero lanes where q > limit (limit − q wraps past 2^31).
                over |= (limit &- q) &>> 31
                raw.storeBytes(of: FixedPointMath.floats(q), toByteOffset: i &* 4, as: SIMD16<Float>.self)
                i &+= 16
            }
            guard !FixedPointMath.anyLane(over) else { return fitContext(context, length: length) }
            return
        }
        for k in 0..<length where context[k] != 0 {
            let v = (Int64(context[k]) &* r &+ contextBias) >> 32
            if v >= 0 && v < Int64(1) << Int64(contextBits) { context[k] = Float(v); continue }
            let f = FixedPointMath.fit(v, bits: contextBits, signed: false, mode: overflow)
            if f.overflowed { counters.contextOverflows &+= 1 }
            context[k] = Float(f.value)
        }
    }

    /// ``normaliseContext(_:length:)`` compiled in this module, for tests:
    /// Swift 6.3 crashes generating the inlined SIMD code in a test module.
    mutating func normaliseContextCompiledHere(_ context: UnsafeMutablePointer<Float>, length: Int) {
        normaliseContext(context, length: length)
    }

    /// Saturates or wraps context words past their width (rare: only
    /// configurations whose 1.0 rounds up can overflow).
    @usableFromInline
    mutating func fitContext(_ context: UnsafeMutablePointer<Float>, length: Int) {
        for k in 0..<length where context[k] >= Float(Int64(1) << Int64(contextBits)) {
            counters.contextOverflows &+= 1
            context[k] = Float(FixedPointMath.fit(Int64(context[k]), bits: contextBits, signed: false, mode: overflow).value)
        }
    }

    @inlinable @inline(__always)
    public mutating func scores(weights: UnsafePointer<Float>, packed: UnsafeRawPointer?, stride: Int, neurons: Int,
                                context: UnsafePointer<Float>, nonzero: UnsafePointer<Int32>, count: Int,
                                scratch: UnsafeMutablePointer<Float>, into scores: UnsafeMutablePointer<Int64>) {
        if let packed {
            let rowBytes = FeastKernels.packedRowBytes(stride: stride)
            scratch.withMemoryRebound(to: Int32.self, capacity: rowBytes) { sums in
                FeastKernels.byteScores(packed, rowBytes: rowBytes, context: context, nonzero: nonzero, count: count, into: sums)
                // One pass: widen and take the peak; sums at or above the
                // accumulator's range (rare) are redone with its overflow rule.
                var peak: Int32 = 0
                for n in 0..<neurons { let v = sums[n]; peak = max(peak, v); scores[n] = Int64(v) }
                if Int64(peak) < Int64(1) << Int64(accumulatorBits - 1) {
                    if Int64(peak) > counters.accumulatorPeak { counters.accumulatorPeak = Int64(peak) }
                } else {
                    for n in 0..<neurons { scores[n] = accumulate(Int64(sums[n])) }
                }
            }
            return
        }
        if exactInFloat {
            // Integer products and sums below 2^24: Float lanes are exact.
            FeastKernels.sparseScores(weights: weights, stride: stride, context: context, nonzero: nonzero, count: count, into: scratch)
            // Sums are ≥ 0, so their bit patterns order like the values: the
            // peak is an integer max (vectorises), and below the accumulator's
            // range nothing needs checking per neuron.
            var peakBits: Int32 = 0
            scratch.withMemoryRebound(to: Int32.self, capacity: neurons) { bits in
                for n in 0..<neurons { peakBits = max(peakBits, bits[n]) }
            }
            let peak = Int64(Float(bitPattern: UInt32(bitPattern: peakBits)))
            if peak < Int64(1) << Int64(accumulatorBits - 1) {
                if peak > counters.accumulatorPeak { counters.accumulatorPeak = peak }
                for n in 0..<neurons { scores[n] = FixedPointMath.integer(scratch[n]) }
            } else {
                for n in 0..<neurons { scores[n] = accumulate(FixedPointMath.integer(scratch[n])) }
            }
        } else {
            for n in 0..<neurons {
                var acc: Int64 = 0
                for j in 0..<count {
                    let k = Int(nonzero[j])
                    acc &+= Int64(weights[k &* stride &+ n]) &* Int64(context[k])
                }
                scores[n] = accumulate(acc)
            }
        }
    }

    public var packsWeightsAsBytes: Bool { packable }

    /// Branch-free, as in float: key = score when score ≥ threshold, else −1
    /// (scores are ≥ 0; score − threshold cannot overflow Int64); the
    /// largest key wins, the lowest index on ties.
    @inlinable @inline(__always)
    public func winner(scores: UnsafePointer<Int64>, thresholds: UnsafePointer<Int64>, neurons: Int) -> Int {
        @inline(__always) func key(_ n: Int) -> Int64 {
            let d = scores[n]
            return d | ((d &- thresholds[n]) &>> 63)
        }
        if overflow == .wrap || accumulatorBits > 45 {
            // A wrapped accumulator can be negative, and above 45 bits the
            // key does not leave room for the index: the plain rule.
            var winner = -1, top = Int64.min
            for n in 0..<neurons where scores[n] >= thresholds[n] && (winner < 0 || scores[n] > top) { top = scores[n]; winner = n }
            return winner
        }
        // One pass, as in float: key above, 2^17 − 1 − n below.
        var best: Int64 = -1
        for n in 0..<neurons {
            let v = (key(n) &<< 17) | Int64(0x1_FFFF &- n)
            best = v > best ? v : best
        }
        return best >= 0 ? 0x1_FFFF &- Int(best & 0x1_FFFF) : -1
    }

    /// The accumulator's overflow. Weights and contexts are ≥ 0, so partial
    /// sums only grow and checking the final sum equals checking every step.
    @inlinable @inline(__always)
    mutating func accumulate(_ acc: Int64) -> Int64 {
        if acc > counters.accumulatorPeak { counters.accumulatorPeak = acc }
        if acc < Int64(1) << Int64(accumulatorBits - 1) { return acc }   // sums of products ≥ 0
        let f = FixedPointMath.fit(acc, bits: accumulatorBits, signed: true, mode: overflow)
        if f.overflowed { counters.accumulatorOverflows &+= 1 }
        return f.value
    }

    @inlinable @inline(__always)
    mutating func fitWeight(_ v: Int64) -> Int64 {
        if v >= 0 && v < Int64(1) << Int64(weightBits) { return v }
        let f = FixedPointMath.fit(v, bits: weightBits, signed: false, mode: overflow)
        if f.overflowed { counters.weightOverflows &+= 1 }
        return f.value
    }

    /// w ← round(((2^k − 1)·w + c) / 2^k) in a common fraction F = max(Fw, Fc),
    /// one rounding per weight, then the configured normalisation.
    @inlinable @inline(__always)
    public mutating func learn(weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, context: UnsafePointer<Float>, score: Int64,
                               packed: UnsafeMutableRawPointer?, packedStride: Int) {
        // Locals instead of helper calls: keeps the whole update in registers.
        let common = max(weightFraction, contextFraction)
        let wUp = Int64(common - weightFraction), cUp = Int64(common - contextFraction)
        let keep = (Int64(1) << Int64(etaShift)) - 1
        let down = Int64(etaShift + common - weightFraction)
        let wLimit = Int64(1) << Int64(weightBits)
        let stochastic = rounding == .stochastic && down > 0
        let bias: Int64 = rounding == .nearest && down > 0 ? Int64(1) << (down - 1) : 0
        let draw = stochastic ? rng.next() : 0
        if learnInLanes(weights: weights, stride: stride, length: length, context: context,
                        keep: keep, wUp: wUp, cUp: cUp, down: down, bias: bias, draw: stochastic ? draw : nil,
                        packed: packed, packedStride: packedStride) {
            return
        }
        if let packed {
            // The bytes are the weights of record (the Float column may be stale).
            FeastKernels.unpackColumn(packed, packedStride: packedStride, length: length, into: weights, stride: stride)
        }
        defer { if let packed { FeastKernels.packColumn(weights, stride: stride, length: length, into: packed, packedStride: packedStride) } }
        var overflows: Int64 = 0
        var ss: Int64 = 0
        var p = weights
        for k in 0..<length {
            let w = FixedPointMath.integer(p.pointee) &<< wUp
            let c = FixedPointMath.integer(context[k]) &<< cUp
            let add = stochastic ? FixedPointMath.fraction(draw, k, bits: down) : bias
            var v = (w &* keep &+ c &+ add) &>> down
            if v < 0 || v >= wLimit {
                overflows &+= 1
                v = FixedPointMath.fit(v, bits: weightBits, signed: false, mode: overflow).value
            }
            p.pointee = Float(v)
            ss &+= v &* v
            p += stride
        }
        counters.weightOverflows &+= overflows
        normalise(weights, stride: stride, length: length, sumOfSquares: ss)
    }

    /// The configured normalisation of a column whose Σw² is `ss`.
    @inlinable @inline(__always)
    mutating func normalise(_ weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, sumOfSquares ss: Int64) {
        switch normalisation {
        case .none:
            return
        case .exact:
            let n = FixedPointMath.isqrt(ss)
            // n = 1.0 exactly: the multiplier would be exactly 1, skip it.
            guard n > 0, n != Int64(1) << Int64(weightFraction) else { return }
            let r = FixedPointMath.reciprocal(n, shift: weightFraction + 32)
            scaleColumn(weights, stride: stride, length: length, by: r, shift: 32)
        case .newton:
            // factor (3 − Σw²)/2 in weight units, then w·factor.
            let f = round((Int64(3) << Int64(2 * weightFraction)) &- ss, weightFraction + 1)
            scaleColumn(weights, stride: stride, length: length, by: f, shift: Int64(weightFraction))
        }
    }

    /// The update of ``learn`` sixteen weights at a time in UInt32 lanes, for
    /// configurations whose intermediates stay below 2^32 (the defaults):
    /// the column is gathered into a contiguous buffer, updated, renormalised
    /// (exact normalisation in lanes too when its multiplier is below 2^33,
    /// else by ``normalise``) and scattered back. With `packed` the column
    /// comes from and goes back to the bytes alone (the Float column is the
    /// layer's to rewrite), unless ``normalise`` has to run on the Floats.
    /// Same integers and random draws as the scalar loops. Returns false,
    /// having changed nothing, when the configuration does not fit the lanes.
    @inlinable @inline(__always)
    mutating func learnInLanes(weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, context: UnsafePointer<Float>,
                               keep: Int64, wUp: Int64, cUp: Int64, down: Int64, bias: Int64, draw: UInt64?,
                               packed: UnsafeMutableRawPointer?, packedStride: Int) -> Bool {
        let padded = (length + 15) / 16 * 16
        guard lanesEnabled, weightBits + Int(wUp) + etaShift <= 30, contextBits + Int(cUp) <= 30, down <= 30,
              weightBits <= 14, (padded / 16) << (2 * weightBits) < 1 << 32, padded <= 4096 else { return false }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: padded) { buffer in
            let column = buffer.baseAddress.unsafelyUnwrapped
            let raw = UnsafeMutableRawPointer(column), ctx = UnsafeRawPointer(context)
            // Float words in and out unconverted: the conversions run in lanes.
            let words = UnsafeMutableRawPointer(weights)
            let rowBytes = stride &* 4
            // Plain scalar loops: vectorised, they become gathers and
            // scatters, which are slower here than one load or store per entry.
            if let packed {
                // The packed bytes hold the same integers, in the first-level cache.
                var src = UnsafeRawPointer(packed)
                for k in 0..<length { column[k] = FixedPointMath.floats(UInt32(src.load(as: UInt8.self))); src += packedStride }
            } else {
                var src = UnsafeRawPointer(words)
                for k in 0..<length { column[k] = src.load(as: UInt32.self); src += rowBytes }
            }
            for k in length..<padded { column[k] = 0 }
            let keepV = SIMD16<UInt32>(repeating: UInt32(keep) &<< UInt32(wUp)), cShift = SIMD16<UInt32>(repeating: UInt32(cUp))
            let downV = SIMD16<UInt32>(repeating: UInt32(down)), limit = SIMD16<UInt32>(repeating: UInt32((1 << weightBits) - 1))
            var spread = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &* FixedPointMath.spread
            var over = SIMD16<UInt32>(), sq = SIMD16<UInt32>()
            var k = 0
            while k < padded {
                let w = FixedPointMath.integers(raw.load(fromByteOffset: k &* 4, as: SIMD16<Float>.self))
                // Context words past K are the layer's zero padding.
                let c = FixedPointMath.integers(ctx.loadUnaligned(fromByteOffset: k &* 4, as: SIMD16<Float>.self))
                let add = draw.map { FixedPointMath.fractions($0, spread: spread, bits: down) } ?? SIMD16(repeating: UInt32(bias))
                spread &+= SIMD16(repeating: FixedPointMath.spread &* 16)
                let v = (w &* keepV &+ (c &<< cShift) &+ add) &>> downV
                over |= (limit &- v) &>> 31
                raw.storeBytes(of: v, toByteOffset: k &* 4, as: SIMD16<UInt32>.self)
                sq = sq &+ v &* v
                k &+= 16
            }
            if FixedPointMath.anyLane(over) {
                // Rare: refit the lanes past the word, then Σw² again.
                sq = SIMD16()
                refitColumn(column, length: length)
                for i in 0..<length { sq[i & 15] &+= column[i] &* column[i] }
            }
            let ss = Int64(FixedPointMath.laneSum(sq))
            var scaled = normalisation == .none
            if normalisation == .exact {
                let n = FixedPointMath.isqrt(ss)
                // n = 1.0 exactly: the multiplier would be exactly 1, skip it.
                if n <= 0 || n == Int64(1) << Int64(weightFraction) {
                    scaled = true
                } else {
                    let r = FixedPointMath.reciprocal(n, shift: weightFraction + 32)
                    if r < Int64(1) << 33 {
                        scaleInLanes(column, padded: padded, length: length, by: r)
                        scaled = true
                    }
                }
            }
            if scaled, let packed {
                // The bytes are the weights of record: the Float column is
                // left for the layer to rewrite once per processing call.
                var b = packed
                for k in 0..<length { b.storeBytes(of: UInt8(truncatingIfNeeded: column[k]), as: UInt8.self); b += packedStride }
                return
            }
            k = 0
            while k < padded {
                raw.storeBytes(of: FixedPointMath.floats(raw.load(fromByteOffset: k &* 4, as: SIMD16<UInt32>.self)), toByteOffset: k &* 4, as: SIMD16<Float>.self)
                k &+= 16
            }
            var dst = words
            for k in 0..<length { dst.storeBytes(of: column[k], as: UInt32.self); dst += rowBytes }
            if !scaled {
                normalise(weights, stride: stride, length: length, sumOfSquares: ss)
                if let packed { FeastKernels.packColumn(weights, stride: stride, length: length, into: packed, packedStride: packedStride) }
            }
        }
        return true
    }

    /// w ← fit(⌊(w·r + fraction)/2^32⌋) over the column in lanes, as
    /// ``scaleColumn`` with shift 32 (same random draw and fractions): with
    /// r = rh·2^16 + rl and fraction = ah·2^16 + al the quotient is
    /// ⌊(w·rh + ah + ⌊(w·rl + al)/2^16⌋)/2^16⌋, whose terms fit UInt32 for
    /// w < 2^14 and r < 2^33. Padding lanes (w = 0) stay 0.
    @inlinable @inline(__always)
    mutating func scaleInLanes(_ column: UnsafeMutablePointer<UInt32>, padded: Int, length: Int, by r: Int64) {
        let draw: UInt64? = rounding == .stochastic ? rng.next() : nil
        let bias = SIMD16<UInt32>(repeating: rounding == .nearest ? UInt32(1) << 31 : 0)
        let rh = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: r >> 16)), rl = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: r & 0xFFFF))
        let limit = SIMD16<UInt32>(repeating: UInt32((1 << weightBits) - 1)), low = SIMD16<UInt32>(repeating: 0xFFFF)
        var spread = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &* FixedPointMath.spread
        let raw = UnsafeMutableRawPointer(column)
        var over = SIMD16<UInt32>()
        var k = 0
        while k < padded {
            let w = raw.load(fromByteOffset: k &* 4, as: SIMD16<UInt32>.self)
            let add = draw.map { FixedPointMath.fractions($0, spread: spread, bits: 32) } ?? bias
            spread &+= SIMD16(repeating: FixedPointMath.spread &* 16)
            let q = (w &* rh &+ (add &>> 16) &+ ((w &* rl &+ (add & low)) &>> 16)) &>> 16
            over |= (limit &- q) &>> 31
            raw.storeBytes(of: q, toByteOffset: k &* 4, as: SIMD16<UInt32>.self)
            k &+= 16
        }
        if FixedPointMath.anyLane(over) { refitColumn(column, length: length) }
    }

    /// Saturates or wraps the column's integers past the weight word,
    /// counting each.
    @usableFromInline
    mutating func refitColumn(_ column: UnsafeMutablePointer<UInt32>, length: Int) {
        for i in 0..<length where column[i] >= UInt32(1 << weightBits) {
            counters.weightOverflows &+= 1
            column[i] = UInt32(FixedPointMath.fit(Int64(column[i]), bits: weightBits, signed: false, mode: overflow).value)
        }
    }

    /// w ← fit(round(w · factor / 2^shift)) down a weight column (random
    /// fractions as in ``learn``, from one draw for the pass).
    @inlinable @inline(__always)
    mutating func scaleColumn(_ weights: UnsafeMutablePointer<Float>, stride: Int, length: Int, by factor: Int64, shift: Int64) {
        let stochastic = rounding == .stochastic && shift > 0
        let bias: Int64 = rounding == .nearest && shift > 0 ? Int64(1) << (shift - 1) : 0
        let draw = stochastic ? rng.next() : 0
        let wLimit = Int64(1) << Int64(weightBits)
        var overflows: Int64 = 0
        var p = weights
        for k in 0..<length {
            let add = stochastic ? FixedPointMath.fraction(draw, k, bits: shift) : bias
            var v = (FixedPointMath.integer(p.pointee) &* factor &+ add) &>> shift
            if v < 0 || v >= wLimit {
                overflows &+= 1
                v = FixedPointMath.fit(v, bits: weightBits, signed: false, mode: overflow).value
            }
            p.pointee = Float(v)
            p += stride
        }
        counters.weightOverflows &+= overflows
    }

    public func quantiseWeight(_ real: Float) -> Float {
        let v = (Double(real) * Double(1 << weightFraction)).rounded()
        return Float(FixedPointMath.fit(Int64(v), bits: weightBits, signed: false, mode: .saturate).value)
    }

    @inlinable @inline(__always)
    mutating func stepThreshold(_ threshold: inout Int64, by steps: Int64) {
        let raw = threshold >> Int64(thresholdShift)
        let f = FixedPointMath.fit(raw &+ steps, bits: thresholdBits, signed: true, mode: overflow)
        if f.overflowed { counters.thresholdOverflows &+= 1 }
        threshold = f.value << Int64(thresholdShift)
    }

    @inlinable @inline(__always) public mutating func raise(_ threshold: inout Int64) { stepThreshold(&threshold, by: riseSteps) }
    @inlinable @inline(__always) public mutating func lower(_ threshold: inout Int64) { stepThreshold(&threshold, by: -fallSteps) }
    public var lowestScore: Int64 { .min }

    @inlinable @inline(__always)
    public func upperBound(_ bound: Float) -> Int64? {
        // Exact integer sums and a monotone (saturating) accumulator only.
        guard exactInFloat, overflow == .saturate else { return nil }
        return FixedPointMath.fit(Int64(bound), bits: accumulatorBits, signed: true, mode: .saturate).value
    }

    /// Largest |table(age) − 2^Fc·exp(−age/τ)| over all ages, in context
    /// LSBs: half an LSB of rounding plus the fall within one step
    /// (2^Fc·(1 − e^(−step/τ))). For ``DecayKind/shifts`` the staircase error
    /// is much larger (up to half of 1.0) and this is not a bound.
    public func decayErrorBound(tau: Double) -> Double {
        0.5 + Double(1 << contextFraction) * (1 - exp(-Double(1 << Int(tableShift)) / tau))
    }

    public var weightScale: Double { 1 / Double(1 << weightFraction) }
    public var effectiveEta: Double { 1 / Double(1 << etaShift) }
    public var effectiveThresholdRise: Double { Double(riseSteps) / Double(1 << configuration.thresholdFractionalBits) }
    public var effectiveThresholdFall: Double { Double(fallSteps) / Double(1 << configuration.thresholdFractionalBits) }
    public func realValue(context: Float) -> Double { Double(context) / Double(1 << contextFraction) }
    public func rawValue(context: Float) -> Int64 { Int64(context) }
    public func realValue(score: Int64) -> Double { Double(score) / Double(Int64(1) << Int64(weightFraction + contextFraction)) }
    public func rawValue(score: Int64) -> Int64 { score }
    public func realValue(threshold: Int64) -> Double { realValue(score: threshold) }
    public func rawValue(threshold: Int64) -> Int64 { threshold >> Int64(thresholdShift) }
    public func threshold(raw: Int64) -> Int64 { raw << Int64(thresholdShift) }
}
