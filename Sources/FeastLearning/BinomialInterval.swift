import Foundation

/// A confidence interval for an accuracy measured on `trials` independent
/// recordings: the Wilson score interval (closed form, stays inside 0…1
/// and is not degenerate at 0 or 1 correct, unlike the normal
/// approximation). 100 test recordings at 0.98 give about 0.93–0.99: a
/// test split that size tells accuracies apart only by several points.
public struct BinomialInterval: Sendable, Hashable, CustomStringConvertible {
    /// Bounds as fractions, 0 ≤ lower ≤ upper ≤ 1.
    public let lower: Double
    public let upper: Double
    /// Confidence level, e.g. 0.95.
    public let level: Double

    /// z for the two-sided level (only the common levels: 0.90, 0.95, 0.99).
    static func z(level: Double) -> Double {
        switch level {
        case 0.90: 1.6448536269514722
        case 0.99: 2.5758293035489004
        default: 1.959963984540054
        }
    }

    /// The Wilson interval for `accuracy` (a fraction; a mean over seeds
    /// on the same recordings counts as one measurement of `trials`).
    /// `trials` must be positive.
    public init(accuracy: Double, trials: Int, level: Double = 0.95) {
        precondition(trials > 0, "an interval needs at least one trial")
        let n = Double(trials), p = min(max(accuracy, 0), 1), z = Self.z(level: level)
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        lower = max(0, centre - half)
        upper = min(1, centre + half)
        self.level = level
    }

    /// `0.934–0.995` (three decimals).
    public var description: String { String(format: "%.3f–%.3f", lower, upper) }
}
