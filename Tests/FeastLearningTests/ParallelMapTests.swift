import Foundation
import Synchronization
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

    func testAFreeWorkerClaimsTheNextItemSoOneLongItemDoesNotHoldBackTheRest() throws {
        // Item 0 finishes only once every other item has: with items dealt out
        // in advance (worker w takes w, w + W, …) its worker would also own
        // item 2 and wait for itself until the timeout; a free worker claiming
        // the next index does all of 1…n-1 meanwhile.
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("needs two cores to run two workers at once") }
        let n = 20
        let done = Atomic<Int>(0)
        let finished = try parallelMap(Array(0..<n), concurrency: 2) { i -> Bool in
            if i == 0 {
                let deadline = Date().addingTimeInterval(10)
                while done.load(ordering: .acquiring) < n - 1 {
                    if Date() > deadline { return false }
                    usleep(1_000)
                }
                return true
            }
            done.add(1, ordering: .releasing)
            return true
        }
        XCTAssertEqual(finished, Array(repeating: true, count: n), "item 0 waited 10 s for items its own worker held")
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
