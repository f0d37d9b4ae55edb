import FeastEvents
import XCTest
@testable import FeastLearning

final class ParallelMapTests: XCTestCase {
    func testParallelMapPreservesOrderAndEqualsSerialMap() throws {
        let items = Array(0..<1000)
        let work: @Sendable (Int) -> [Double] = { i in
            var rng = SplitMix64(seed: UInt64(i))
            return (0..<50).map { _ in rng.nextGaussian() }
        }
        let serial = items.map(work)
        for c in [1, 2, 3, 8] {
            XCTAssertEqual(try parallelMap(items, concurrency: c, work), serial, "concurrency \(c)")
        }
        XCTAssertEqual(try parallelMap([Int](), concurrency: 4) { $0 }, [])
    }

    func testTheErrorOfTheLowestFailingIndexIsRethrown() {
        XCTAssertThrowsError(try parallelMap(Array(0..<100), concurrency: 4) { i -> Int in
            if i % 10 == 7 { throw FeastLearningError.invalidFolds(folds: i, samples: 0) }
            return i
        }) { XCTAssertEqual($0 as? FeastLearningError, .invalidFolds(folds: 7, samples: 0)) }
    }
}
