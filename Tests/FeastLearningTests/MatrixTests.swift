import XCTest
@testable import FeastLearning

final class MatrixTests: XCTestCase {
    func testRaggedRowsAreRejectedWithTheRowNamed() {
        XCTAssertThrowsError(try Matrix([[1, 2], [3]])) { error in
            XCTAssertEqual("\(error)", "ragged rows: row 1 has 1 values, expected 2 like row 0")
        }
    }

    func testTimesTransposedMatchesHandComputedProduct() throws {
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        let b = try Matrix([[1, 0, 1], [0, 1, 0], [2, 2, 2]])
        let p = try a.timesTransposed(b)
        XCTAssertEqual(p, try Matrix([[4, 2, 12], [10, 5, 30]]))
        XCTAssertThrowsError(try a.timesTransposed(Matrix([[1, 2]]))) { error in
            XCTAssertEqual("\(error)", "dimension mismatch: inner size of A·Bᵀ: expected 3, got 2")
        }
    }

    func testTransposeAndRowSelection() throws {
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(a.transposed(), try Matrix([[1, 4], [2, 5], [3, 6]]))
        XCTAssertEqual(a.selectingRows([1, 0, 1]), try Matrix([[4, 5, 6], [1, 2, 3], [4, 5, 6]]))
    }

    func testCholeskySolvesAKnownSystem() throws {
        // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], X known, B = A·X.
        var a: [Double] = [4, 2, 0, 2, 5, 1, 0, 1, 3]
        let x: [Double] = [1, -2, 0.5, 3, 2, 1]  // 3 × 2
        var b = [Double](repeating: 0, count: 6)
        for i in 0..<3 { for j in 0..<2 { for k in 0..<3 { b[i * 2 + j] += a[i * 3 + k] * x[k * 2 + j] } } }
        try Cholesky.solve(&a, n: 3, &b, m: 2)
        for i in 0..<6 { XCTAssertEqual(b[i], x[i], accuracy: 1e-12) }
    }

    func testCholeskyRejectsAnIndefiniteMatrix() {
        var a: [Double] = [1, 2, 2, 1]
        var b: [Double] = [1, 1]
        XCTAssertThrowsError(try Cholesky.solve(&a, n: 2, &b, m: 1)) { error in
            XCTAssertEqual("\(error)", "linear solve: 2×2 matrix not positive definite at pivot 1 (increase the regularisation)")
        }
    }

    func testStandardiserUsesTrainingStatisticsAndKeepsConstantColumnsFinite() throws {
        let train = try Matrix([[1, 5], [3, 5]])
        let s = try FeatureStandardiser(fitting: train)
        XCTAssertEqual(s.mean, [2, 5])
        XCTAssertEqual(s.scale, [1, 1])  // std of (1, 3) is 1; constant column → 1
        XCTAssertEqual(try s.apply(Matrix([[4, 6]])), try Matrix([[2, 1]]))
        XCTAssertThrowsError(try s.apply(Matrix([[1, 2, 3]]))) { error in
            XCTAssertEqual("\(error)", "dimension mismatch: feature columns vs standardizer: expected 2, got 3")
        }
    }

    func testGlobalStandardisationSharesOneScaleAcrossFeatures() throws {
        // Column variances 1 and 9 → common scale sqrt((1 + 9) / 2) = sqrt(5).
        let s = try FeatureStandardiser(fitting: Matrix([[1, 0], [3, 6]]), mode: .global)
        XCTAssertEqual(s.mean, [2, 3])
        XCTAssertEqual(s.scale, [(5.0).squareRoot(), (5.0).squareRoot()])
    }

    func testRidgePrimalAndDualFormsGiveTheSameModel() throws {
        for (dimension, perClass) in [(8, 2), (4, 5)] {  // wide (dual by default) and tall (primal)
            let (x, labels) = Synthetic.blobs(classes: 3, dimension: dimension, perClass: perClass, seed: 3)
            var y = Matrix(rows: x.rows, cols: 3)
            for (r, l) in labels.enumerated() { y[r, l] = 1 }
            let primal = try RidgeSolver.fit(x, targets: y, lambda: 0.5, form: .primal)
            let dual = try RidgeSolver.fit(x, targets: y, lambda: 0.5, form: .dual)
            for i in 0..<primal.weights.storage.count {
                XCTAssertEqual(primal.weights.storage[i], dual.weights.storage[i], accuracy: 1e-9)
            }
            for j in 0..<3 { XCTAssertEqual(primal.bias[j], dual.bias[j], accuracy: 1e-9) }
            // And the model satisfies the normal equations (XcᵀXc + λI)Wᵀ = XcᵀYc.
            let n = x.rows, d = x.cols
            var xMean = [Double](repeating: 0, count: d), yMean = [Double](repeating: 0, count: 3)
            for r in 0..<n {
                for c in 0..<d { xMean[c] += x[r, c] / Double(n) }
                for c in 0..<3 { yMean[c] += y[r, c] / Double(n) }
            }
            for j in 0..<3 {
                for p in 0..<d {
                    var lhs = 0.5 * primal.weights[j, p], rhs = 0.0
                    for r in 0..<n {
                        let xp = x[r, p] - xMean[p]
                        var pred = 0.0
                        for q in 0..<d { pred += (x[r, q] - xMean[q]) * primal.weights[j, q] }
                        lhs += xp * pred
                        rhs += xp * (y[r, j] - yMean[j])
                    }
                    XCTAssertEqual(lhs, rhs, accuracy: 1e-9)
                }
            }
        }
    }
}
