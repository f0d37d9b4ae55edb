import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores and the winner: the multiply-accumulate over the context and the accumulator's overflow.
extension FixedPointArithmetic {
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
}
