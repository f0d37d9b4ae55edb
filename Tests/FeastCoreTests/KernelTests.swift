@testable import FeastCore
import FeastEvents
import XCTest

/// The hot-path pieces against plain reference loops.
final class KernelTests: XCTestCase {
    /// The scalar rule: first eligible neuron with the largest score.
    private func scalarWinner(_ d: [Float], _ t: [Float]) -> Int {
        var winner = -1
        var best = -Float.infinity
        for n in d.indices where d[n] >= t[n] && (winner < 0 || d[n] > best) { best = d[n]; winner = n }
        return winner
    }

    func testVectorWinnerMatchesTheScalarRuleIncludingTies() throws {
        let a = try FloatArithmetic(configuration: .init(), parameters: FeastParameters(), contextLength: 121)
        var g = SplitMix64(seed: 11)
        var checked = 0, misses = 0
        for n in 1...70 {
            for _ in 0..<200 {
                // Few distinct values, so ties and equal-to-threshold cases are common.
                var d = (0..<n).map { _ in Float(g.next() % 5) / 4 }
                let t = (0..<n).map { _ in Float(g.next() % 6) / 4 }
                if g.next() % 7 == 0 { d = d.map { _ in 0 } }
                let w = d.withUnsafeBufferPointer { dp in
                    t.withUnsafeBufferPointer { tp in a.winner(scores: dp.baseAddress!, thresholds: tp.baseAddress!, neurons: n) }
                }
                XCTAssertEqual(w, scalarWinner(d, t), "n = \(n), scores \(d), thresholds \(t)")
                checked += 1
                if w < 0 { misses += 1 }
            }
        }
        XCTAssertGreaterThan(misses, 0)
        XCTAssertLessThan(misses, checked)
    }

    func testSparseScoresMatchDoubleSums() {
        var g = SplitMix64(seed: 5)
        for stride in [16, 32, 48, 64, 80] {
            for count in [0, 1, 2, 3, 4, 5, 7, 9, 30] {
                let k = 40
                let weights = (0..<(k * stride)).map { _ in g.unitFloat() }
                let context = (0..<k).map { _ in g.unitFloat() }
                let nonzero = (0..<count).map { Int32(($0 * 7 + 3) % k) }
                var out = [Float](repeating: -1, count: stride)
                weights.withUnsafeBufferPointer { w in
                    context.withUnsafeBufferPointer { c in
                        nonzero.withUnsafeBufferPointer { z in
                            out.withUnsafeMutableBufferPointer { o in
                                FeastKernels.sparseScores(weights: w.baseAddress!, stride: stride, context: c.baseAddress!,
                                                          nonzero: z.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, into: o.baseAddress!)
                            }
                        }
                    }
                }
                for lane in 0..<stride {
                    var s = 0.0
                    for j in 0..<count { let kk = Int(nonzero[j]); s += Double(weights[kk * stride + lane]) * Double(context[kk]) }
                    XCTAssertEqual(Double(out[lane]), s, accuracy: 1e-5 * max(1, s), "stride \(stride), count \(count), lane \(lane)")
                }
            }
        }
    }

    func testDecayReadsExactlyZeroAtTheZeroAge() throws {
        let p = FeastParameters()
        let f = try FloatArithmetic(configuration: .init(), parameters: p, contextLength: 121)
        XCTAssertGreaterThanOrEqual(f.zeroAge, f.horizon)
        XCTAssertEqual(f.decay(age: f.zeroAge), 0)
        XCTAssertGreaterThan(f.decay(age: f.horizon - 1), 0)
        XCTAssertEqual(f.decay(age: 0), 1)
        for kind in DecayKind.allCases {
            var c = FixedPointConfiguration()
            c.decay = kind
            let q = try FixedPointArithmetic(configuration: c, parameters: p, contextLength: 121)
            XCTAssertGreaterThanOrEqual(q.zeroAge, q.horizon, "\(kind)")
            XCTAssertEqual(q.decay(age: q.zeroAge), 0, "\(kind)")
            XCTAssertEqual(q.decay(age: 0), 128, "\(kind)")
        }
    }
}
