import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds and conversions between raw words and real values.
extension FixedPointArithmetic {
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
