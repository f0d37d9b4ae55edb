/// Mean and spread of repeated measurements (over seeds or folds).
/// `spread` is the sample standard deviation (n - 1 in the denominator;
/// 0 for a single value).
public struct MeanSpread: Sendable, Hashable, CustomStringConvertible {
    public let values: [Double]
    public let mean: Double
    public let spread: Double
    public var min: Double { values.min() ?? .nan }
    public var max: Double { values.max() ?? .nan }

    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "need at least one value")
        self.values = values
        let m = values.reduce(0, +) / Double(values.count)
        mean = m
        spread = values.count < 2 ? 0 : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// Runs `body` once per seed and summarises the results.
    public static func overSeeds(_ seeds: [UInt64], _ body: (UInt64) throws -> Double) rethrows -> MeanSpread {
        MeanSpread(try seeds.map(body))
    }

    /// `0.912 ± 0.011`.
    public var description: String { "\(format3(mean)) ± \(format3(spread))" }
}
