import FeastEvents
import XCTest

final class StatisticsTests: XCTestCase {
    func testCountsExtentsBackwardsAndDuplicatesAcrossChunks() throws {
        let events: ContiguousArray = [
            Event(t: 10, x: 3, y: 4, polarity: 1),
            Event(t: 10, x: 3, y: 4, polarity: 1),  // duplicate
            Event(t: 10, x: 3, y: 4, polarity: 0),  // other polarity: not a duplicate
            Event(t: 12, x: 30, y: 1, polarity: 0),
            Event(t: 11, x: 2, y: 20, polarity: 1), // backwards
            Event(t: 40, x: 5, y: 5, polarity: 1),
        ]
        var source = ArrayEventSource(events, chunkSize: 2)
        let stats = try EventStatistics.of(&source)
        XCTAssertEqual(stats.events, 6)
        XCTAssertEqual(stats.onEvents, 4)
        XCTAssertEqual(stats.offEvents, 2)
        XCTAssertEqual(stats.tFirst, 10)
        XCTAssertEqual(stats.tLast, 40)
        XCTAssertEqual(stats.duration, 30)
        XCTAssertEqual([stats.xMin, stats.xMax, stats.yMin, stats.yMax], [2, 30, 1, 20])
        XCTAssertEqual(stats.duplicates, 1)
        XCTAssertEqual(stats.backwardsTimestamps, 1)
        XCTAssertEqual(stats.firstBackwards?.index, 4)
        XCTAssertEqual(stats.firstBackwards?.t, 11)
        XCTAssertEqual(stats.firstBackwards?.previous, 12)
    }

    func testEmptyStreamHasNoTimes() throws {
        var source = ArrayEventSource([])
        let stats = try EventStatistics.of(&source)
        XCTAssertEqual(stats.events, 0)
        XCTAssertNil(stats.tFirst)
        XCTAssertNil(stats.tLast)
        XCTAssertEqual(stats.duration, 0)
    }

    func testMergeAddsCountsAndDurationsAndTakesExtremes() throws {
        var a = ArrayEventSource([Event(t: 5, x: 1, y: 1, polarity: 1), Event(t: 25, x: 2, y: 2, polarity: 0)])
        var b = ArrayEventSource([Event(t: 1, x: 9, y: 0, polarity: 1), Event(t: 11, x: 9, y: 0, polarity: 1)])
        var total = try EventStatistics.of(&a)
        total.merge(try EventStatistics.of(&b))
        XCTAssertEqual(total.events, 4)
        XCTAssertEqual(total.onEvents, 3)
        XCTAssertEqual(total.tFirst, 1)
        XCTAssertEqual(total.tLast, 25)
        XCTAssertEqual(total.duration, 30)
        XCTAssertEqual(total.xMax, 9)
    }

    func testOverflowMarkersComeFromTheReader() throws {
        let bytes = TestSupport.record(x: 1, y: 1, p: 1, t: 1) + TestSupport.record(x: 0, y: 240, p: 0, t: 0) + TestSupport.record(x: 1, y: 1, p: 1, t: 1)
        var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "m.bin"))
        let stats = try EventStatistics.of(&reader)
        XCTAssertEqual(stats.overflowMarkers, 1)
        XCTAssertEqual(stats.tLast, 8_193)
        XCTAssertEqual(stats.duplicates, 0, "same pixel but 8192 µs later")
    }
}
