import XCTest
@testable import FeastAnalysis

final class RankCorrelationTests: XCTestCase {
    func testTiesShareTheirAverageRank() {
        XCTAssertEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])
    }

    func testMonotoneButNonlinearRelationHasSpearmanOne() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        let y = x.map { $0 * $0 * $0 }
        XCTAssertEqual(try XCTUnwrap(spearman(x, y)), 1, accuracy: 1e-12)
        XCTAssertLessThan(try XCTUnwrap(pearson(x, y)), 0.99)
    }

    func testReversedOrderHasSpearmanMinusOne() throws {
        XCTAssertEqual(try XCTUnwrap(spearman([1, 2, 3, 4], [9, 7, 3, 1])), -1, accuracy: 1e-12)
    }

    func testHandComputedSpearmanWithOneSwap() throws {
        // ranks 1..5 vs 1,2,4,3,5: d² sum = 2, rho = 1 - 6*2/(5*24) = 0.9
        XCTAssertEqual(try XCTUnwrap(spearman([1, 2, 3, 4, 5], [10, 20, 40, 30, 50])), 0.9, accuracy: 1e-12)
    }

    func testConstantSampleHasNoCorrelation() {
        XCTAssertNil(spearman([1, 1, 1], [1, 2, 3]))
        XCTAssertNil(spearman([1], [2]))
    }
}
