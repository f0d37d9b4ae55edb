/// A seeded, deterministic, portable pseudo-random generator: xoshiro256**
/// (Blackman & Vigna) whose 256-bit state is filled from the seed by
/// splitmix64.
///
/// The same seed gives the same sequence on every platform and Swift
/// version (only integer arithmetic), unlike `SystemRandomNumberGenerator`
/// or the standard library's unspecified `random(in:)` algorithms; the
/// helpers below (`nextDouble`, `nextGaussian`, …) are defined here for the
/// same reason. A value type: copying it forks the sequence.
///
/// The simulator's own generator, apart from FeastEvents' `SplitMix64`
/// (the generator of splits, shuffles, weights and classifiers) on purpose:
/// every synthetic recording of a given seed is defined by this sequence,
/// so replacing it would change every `feast simulate` file and every
/// figure measured on them. It uses SplitMix64's mixer to fill its state.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose sequence is a function of `seed` alone.
    public init(seed: UInt64) {
        var sm = seed
        s0 = SeededGenerator.splitmix64(&sm)
        s1 = SeededGenerator.splitmix64(&sm)
        s2 = SeededGenerator.splitmix64(&sm)
        s3 = SeededGenerator.splitmix64(&sm)
        // xoshiro must not start from the all-zero state; splitmix64 never
        // yields four zeros in a row, but keep the invariant explicit.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// An independent stream keyed by several integers (for example seed,
    /// digit, index and a purpose tag): the result does not depend on the
    /// order in which streams are created, so work can run in parallel.
    public init(seed: UInt64, stream keys: UInt64...) {
        var h = SeededGenerator.mix(seed)
        for key in keys { h = SeededGenerator.mix(h ^ SeededGenerator.mix(key &+ 0x632B_E59B_D9B4_E019)) }
        self.init(seed: h)
    }

    /// Next 64 uniformly distributed bits.
    @inlinable public mutating func next() -> UInt64 { nextBits() }

    @usableFromInline mutating func nextBits() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(nextBits() >> 11) * 0x1.0p-53
    }

    /// Uniform in `[lower, upper)`.
    public mutating func nextDouble(in lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextDouble()
    }

    /// Uniform integer in `0..<bound` (`bound > 0`), by Lemire's
    /// multiply-and-reject method (unbiased, portable).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = nextBits().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = nextBits().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal deviate (Box–Muller; one draw per call, so the
    /// sequence does not depend on a cached second value).
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextDouble()          // (0, 1]: log is finite
        let u2 = nextDouble()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// Exponential deviate with the given mean (> 0).
    public mutating func nextExponential(mean: Double) -> Double {
        -mean * _log(1.0 - nextDouble())
    }

    /// True with probability `p`.
    public mutating func nextBool(probability p: Double) -> Bool { nextDouble() < p }

    @usableFromInline func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static func splitmix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// The splitmix64 finaliser: a bijective 64-bit mixer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
