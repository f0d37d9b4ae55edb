import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Learning: the weight update and renormalisation, and the threshold steps.
extension FixedPointArithmetic {
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
}
