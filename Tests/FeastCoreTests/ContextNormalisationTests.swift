@testable import FeastCore
import FeastEvents
import XCTest

/// The fixed-point context normalisation gives the integers of its
/// definition (n = ⌊√Σc²⌋, c ← fit(⌊(c·⌊2^(Fc+32)/n⌋ + bias)/2^32⌋)), in
/// Int64, for every window size, including those whose Σc² no longer fits
/// a Float exactly.
final class ContextNormalisationTests: XCTestCase {
    func oracle(_ c: [Int64], fraction: Int, bits: Int, bias: Int64) -> [Int64] {
        let ss = c.reduce(Int64(0)) { $0 + $1 * $1 }
        var n = Int64(Double(ss).squareRoot())
        while n * n > ss { n -= 1 }
        while (n + 1) * (n + 1) <= ss { n += 1 }
        guard n > 0 else { return c }
        let r = (Int64(1) << Int64(fraction + 32)) / n
        return c.map { min((Int64(1) << Int64(bits)) - 1, ($0 * r + bias) >> 32) }
    }

    func testNormalisedContextEqualsTheInt64Definition() throws {
        var rng = SplitMix64(state: 5)
        var checked = 0
        for (radius, channels) in [(0, 1), (3, 1), (5, 1), (5, 2), (16, 1), (31, 1), (31, 2)] {
            for bits in [4, 8, 12] {
                for rounding in [RoundingMode.nearest, .truncate] {
                    var c = FixedPointConfiguration(weightBits: 8, contextBits: bits, thresholdBits: 16, accumulatorBits: 40)
                    c.contextRounding = rounding
                    let k = (2 * radius + 1) * (2 * radius + 1) * channels
                    let padded = (k + 15) / 16 * 16
                    var a = try FixedPointArithmetic(configuration: c, parameters: FeastParameters(), contextLength: k)
                    let one = Int64(1) << Int64(bits - 1)
                    for trial in 0..<20 {
                        // Decayed values ≤ 1.0, the centre pixel exactly 1.0; the
                        // first trials saturate every pixel (the largest Σc²).
                        var raw = (0..<k).map { _ in trial < 2 ? one : (rng.below(3) == 0 ? 0 : Int64(rng.below(Int(one) + 1))) }
                        raw[k / 2] = one
                        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: padded + 16)
                        defer { buffer.deallocate() }
                        buffer.initialize(repeating: 0, count: padded + 16)
                        for i in 0..<k { buffer[i] = Float(raw[i]) }
                        a.normaliseContextCompiledHere(buffer, length: padded)
                        let expected = oracle(raw, fraction: bits - 1, bits: bits, bias: rounding == .nearest ? Int64(1) << 31 : 0)
                        XCTAssertEqual((0..<k).map { Int64(buffer[$0]) }, expected, "R \(radius), \(channels) channel(s), \(bits) bits, \(rounding)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertEqual(checked, 7 * 3 * 2 * 20)
    }
}
