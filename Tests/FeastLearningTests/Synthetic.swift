import FeastEvents
@testable import FeastLearning

/// Seeded synthetic data sets with known answers.
enum Synthetic {
    /// `perClass` Gaussian samples (σ = `sigma`) around each of `classes`
    /// centres placed `separation` apart on coordinate axes of a d-dim space.
    static func blobs(classes: Int = 4, dimension: Int = 6, perClass: Int = 50, sigma: Double = 0.5,
                      separation: Double = 4, seed: UInt64) -> (Matrix, [Int]) {
        var rng = SplitMix64(seed: seed)
        var rows = [[Double]](), labels = [Int]()
        for i in 0..<(classes * perClass) {
            let c = i % classes
            var v = (0..<dimension).map { _ in rng.nextGaussian() * sigma }
            v[c % dimension] += separation * Double(c / dimension + 1)
            v[(c + 1) % dimension] += 1  // a shared offset, so centroids are not symmetric
            rows.append(v)
            labels.append(c)
        }
        return (try! Matrix(rows), labels)
    }

    /// XOR: points uniform in [-1, 1]², label 1 when exactly one coordinate
    /// is positive. No linear boundary does better than chance-ish (~0.5–0.67).
    static func xor(count: Int, seed: UInt64) -> (Matrix, [Int]) {
        var rng = SplitMix64(seed: seed)
        var rows = [[Double]](), labels = [Int]()
        for _ in 0..<count {
            let a = rng.nextUnit() * 2 - 1, b = rng.nextUnit() * 2 - 1
            rows.append([a, b])
            labels.append((a > 0) != (b > 0) ? 1 : 0)
        }
        return (try! Matrix(rows), labels)
    }
}
