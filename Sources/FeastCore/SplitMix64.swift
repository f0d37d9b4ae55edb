/// SplitMix64: a tiny, seedable, portable generator. Its whole state is one
/// `UInt64`, so snapshots store and restore it exactly.
public struct SplitMix64: Sendable, Hashable, Codable {
    public var state: UInt64

    @inlinable public init(state: UInt64) { self.state = state }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits (exactly representable as Float).
    @inlinable public mutating func unitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in 0..<bound (bound > 0), by rejection so it is unbiased.
    @inlinable public mutating func below(_ bound: Int) -> Int {
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let v = next()
            if v < limit { return Int(v % b) }
        }
    }

    /// A different stream for a purpose (`salt`), still determined by `seed`.
    public static func derived(seed: UInt64, salt: UInt64) -> SplitMix64 {
        var g = SplitMix64(state: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}
