@testable import FeastEvents
import Foundation
import XCTest

/// EVT 2.0: hand-assembled words from the Prophesee spec, writer round trips.
final class EVT2CodecTests: XCTestCase {
    typealias B = PropheseeBytes

    private func read(_ words: [UInt32], header: String = B.evt2Header, geometry: SensorGeometry? = nil) throws -> (ContiguousArray<Event>, EVT2Reader) {
        try B.read({ try EVT2Reader(input: $0, geometry: geometry, chunkCapacity: 7) }, B.evt2(words, header: header), capacity: 64)
    }

    func testEVT2CDWordsCarryTimeLowBitsAddressAndPolarity() throws {
        let (events, _) = try read([B.cd(p: 1, lsb: 5, x: 1, y: 2), B.high2(10), B.cd(p: 0, lsb: 3, x: 1279, y: 719), B.cd(p: 1, lsb: 63, x: 6, y: 7)])
        XCTAssertEqual(events, [ev(5, 1, 2, 1), ev(643, 1279, 719, 0), ev(703, 6, 7, 1)])
    }

    func testEVT2TimeHighGoingBackByMoreThanHalfIsAWrapOf2To34Microseconds() throws {
        let (events, reader) = try read([B.high2(0xFFF_FFFF), B.cd(p: 1, lsb: 1, x: 0, y: 0), B.high2(0), B.cd(p: 1, lsb: 2, x: 0, y: 0),
                                         B.high2(0x800_0001), B.high2(0), B.cd(p: 0, lsb: 3, x: 0, y: 0)])
        let wrap: Int64 = 1 << 34
        let expected: [Int64] = [(0xFFF_FFFF << 6) + 1, wrap + 2, 2 * wrap + 3]
        XCTAssertEqual(events.map(\.t), expected)
        XCTAssertTrue(reader.skippedEvents.isEmpty)
    }

    func testEVT2TimeHighGoingBackByLessIsSkippedAndCounted() throws {
        // faery would add 2^34 µs here, Metavision would go back in time.
        let (events, reader) = try read([B.high2(10), B.cd(p: 1, lsb: 1, x: 0, y: 0), B.high2(9), B.cd(p: 1, lsb: 2, x: 0, y: 0), B.high2(11), B.cd(p: 1, lsb: 0, x: 0, y: 0)])
        XCTAssertEqual(events.map(\.t), [641, 642, 704])
        XCTAssertEqual(reader.skippedEvents, ["EVT_TIME_HIGH backwards": 1])
    }

    func testEVT2TimeNeverDecreasesAndTriggersAdvanceItAsInFaery() throws {
        let (events, reader) = try read([B.high2(10), B.cd(p: 1, lsb: 20, x: 0, y: 0), B.cd(p: 1, lsb: 10, x: 0, y: 0), 0xA000_0000 | 50 << 22, B.cd(p: 1, lsb: 30, x: 0, y: 0),
                                         0xE000_0000, 0xF000_0001, 0x2000_0000, 0x9000_0000])
        XCTAssertEqual(events.map(\.t), [660, 660, 690])
        XCTAssertEqual(reader.skippedEvents, ["EXT_TRIGGER": 1, "OTHERS": 1, "CONTINUED": 1, "RESERVED_0x2": 1, "RESERVED_0x9": 1])
    }

    func testEVT2TruncatedWordIsMalformedWithItsByteOffset() throws {
        let bytes = B.evt2([B.high2(0), B.cd(p: 1, lsb: 0, x: 1, y: 1)]) + [1, 2, 3]
        let message = TestSupport.errorMessage { _ = try B.read({ try EVT2Reader(input: $0) }, bytes, test: "cut.raw") }
        XCTAssertTrue(message.hasSuffix("cut.raw: byte offset \(B.evt2Header.utf8.count + 8): not a valid EVT 2.0 file: 3 trailing byte(s) do not form a whole 32-bit word; expected the data to be 32-bit words"), message)
    }

    func testEVT2AddressOutsideGeometryIsAnError() throws {
        let message = TestSupport.errorMessage { _ = try self.read([B.cd(p: 1, lsb: 0, x: 1, y: 1), B.cd(p: 1, lsb: 0, x: 1280, y: 1)]) }
        XCTAssertTrue(message.hasSuffix("t.raw: event 1: address x=1280 y=1 is outside the 1280×720 sensor (expected x < 1280, y < 720)"), message)
    }

    func testEVT2GeometryFromGeometryLineOrMissing() throws {
        let (events, reader) = try read([B.cd(p: 1, lsb: 0, x: 3, y: 2)], header: "% evt 2.0\n% geometry 4x3\n")
        XCTAssertEqual(events, [ev(0, 3, 2, 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 4, height: 3))
        let message = TestSupport.errorMessage { _ = try self.read([], header: "% evt 2.0\n") }
        XCTAssertTrue(message.contains("the EVT 2.0 header gives no sensor size"), message)
    }

    func testEVT2WriterRoundTripsAcrossA2To34Wrap() throws {
        let folder = try TestSupport.temporaryFolder(self)
        var events = B.random(seed: 5, count: 2000, maxStep: 300)
        var t = events.last!.t
        let gaps: [Int64] = [1 << 33, (1 << 34) - 5, 1 << 35, 64, 1, 0, (1 << 34) * 3 + 17]
        for (i, gap) in gaps.enumerated() {
            t += gap
            events.append(ev(t, i, 2 * i, i & 1))
        }
        events += B.random(seed: 6, count: 500, maxStep: 100).map { ev(t + $0.t, Int($0.x), Int($0.y), Int($0.polarity)) }
        let path = folder + "/w.raw"
        var writer = try EVT2Writer(path: path, geometry: SensorGeometry(width: 1280, height: 720))
        try writer.write(events)
        try writer.finish()
        var reader = try EVT2Reader(input: try ByteInput.open(path: path, capacity: 64), chunkCapacity: 33)
        XCTAssertEqual(try reader.readAll(), events)
        XCTAssertTrue(reader.skippedEvents.isEmpty)
        let message = TestSupport.errorMessage { var w = try EVT2Writer(path: folder + "/x.raw", geometry: .nmnist); try w.write([ev(9, 0, 0, 0), ev(8, 0, 0, 0)]) }
        XCTAssertTrue(message.hasSuffix("x.raw: event 1: timestamp 8 µs cannot be written: earlier than the previous event (9 µs); EVT 2.0 timestamps must be non-decreasing"), message)
    }
}
