import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time surface and the context: timestamp counters, the decay, the gathered window and its normalisation.
extension FixedPointArithmetic {
    // MARK: Time surface

    /// Pixels hold timestamp counters of ``FixedPointConfiguration/timestampBits``
    /// bits, as a hardware timestamp register; ages are computed modulo
    /// 2^bits. A scrubber keeps them unambiguous: when the clock has advanced
    /// by 2^(bits−1) µs, pixels already past the horizon are re-stamped to
    /// exactly the horizon; expiry re-stamps every pixel so. Results equal
    /// those of exact 64-bit ages.
    public typealias SurfaceWord = UInt32
    public var emptyWord: UInt32 { 0 }
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
}
