import FeastEvents
import XCTest
import FeastCore
import FeastEvents
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

    func testParallelFeatureMatrixEqualsSerialExtraction() throws {
        let extractor = WinHistogramExtractor(neurons: 8, splitPolarity: true, pool: 3)
        let recordings = Array(0..<40)
        let events: @Sendable (Int) -> ContiguousArray<OutputEvent> = { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            return ContiguousArray((0..<(200 + seed)).map { i in
                OutputEvent(event: Event(t: Int64(i), x: UInt16(rng.nextIndex(below: 34)), y: UInt16(rng.nextIndex(below: 34)),
                                         polarity: UInt8(rng.nextIndex(below: 2))),
                            neuron: Int32(rng.nextIndex(below: 9)) - 1)
            })
        }
        let parallel = try Matrix.features(of: recordings, extractor: extractor, concurrency: 4, events: events)
        let serial = try Matrix(recordings.map { try extractor.features(of: events($0)) })
        XCTAssertEqual(parallel, serial)
        XCTAssertEqual(parallel.cols, 2 * 9 * 8)
        let empty = try Matrix.features(of: [Int](), extractor: extractor, events: events)
        XCTAssertEqual(empty.rows, 0)
        XCTAssertEqual(empty.cols, 144)
    }
}
