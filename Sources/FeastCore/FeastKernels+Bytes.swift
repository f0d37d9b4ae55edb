extension FeastKernels {
    /// Bytes per packed weight row: N rounded up to 64 (one byte per neuron).
    @inlinable @inline(__always)
    public static func packedRowBytes(stride: Int) -> Int { (stride + 63) / 64 * 64 }

    /// Where neuron `n`'s byte sits in a packed row: blocks of 64 neurons,
    /// each sixteen 4-byte lanes, lane j holding neurons j, 16 + j, 32 + j
    /// and 48 + j, so byte q of the sixteen lanes is neurons 16q…16q + 15.
    @inlinable @inline(__always)
    public static func packedOffset(neuron n: Int) -> Int {
        (n & ~63) | ((n & 15) << 2) | ((n & 63) >> 4)
    }

    /// Copies a weight column (integer-valued Floats below 2^8, entry k at
    /// `weights[k * stride]`) into its packed bytes (entry k at
    /// `packed + k * packedStride`): the low mantissa byte after the 2^23
    /// offset.
    @inlinable @inline(__always)
    public static func packColumn(_ weights: UnsafePointer<Float>, stride: Int, length: Int,
                                  into packed: UnsafeMutableRawPointer, packedStride: Int) {
        var src = weights, dst = packed
        for _ in 0..<length {
            dst.storeBytes(of: UInt8(truncatingIfNeeded: (src.pointee + 0x1p23).bitPattern), as: UInt8.self)
            src += stride
            dst += packedStride
        }
    }

    /// The inverse of ``packColumn(_:stride:length:into:packedStride:)``:
    /// the packed bytes back into integer-valued Floats.
    @inlinable @inline(__always)
    public static func unpackColumn(_ packed: UnsafeRawPointer, packedStride: Int, length: Int,
                                    into weights: UnsafeMutablePointer<Float>, stride: Int) {
        var src = packed, dst = weights
        for _ in 0..<length {
            dst.pointee = Float(src.load(as: UInt8.self))
            src += packedStride
            dst += stride
        }
    }

    /// out[0..<rowBytes] = Σ_j context[k_j] · w(k_j, lane) in Int32, from
    /// weights packed as bytes (``packedOffset(neuron:)``), rows `rowBytes`
    /// apart and 64-byte aligned. Integer arithmetic, so exact (the caller
    /// guarantees sums below 2^31 and context words below 2^15): the same
    /// scores as ``sparseScores`` on the Float weights, from a quarter of
    /// the memory — what makes fixed point cheaper when the weights do not
    /// fit the first-level cache. Each byte is masked out of its lane and
    /// multiplied by the broadcast context word; the compiler turns these
    /// 16-bit products into multiply-accumulates. A function of its own:
    /// inlined into the layer's per-event code it lost its own inlining of
    /// the loads (a call per row).
    @inline(never)
    public static func byteScores(_ packed: UnsafeRawPointer, rowBytes: Int, context: UnsafePointer<Float>,
                                  nonzero: UnsafePointer<Int32>, count: Int, into out: UnsafeMutablePointer<Int32>) {
        let low = SIMD16<Int32>(repeating: 0xFF)
        let outRaw = UnsafeMutableRawPointer(out)
        var block = 0
        // Two blocks (128 neurons) per pass: each entry's index, context
        // word and row address are worked out once for eight sums.
        while block &+ 128 <= rowBytes {
            var a0 = SIMD16<Int32>(), a1 = SIMD16<Int32>(), a2 = SIMD16<Int32>(), a3 = SIMD16<Int32>()
            var b0 = SIMD16<Int32>(), b1 = SIMD16<Int32>(), b2 = SIMD16<Int32>(), b3 = SIMD16<Int32>()
            let base = packed + block
            for j in 0..<count {
                let k = Int(nonzero[j])
                let word = Int32(bitPattern: (context[k] + 0x1p23).bitPattern) &- 0x4B00_0000
                let c = SIMD16<Int32>(repeating: word & 0x7FFF)
                let row = base + k &* rowBytes
                let x = row.load(as: SIMD16<Int32>.self), y = row.load(fromByteOffset: 64, as: SIMD16<Int32>.self)
                a0 &+= (x & low) &* c
                a1 &+= ((x &>> 8) & low) &* c
                a2 &+= ((x &>> 16) & low) &* c
                a3 &+= ((x &>> 24) & low) &* c
                b0 &+= (y & low) &* c
                b1 &+= ((y &>> 8) & low) &* c
                b2 &+= ((y &>> 16) & low) &* c
                b3 &+= ((y &>> 24) & low) &* c
            }
            let o = block &* 4
            outRaw.storeBytes(of: a0, toByteOffset: o, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: a1, toByteOffset: o &+ 64, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: a2, toByteOffset: o &+ 128, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: a3, toByteOffset: o &+ 192, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: b0, toByteOffset: o &+ 256, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: b1, toByteOffset: o &+ 320, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: b2, toByteOffset: o &+ 384, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: b3, toByteOffset: o &+ 448, as: SIMD16<Int32>.self)
            block &+= 128
        }
        while block < rowBytes {
            var a0 = SIMD16<Int32>(), a1 = SIMD16<Int32>(), a2 = SIMD16<Int32>(), a3 = SIMD16<Int32>()
            let base = packed + block
            for j in 0..<count {
                let k = Int(nonzero[j])
                // Integer-valued Float below 2^23 to Int32 by the 2^23
                // offset (no range check); the mask bounds it for the compiler.
                let word = Int32(bitPattern: (context[k] + 0x1p23).bitPattern) &- 0x4B00_0000
                let c = SIMD16<Int32>(repeating: word & 0x7FFF)
                let x = (base + k &* rowBytes).load(as: SIMD16<Int32>.self)
                a0 &+= (x & low) &* c
                a1 &+= ((x &>> 8) & low) &* c
                a2 &+= ((x &>> 16) & low) &* c
                a3 &+= ((x &>> 24) & low) &* c
            }
            outRaw.storeBytes(of: a0, toByteOffset: block &* 4, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: a1, toByteOffset: (block &+ 16) &* 4, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: a2, toByteOffset: (block &+ 32) &* 4, as: SIMD16<Int32>.self)
            outRaw.storeBytes(of: a3, toByteOffset: (block &+ 48) &* 4, as: SIMD16<Int32>.self)
            block &+= 64
        }
    }
}
