#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): the project's one seeded generator
/// for splits, shuffles, weight initialisation and classifier seeds. Its
/// whole state is one `UInt64`, so snapshots store and restore it exactly,
/// and its output is fixed by this code, not by the platform's random source.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    public var state: UInt64

    @inlinable public init(state: UInt64) { self.state = state }
    @inlinable public init(seed: UInt64) { self.state = seed }

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

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal by Box–Muller (one value per call; simple, reproducible).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUnit()  // (0, 1]: log is finite
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform in 0..<bound (bound > 0), by rejection so it is unbiased.
    @inlinable public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let v = next()
            if v < limit { return Int(v % b) }
        }
    }

    /// Index in `0..<n` (n > 0) by multiply-high: bias below 2⁻⁴⁰ for any
    /// realistic n, and unlike `Int.random(in:using:)` fixed by this code.
    @inlinable public mutating func nextIndex(below n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A different stream for a purpose (`salt`), still determined by `seed`.
    public static func derived(seed: UInt64, salt: UInt64) -> SplitMix64 {
        var g = SplitMix64(state: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}
